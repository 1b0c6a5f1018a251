"""A meeting hidden or held by moderation vanishes from every agenda surface for everyone but its
author and the space's animators -- lists, month grids, "my next meetings", the space's home,
iCalendar feeds, the API, its page and RSVP -- and comes back when an animator restores it."""
from __future__ import annotations

import datetime as dt

import pytest

from moderation_helpers import decide, hide, resource_of, restore

HIDDEN = "Reunion douteuse"
KEPT = "Conseil ouvert"
API = "/api/v1/spaces/quartier-nord/agenda/meetings"


@pytest.fixture
def people(council, animator, make_user):
    from placette.modules import set_module
    set_module(council, "agenda", True, {"who_creates": "members"})

    class People:
        author = make_user(member_of=council, name="Autrice")
        other = make_user(member_of=council, name="Voisin")
        reporter = make_user(member_of=council, name="Signaleur")
    People.animator = animator
    return People


def surfaces(client, sign_in, person, meeting, month: str) -> dict[str, object]:
    """What ``person`` finds of the meeting, surface by surface (True: listed; a number: the
    status of its own addresses)."""
    from placette_plugins.agenda import feeds
    sign_in(person)
    base = f"/s/quartier-nord/agenda/{meeting.id}"

    def lists(path):
        response = client.get(path)
        assert response.status_code == 200, path
        return HIDDEN in response.get_data(as_text=True)

    found = {
        "space agenda": lists("/s/quartier-nord/agenda/"),
        "space month": lists(f"/s/quartier-nord/agenda/?view=month&month={month}"),
        "city agenda": lists("/agenda/"),
        "city month": lists(f"/agenda/?view=month&month={month}"),
        "my next meetings": lists("/"),
        "space home": lists("/s/quartier-nord"),
        "space feed": lists("/s/quartier-nord/agenda/feed.ics"),
        "api list": any(m["title"] == HIDDEN for m in client.get(API).get_json()),
        "page": client.get(base).status_code,
        "ics": client.get(f"{base}.ics").status_code,
        "api detail": client.get(f"{API}/{meeting.id}").status_code,
    }
    secret = feeds.create(person)
    with client.session_transaction() as session:
        session.clear()                         # calendar apps have no session
    found["my feed"] = HIDDEN in client.get(f"/agenda/feeds/{secret}/my.ics").get_data(
        as_text=True)
    found["my space feed"] = HIDDEN in client.get(
        f"/agenda/feeds/{secret}/s/quartier-nord.ics").get_data(as_text=True)
    return found


EVERYWHERE = {"space agenda": True, "space month": True, "city agenda": True,
              "city month": True, "my next meetings": True, "space home": True,
              "space feed": True, "api list": True, "page": 200, "ics": 200,
              "api detail": 200, "my feed": True, "my space feed": True}
NOWHERE = {"space agenda": False, "space month": False, "city agenda": False,
           "city month": False, "my next meetings": False, "space home": False,
           "space feed": False, "api list": False, "page": 404, "ics": 404,
           "api detail": 404, "my feed": False, "my space feed": False}


def test_a_hidden_meeting_is_gone_for_others_kept_for_author_and_animators(
        client, sign_in, council, people, make_meeting, local_now):
    meeting = make_meeting(council, people.author, days=3, title=HIDDEN)
    make_meeting(council, people.animator, days=4, title=KEPT)
    month = (local_now + dt.timedelta(days=3)).strftime("%Y-%m")
    # the other member said they would come before it was hidden (it stays in "my meetings")
    from placette_plugins.agenda import rsvp
    rsvp.answer(meeting, people.other, "yes")
    assert surfaces(client, sign_in, people.other, meeting, month) == EVERYWHERE

    hide(client, sign_in, people.reporter, people.animator,
         resource_of("agenda", "meeting", meeting.id), reason="Hors charte.")

    assert surfaces(client, sign_in, people.other, meeting, month) == NOWHERE
    sign_in(people.other)
    assert KEPT in client.get("/s/quartier-nord/agenda/").get_data(as_text=True)
    answered = client.post(f"/s/quartier-nord/agenda/{meeting.id}/rsvp",
                           data={"answer": "maybe"})
    assert answered.status_code == 404
    api = client.put(f"{API}/{meeting.id}/rsvp", json={"answer": "maybe"})
    assert api.status_code == 404 and api.get_json()["error"]["code"] == "not_found"
    from placette_plugins.agenda.models import Rsvp
    assert Rsvp.get(Rsvp.user == people.other.id).answer == "yes"  # nothing changed

    for insider in (people.author, people.animator):
        seen = surfaces(client, sign_in, insider, meeting, month)
        assert seen == EVERYWHERE, insider.display_name
        sign_in(insider)
        page = client.get(f"/s/quartier-nord/agenda/{meeting.id}").get_data(as_text=True)
        assert "Hidden by the moderators" in page and "Hors charte." in page
        assert page.count("Hidden by the moderators") == 1  # said once, near the title
        assert page.index("Hidden by the moderators") < page.index("Are you coming?")

    restore(client, sign_in, people.animator, resource_of("agenda", "meeting", meeting.id))
    assert surfaces(client, sign_in, people.other, meeting, month) == EVERYWHERE
    sign_in(people.author)
    assert "Hidden by the moderators" not in client.get(
        f"/s/quartier-nord/agenda/{meeting.id}").get_data(as_text=True)


def test_a_newcomers_meeting_awaits_review_then_everyone_sees_it(
        client, sign_in, council, people, make_meeting, local_now):
    from placette.space_settings import set_space_settings
    set_space_settings(council, {"premoderation_count": 1})
    meeting = make_meeting(council, people.author, days=3, title=HIDDEN)
    resource = resource_of("agenda", "meeting", meeting.id)
    assert resource.state == "pending"
    month = (local_now + dt.timedelta(days=3)).strftime("%Y-%m")

    assert surfaces(client, sign_in, people.other, meeting, month) == NOWHERE
    sign_in(people.author)
    page = client.get(f"/s/quartier-nord/agenda/{meeting.id}").get_data(as_text=True)
    assert "Awaiting an animator" in page
    sign_in(people.animator)
    assert client.get(f"/s/quartier-nord/agenda/{meeting.id}").status_code == 200
    queue = client.get("/s/quartier-nord/moderation").get_data(as_text=True)
    assert HIDDEN in queue

    decide(client, sign_in, people.animator, resource, "approve")
    assert surfaces(client, sign_in, people.other, meeting, month) == EVERYWHERE


def test_anonymous_visitors_of_a_public_space_lose_a_hidden_meeting(
        client, sign_in, sign_out, make_space, make_user, make_meeting):
    square = make_space("square", visibility="public", plugins=["agenda"])
    karim = make_user(member_of=square, role="animator")
    reporter = make_user(member_of=square)
    meeting = make_meeting(square, karim, title=HIDDEN)
    sign_out()
    assert HIDDEN in client.get("/s/square/agenda/feed.ics").get_data(as_text=True)
    hide(client, sign_in, reporter, karim, resource_of("agenda", "meeting", meeting.id))
    sign_out()
    assert HIDDEN not in client.get("/s/square/agenda/feed.ics").get_data(as_text=True)
    assert HIDDEN not in client.get("/agenda/").get_data(as_text=True)
    assert client.get(f"/s/square/agenda/{meeting.id}").status_code == 404
    assert client.get(f"/s/square/agenda/{meeting.id}.ics").status_code == 404
    assert client.get(f"/api/v1/spaces/square/agenda/meetings/{meeting.id}").status_code == 404


def test_query_counts_stay_flat_with_hidden_meetings(client, sign_in, council, people,
                                                     make_meeting, local_now):
    """Moderation is one NOT EXISTS inside each list's statement: hiding more meetings adds no
    query, for a member or an animator."""
    from placette.db import query_counter
    from placette.models import Resource
    month = (local_now + dt.timedelta(days=2)).strftime("%Y-%m")
    pages = ["/s/quartier-nord/agenda/", f"/s/quartier-nord/agenda/?view=month&month={month}",
             "/agenda/", "/", "/s/quartier-nord/agenda/feed.ics", API]

    def add(n):
        for i in range(n):
            meeting = make_meeting(council, people.author, days=1 + i % 10,
                                   title=f"Atelier {i}")
            if i % 2:
                (Resource.update(state="hidden")
                 .where((Resource.plugin == "agenda")
                        & (Resource.object_id == str(meeting.id))).execute())

    def counts(person):
        sign_in(person)
        found = {}
        for path in pages:
            client.get(path)
            query_counter.reset()
            assert client.get(path).status_code == 200, path
            found[path] = query_counter.count
        return found

    add(2)
    small = {p.display_name: counts(p) for p in (people.other, people.animator)}
    add(20)
    large = {p.display_name: counts(p) for p in (people.other, people.animator)}
    assert small == large
