"""Answers: yes / maybe / no, capacity, the waiting list promoting people, refusals, attendees
and their CSV -- on pages and through the API."""
from __future__ import annotations

import csv
import io

import pytest


@pytest.fixture
def small_meeting(council, animator, make_meeting):
    return make_meeting(council, animator, title="Atelier", capacity=2)


def put(client, meeting, answer, **extra):
    return client.put(f"/api/v1/spaces/quartier-nord/agenda/meetings/{meeting.id}/rsvp",
                      json={"answer": answer, **extra})


def test_capacity_waiting_list_and_promotion(client, sign_in, small_meeting, make_user,
                                             council, events):
    a, b, c = (make_user(member_of=council, name=n) for n in ("Alice", "Bruno", "Chloé"))
    sign_in(a)
    assert put(client, small_meeting, "yes").get_json()["waiting_list"] is False
    sign_in(b)
    assert put(client, small_meeting, "yes").status_code == 200
    sign_in(c)
    full = put(client, small_meeting, "yes")
    assert full.status_code == 409 and full.get_json()["error"]["code"] == "meeting_full"
    from placette_plugins.agenda.models import Rsvp
    assert Rsvp.select().where(Rsvp.user == c.id).count() == 0  # nothing changed
    waiting = put(client, small_meeting, "yes", waiting_list=True).get_json()
    assert waiting["waiting_list"] is True and waiting["attendance"]["waiting"] == 1
    sign_in(a)
    assert put(client, small_meeting, "no").get_json()["attendance"]["yes"] == 2
    promoted = events("agenda.rsvp.promoted")
    assert len(promoted) == 1 and promoted[0].recipients == [c.id]
    assert Rsvp.get(Rsvp.user == c.id).waiting is False


def test_rsvp_refusals_change_nothing(client, sign_in, council, animator, make_meeting,
                                      make_user, make_space):
    from placette_plugins.agenda import service
    from placette_plugins.agenda.models import Rsvp
    member = make_user(member_of=council)
    cancelled = make_meeting(council, animator, title="Annulée")
    service.cancel_meeting(cancelled, animator)
    sign_in(member)
    response = put(client, cancelled, "yes")
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "meeting_cancelled"
    bad = client.put(f"/api/v1/spaces/quartier-nord/agenda/meetings/{cancelled.id}/rsvp",
                     json={"answer": "perhaps"})
    assert bad.status_code == 422
    unknown = client.put(f"/api/v1/spaces/quartier-nord/agenda/meetings/{cancelled.id}/rsvp",
                         json={"answer": "yes", "extra": 1})
    assert unknown.status_code == 422
    secret = make_space("secret", visibility="private", plugins=["agenda"])
    hidden = make_meeting(secret, make_user(member_of=secret, role="animator"))
    invisible = client.put(f"/api/v1/spaces/secret/agenda/meetings/{hidden.id}/rsvp",
                           json={"answer": "yes"})
    assert invisible.status_code == 404
    assert invisible.get_json()["error"]["code"] == "not_found"
    # the meeting exists but not in this space: 404 too
    other = client.put(f"/api/v1/spaces/quartier-nord/agenda/meetings/{hidden.id}/rsvp",
                       json={"answer": "yes"})
    assert other.status_code == 404
    assert Rsvp.select().count() == 0


def test_rsvp_off_in_the_space_settings(client, sign_in, council, animator, make_meeting,
                                        make_user):
    from placette.modules import set_module
    meeting = make_meeting(council, animator)
    set_module(council, "agenda", True, {"rsvp_enabled": False})
    sign_in(make_user(member_of=council))
    assert put(client, meeting, "yes").get_json()["error"]["code"] == "rsvp_disabled"
    html = client.get(f"/s/quartier-nord/agenda/{meeting.id}").get_data(as_text=True)
    assert 'value="yes"' not in html


def test_rsvp_with_the_page_buttons(client, sign_in, small_meeting, council, make_user):
    member = make_user(member_of=council)
    sign_in(member)
    page = client.get(f"/s/quartier-nord/agenda/{small_meeting.id}").get_data(as_text=True)
    assert 'name="answer" value="yes"' in page
    response = client.post(f"/s/quartier-nord/agenda/{small_meeting.id}/rsvp",
                           data={"answer": "maybe", "occurrence": ""})
    assert response.status_code == 302
    page = client.get(f"/s/quartier-nord/agenda/{small_meeting.id}").get_data(as_text=True)
    assert 'value="maybe" class="secondary" aria-pressed="true"' in page


def test_capacity_cannot_go_below_attendance(client, sign_in, small_meeting, council,
                                             make_user, animator):
    for name in ("A", "B"):
        sign_in(make_user(member_of=council, name=name))
        put(client, small_meeting, "yes")
    sign_in(animator)
    response = client.patch(f"/api/v1/spaces/quartier-nord/agenda/meetings/{small_meeting.id}",
                            json={"capacity": 1})
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "capacity_below_attendance"
    from placette_plugins.agenda.models import Meeting
    assert Meeting.get_by_id(small_meeting.id).capacity == 2


def test_animators_see_and_export_attendees_members_do_not(client, sign_in, small_meeting,
                                                           council, make_user, animator):
    member = make_user(member_of=council, name="=HYPERLINK(\"x\")", email="eve@example.org")
    sign_in(member)
    put(client, small_meeting, "yes")
    assert client.get(f"/s/quartier-nord/agenda/{small_meeting.id}/attendees").status_code \
        == 403
    assert client.get(f"/s/quartier-nord/agenda/{small_meeting.id}/attendees.csv"
                      ).status_code == 403
    sign_in(animator)
    html = client.get(f"/s/quartier-nord/agenda/{small_meeting.id}/attendees").get_data(
        as_text=True)
    assert "<caption>" in html and 'scope="row"' in html
    response = client.get(f"/s/quartier-nord/agenda/{small_meeting.id}/attendees.csv")
    assert response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0] == ["name", "email", "answer", "waiting_list", "answered_at"]
    assert rows[1][0].startswith("'=") and rows[1][1] == "eve@example.org"
    assert rows[1][2] == "yes"


@pytest.mark.postgres
def test_last_seat_goes_to_one_person_under_concurrency(app, council, animator, make_meeting,
                                                        make_user, postgres):
    """Twenty people press "yes" for 3 seats at the same instant, on PostgreSQL."""
    import threading

    from placette.db import is_postgres
    if not is_postgres():
        pytest.skip("needs PLACETTE_TEST_DATABASE_URL (PostgreSQL)")
    from placette_plugins.agenda import rsvp, service
    from placette_plugins.agenda.models import Rsvp
    meeting = make_meeting(council, animator, capacity=3)
    people = [make_user(member_of=council) for _ in range(20)]
    barrier = threading.Barrier(len(people))
    outcomes = []

    def press(person):
        with app.app_context():
            from placette.db import database
            database.connect(reuse_if_open=True)
            try:
                barrier.wait()
                rsvp.answer(meeting, person, "yes")
                outcomes.append("seat")
            except service.AgendaError as exc:
                outcomes.append(exc.code)
            finally:
                database.close()

    threads = [threading.Thread(target=press, args=(p,)) for p in people]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert outcomes.count("seat") == 3
    assert outcomes.count("meeting_full") == 17
    assert Rsvp.select().where((Rsvp.answer == "yes") & ~Rsvp.waiting).count() == 3
