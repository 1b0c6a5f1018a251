"""The agenda and the page cache: a list "from now" and a meeting page change with the clock
alone -- when a meeting starts or ends -- so a kept copy must not outlive that moment."""
from __future__ import annotations

import datetime as dt
import time

import pytest


@pytest.fixture
def cache(app):
    return app.extensions["placette_page_cache"]


@pytest.fixture
def ending_soon(council, animator, make_meeting):
    """A meeting under way that ends two seconds from now (rows moved past the form's
    minute-rounded times)."""
    from placette.db import utcnow
    from placette_plugins.agenda.models import Meeting, MeetingOccurrence
    meeting = make_meeting(council, animator, title="Atelier qui se termine")
    start, end = utcnow() - dt.timedelta(hours=1), utcnow() + dt.timedelta(seconds=2)
    Meeting.update(starts_at=start, first_start=start, ends_at=end, last_end=end).where(
        Meeting.id == meeting.id).execute()
    MeetingOccurrence.update(starts_at=start, ends_at=end).where(
        MeetingOccurrence.meeting == meeting.id).execute()
    return meeting, end


def _served(cache, client, url):
    hits = cache.hits
    page = client.get(url)
    assert page.status_code == 200
    return page.get_data(as_text=True), cache.hits > hits


def _wait_until(moment: dt.datetime) -> None:
    from placette.db import utcnow
    time.sleep(max(0.0, (moment - utcnow()).total_seconds()) + 0.05)


def test_the_upcoming_list_is_not_served_after_a_listed_meeting_ends(client, sign_in, cache,
                                                                      council, make_user,
                                                                      ending_soon):
    _, end = ending_soon
    sign_in(make_user(member_of=council))
    client.get("/")  # first visit of the hour: records last_seen_at (a write)
    first, _ = _served(cache, client, "/s/quartier-nord/agenda/")
    again, cached = _served(cache, client, "/s/quartier-nord/agenda/")
    assert cached and "Atelier qui se termine" in again

    _wait_until(end)
    after, cached = _served(cache, client, "/s/quartier-nord/agenda/")
    assert not cached and "Atelier qui se termine" not in after


def test_the_meeting_page_stops_offering_an_answer_once_it_ends(client, sign_in, cache,
                                                                 council, make_user,
                                                                 ending_soon):
    meeting, end = ending_soon
    sign_in(make_user(member_of=council))
    client.get("/")
    url = f"/s/quartier-nord/agenda/{meeting.id}"
    first, _ = _served(cache, client, url)
    assert f"/agenda/{meeting.id}/rsvp" in first
    assert _served(cache, client, url)[1]

    _wait_until(end)
    after, cached = _served(cache, client, url)
    assert not cached and f"/agenda/{meeting.id}/rsvp" not in after
