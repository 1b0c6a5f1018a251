"""Issue 18, point 1 and the joint-meeting rule: a meeting shared by a public council and a
private group never names the private group to whoever may not see it (page, API, iCal), and
only the meeting's own space's animators may change it or export who comes."""
from __future__ import annotations

import datetime as dt

import pytest


@pytest.fixture
def placette_plugins():
    return ["agenda"]


@pytest.fixture
def joint(make_space, make_user, app):
    """A public council and a private group sharing one meeting, created by an animator of both."""
    from placette_plugins.agenda import service
    council = make_space("quartier-centre-ville", visibility="public", plugins=["agenda"],
                         name="Quartier Centre-Ville")
    group = make_space("avis-budget", visibility="private", plugins=["agenda"],
                       name="Avis Budget Secret")
    organiser = make_user(name="Organiser")
    from placette.spaces import add_member
    add_member(council, organiser, "animator")
    add_member(group, organiser, "animator")
    start = (dt.datetime.now() + dt.timedelta(days=5)).replace(minute=0, second=0,
                                                                microsecond=0)
    meeting = service.create_meeting(council, organiser, {
        "title": "Budget conjoint", "starts_at": start, "ends_at": start + dt.timedelta(hours=2),
        "spaces": ["avis-budget"]})
    return council, group, organiser, meeting


def test_anonymous_visitor_never_sees_the_private_space_of_a_joint_meeting(client, joint):
    council, group, _organiser, meeting = joint
    assert client.get("/api/v1/spaces/avis-budget").status_code == 404
    api = client.get(f"/api/v1/spaces/quartier-centre-ville/agenda/meetings/{meeting.id}")
    assert api.status_code == 200
    assert api.get_json()["spaces"] == ["quartier-centre-ville"]
    listed = client.get("/api/v1/spaces/quartier-centre-ville/agenda/meetings").get_json()
    assert listed[0]["spaces"] == ["quartier-centre-ville"]
    page = client.get(f"/s/quartier-centre-ville/agenda/{meeting.id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "avis-budget" not in html and "Avis Budget Secret" not in html
    for path in (f"/s/quartier-centre-ville/agenda/{meeting.id}.ics",
                 "/s/quartier-centre-ville/agenda/feed.ics"):
        text = client.get(path).get_data(as_text=True)
        assert "avis-budget" not in text and "Avis Budget Secret" not in text, path


def test_a_member_of_both_sees_both_spaces(client, joint, sign_in, make_user):
    council, group, _organiser, meeting = joint
    both = make_user(member_of=[council, group])
    sign_in(both)
    api = client.get(f"/api/v1/spaces/quartier-centre-ville/agenda/meetings/{meeting.id}")
    assert api.get_json()["spaces"] == ["quartier-centre-ville", "avis-budget"]
    html = client.get(f"/s/quartier-centre-ville/agenda/{meeting.id}").get_data(as_text=True)
    assert "Avis Budget Secret" in html


def test_visible_spaces_helper_keeps_order_and_drops_what_one_may_not_read(joint, make_user):
    import placette
    council, group, _organiser, _meeting = joint
    outsider = make_user()
    assert placette.visible_spaces([council, group], outsider) == [council]
    assert placette.visible_spaces([group, council], make_user(member_of=group)) == \
        [group, council]


def test_only_the_meetings_own_animators_change_it_or_export_who_comes(client, joint, sign_in,
                                                                      make_user, make_space):
    """An animator of the private group only (a linked space) may read the meeting but not
    change it nor export the e-mails of the council's attendees."""
    council, group, _organiser, meeting = joint
    from placette_plugins.agenda import rsvp
    citizen = make_user(member_of=council, email="citizen@example.org")
    rsvp.answer(meeting, citizen, "yes", None)
    linked_animator = make_user(member_of=group, role="animator")
    sign_in(linked_animator)
    base = f"/s/avis-budget/agenda/{meeting.id}"
    assert client.get(base).status_code == 200
    assert client.get(base + "/attendees.csv").status_code == 403
    assert client.get(base + "/attendees").status_code == 403
    assert client.get(base + "/edit").status_code == 403
    patched = client.patch(f"/api/v1/spaces/avis-budget/agenda/meetings/{meeting.id}",
                           json={"title": "Hijacked"})
    assert patched.status_code == 403
    home_animator = make_user(member_of=council, role="animator")
    sign_in(home_animator)
    csv = client.get(f"/s/quartier-centre-ville/agenda/{meeting.id}/attendees.csv")
    assert csv.status_code == 200 and "citizen@example.org" in csv.get_data(as_text=True)
