"""The agenda and the page cache: a list "from now" changes with the clock alone -- when a
meeting starts or ends.  Members always see it as it is (their pages are rendered every time);
an anonymous visitor of a public space sees it at most ``[page_cache] max_age`` late, with
nothing for the plugin to declare."""
from __future__ import annotations

import datetime as dt
import time

import pytest

MAX_AGE = 1  # seconds: [page_cache] max_age for these tests


@pytest.fixture
def placette_settings():
    return {"page_cache": {"max_age": MAX_AGE}}


@pytest.fixture
def cache(app):
    return app.extensions["placette_page_cache"]


@pytest.fixture
def square(make_space):
    return make_space("place-publique", visibility="public", plugins=["agenda"],
                      name="Place publique")


@pytest.fixture
def ending_soon(make_meeting, make_user):
    """A meeting of the public space under way, ending a second and a half from now (rows
    moved past the form's minute-rounded times)."""
    def make(space, author):
        from placette.db import utcnow
        from placette_plugins.agenda.models import Meeting, MeetingOccurrence
        meeting = make_meeting(space, author, title="Atelier qui se termine")
        start, end = utcnow() - dt.timedelta(hours=1), utcnow() + dt.timedelta(seconds=1.5)
        Meeting.update(starts_at=start, first_start=start, ends_at=end, last_end=end).where(
            Meeting.id == meeting.id).execute()
        MeetingOccurrence.update(starts_at=start, ends_at=end).where(
            MeetingOccurrence.meeting == meeting.id).execute()
        return meeting, end
    return make


def _served(cache, client, url):
    hits = cache.hits
    page = client.get(url)
    assert page.status_code == 200
    return page.get_data(as_text=True), cache.hits > hits


def _wait_until(moment: dt.datetime) -> None:
    from placette.db import utcnow
    time.sleep(max(0.0, (moment - utcnow()).total_seconds()) + 0.05)


def test_a_member_sees_a_meeting_leave_the_list_the_moment_it_ends(client, sign_in, cache,
                                                                    square, make_user,
                                                                    ending_soon):
    _, end = ending_soon(square, make_user(member_of=square, role="animator"))
    sign_in(make_user(member_of=square))
    for _ in range(2):
        page, cached = _served(cache, client, "/s/place-publique/agenda/")
        assert not cached and "Atelier qui se termine" in page
    _wait_until(end)
    page, cached = _served(cache, client, "/s/place-publique/agenda/")
    assert not cached and "Atelier qui se termine" not in page


def test_an_anonymous_visitor_sees_it_go_at_most_max_age_later(app, cache, square, make_user,
                                                               ending_soon):
    meeting, end = ending_soon(square, make_user(member_of=square, role="animator"))
    visitor = app.test_client(use_cookies=False)
    for url in ("/s/place-publique/agenda/", f"/s/place-publique/agenda/{meeting.id}"):
        first, _ = _served(cache, visitor, url)
        again, cached = _served(cache, visitor, url)
        assert cached and again == first and "Atelier qui se termine" in again

    _wait_until(end + dt.timedelta(seconds=MAX_AGE))
    page, cached = _served(cache, visitor, "/s/place-publique/agenda/")
    assert not cached and "Atelier qui se termine" not in page
