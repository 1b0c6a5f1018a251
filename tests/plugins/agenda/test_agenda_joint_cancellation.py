"""A joint meeting owned by a private group: the linked councils' members were invited, so they
hear of its cancellation (or of a date moved) -- through their council, without the private
group ever being named to them."""
from __future__ import annotations

import datetime as dt

import pytest


@pytest.fixture
def joint(make_space, make_user, app):
    from placette.spaces import add_member
    from placette_plugins.agenda import service
    group = make_space("avis-budget", visibility="private", plugins=["agenda"],
                       name="Avis Budget Secret")
    council = make_space("quartier-nord", visibility="members", plugins=["agenda"],
                         name="Quartier Nord")
    organiser = make_user(name="Organiser")
    add_member(group, organiser, "animator")
    add_member(council, organiser, "animator")
    resident = make_user(name="Youssef Benali", member_of=council)   # the council only
    insider = make_user(name="Inès Interne", member_of=group)         # the group only
    outsider = make_user(name="Léa Martin")
    start = (dt.datetime.now() + dt.timedelta(days=5)).replace(minute=0, second=0,
                                                                microsecond=0)
    meeting = service.create_meeting(group, organiser, {
        "title": "Budget conjoint", "starts_at": start, "ends_at": start + dt.timedelta(hours=2),
        "spaces": ["quartier-nord"]})
    return group, council, organiser, resident, insider, outsider, meeting


def _told(user, name):
    from placette.models import Event, Notification
    return list(Event.select().join(Notification, on=(Notification.event == Event.id))
                .where((Notification.user == user.id) & (Event.name == name)))


def test_cancelling_a_private_groups_joint_meeting_tells_the_linked_councils_members(
        client, joint, sign_in, outbox):
    from placette.testing import mail_text
    from placette_plugins.agenda import service
    group, council, organiser, resident, insider, outsider, meeting = joint
    resident.notification_prefs = {"email": "immediate"}
    resident.save()
    sign_in(insider)
    before = client.get("/s/avis-budget/activity").get_data(as_text=True).count("Budget conjoint")
    service.cancel_meeting(meeting, organiser)
    # news of the group too (EventType(activity=True)), though told to named people first
    after = client.get("/s/avis-budget/activity").get_data(as_text=True).count("Budget conjoint")
    assert after == before + 1
    told = _told(resident, "agenda.meeting.cancelled")
    assert len(told) == 1
    assert told[0].space_id == council.id
    assert told[0].data["url"] == f"/s/quartier-nord/agenda/{meeting.id}"
    assert len(_told(insider, "agenda.meeting.cancelled")) == 1      # the group's member too
    assert _told(outsider, "agenda.meeting.cancelled") == []
    mails = [mail_text(m) for m in outbox(resident.email)]
    assert any("Budget conjoint" in m for m in mails)
    assert not any("Avis Budget" in m or "avis-budget" in m for m in mails)
    sign_in(resident)                            # the link in the bell opens the meeting
    bell = client.get("/notifications").get_data(as_text=True)
    assert "Budget conjoint" in bell and "Avis Budget" not in bell
    assert client.get(f"/s/quartier-nord/agenda/{meeting.id}").status_code == 200


def test_a_linked_council_member_hears_of_a_moved_date_once(joint):
    from placette_plugins.agenda import service
    group, council, organiser, resident, insider, outsider, meeting = joint
    later = meeting.starts_at + dt.timedelta(days=1)
    service.update_meeting(meeting, organiser, {"title": meeting.title, "starts_at": later,
                                                "ends_at": later + dt.timedelta(hours=2)})
    assert len(_told(resident, "agenda.meeting.moved")) == 1
    assert len(_told(insider, "agenda.meeting.moved")) == 1
    assert len(_told(organiser, "agenda.meeting.moved")) == 0       # who did it
