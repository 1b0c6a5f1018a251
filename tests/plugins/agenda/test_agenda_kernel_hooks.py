"""The agenda through the kernel's services: resource registry, events declared, settings form
generated from the schema, RGPD export and erasure, minutes and the attachments slot, the demo
seed, and query counts that do not grow with the data."""
from __future__ import annotations

import pytest

import datetime as dt


def test_resource_registry_follows_the_meeting(app, council, animator, make_meeting):
    from placette.models import Resource
    from placette_plugins.agenda import service
    meeting = make_meeting(council, animator, title="Budget 2027", room="Salle A",
                           description="On parle **budget**.", visibility="members")
    resource = Resource.get(Resource.plugin == "agenda")
    assert (resource.kind, resource.object_id, resource.title) == ("meeting", str(meeting.id),
                                                                   "Budget 2027")
    assert resource.url == f"/s/quartier-nord/agenda/{meeting.id}"
    assert resource.visibility == "members" and "Salle A" in resource.summary
    assert "On parle budget." in resource.summary
    service.update_meeting(meeting, animator, {"title": "Budget 2028"})
    assert Resource.get_by_id(resource.id).title == "Budget 2028"
    from placette.kernel import registry
    texts = registry().collect("search_documents", resource=Resource.get_by_id(resource.id))
    assert any("budget" in t for t in texts)
    kinds = registry().resource_kinds
    assert "agenda.meeting" in kinds
    assert registry().event_types["agenda.meeting.moved"].urgency == "urgent"
    assert registry().event_types["agenda.meeting.reminder"].urgency == "urgent"


def test_settings_form_is_generated_and_validated(client, sign_in, council, make_user):
    admin = make_user(admin=True)
    sign_in(admin)
    page = client.get("/s/quartier-nord/manage/modules/agenda/settings")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    for name in ("who_creates", "rsvp_enabled", "reminder_hours", "default_visibility"):
        assert f'name="{name}"' in html
    bad = client.post("/s/quartier-nord/manage/modules/agenda/settings", data={
        "who_creates": "members", "reminder_hours": "48, 9999",
        "default_visibility": "space"})
    assert bad.status_code in (200, 422)
    from placette.modules import settings_of
    assert settings_of(council, "agenda").who_creates == "animators"
    good = client.post("/s/quartier-nord/manage/modules/agenda/settings", data={
        "who_creates": "members", "rsvp_enabled": "y", "reminder_hours": "24",
        "default_visibility": "members"})
    assert good.status_code in (302, 303)
    from placette import request_cache
    request_cache.forget()
    settings = settings_of(council, "agenda")
    assert settings.who_creates == "members" and settings.reminder_hours == [24]


def test_new_meetings_take_the_space_defaults(app, council, animator, make_meeting):
    from placette.modules import set_module
    set_module(council, "agenda", True, {"reminder_hours": [24, 1],
                                         "default_visibility": "members"})
    meeting = make_meeting(council, animator)
    assert meeting.reminder_hours == [24, 1] and meeting.visibility == "members"


def test_minutes_after_the_meeting_and_the_attachments_slot(client, sign_in, council, animator,
                                                            make_meeting, make_user, events,
                                                            placette_extra_plugins, local_now):
    future = make_meeting(council, animator, days=2)
    sign_in(animator)
    early = client.post(f"/s/quartier-nord/agenda/{future.id}/minutes",
                        data={"text": "Trop tôt"})
    assert early.status_code == 422
    start = local_now - dt.timedelta(days=1)
    from placette_plugins.agenda.models import Minutes
    past = make_meeting(council, animator, starts_at=start, ends_at=start + dt.timedelta(
        hours=2), title="Réunion passée")
    response = client.post(f"/s/quartier-nord/agenda/{past.id}/minutes",
                           data={"text": "## Décisions\n\nOn refait le **square**."})
    assert response.status_code == 302
    html = client.get(f"/s/quartier-nord/agenda/{past.id}").get_data(as_text=True)
    assert "<strong>square</strong>" in html
    assert len(events("agenda.meeting.minutes")) == 1
    member = make_user(member_of=council)
    sign_in(member)
    assert client.get(f"/s/quartier-nord/agenda/{past.id}/minutes").status_code == 403
    assert Minutes.select().count() == 1
    past_list = client.get("/s/quartier-nord/agenda/?view=past").get_data(as_text=True)
    assert "Réunion passée" in past_list


def test_rgpd_export_and_erase(app, council, animator, make_meeting, make_user):
    from placette.identity.rgpd import erase_user, export_user_data
    from placette_plugins.agenda import rsvp
    from placette_plugins.agenda.models import Meeting, Rsvp
    meeting = make_meeting(council, animator, capacity=1, title="Petit atelier")
    leaving, waiting = make_user(member_of=council), make_user(member_of=council)
    rsvp.answer(meeting, leaving, "yes")
    rsvp.answer(meeting, waiting, "yes", waiting_list=True)
    exported = export_user_data(leaving)["plugins"]["agenda"]
    assert exported["answers"][0]["meeting"] == "Petit atelier"
    assert export_user_data(animator)["plugins"]["agenda"]["meetings_published"][0]["id"] == \
        meeting.id
    erase_user(leaving)
    assert Rsvp.select().where(Rsvp.user == leaving.id).count() == 0
    assert Rsvp.get(Rsvp.user == waiting.id).waiting is False  # promoted into the free seat
    erase_user(animator)
    assert Meeting.get_by_id(meeting.id).author_id is None  # the council keeps its memory


def test_demo_seed_has_a_year_of_meetings(app):
    from placette.demo.city import seed
    from placette_plugins.agenda.models import (Meeting, MeetingException, Minutes, Rsvp)
    seed("demo-password", log=lambda *_: None)
    assert Meeting.select().where(Meeting.rrule.is_null(False)).count() >= 10
    assert MeetingException.select().where(MeetingException.status == "moved").count() >= 1
    assert MeetingException.select().where(MeetingException.status == "cancelled").count() >= 1
    assert Rsvp.select().count() > 100 and Minutes.select().count() > 10
    first, last = (Meeting.select(Meeting.first_start).order_by(Meeting.first_start).scalar(),
                   Meeting.select(Meeting.last_end).order_by(Meeting.last_end.desc()).scalar())
    assert (last - first).days >= 300


def _count(client, path):
    from placette.db import query_counter
    client.get(path)  # warm: per-process caches
    query_counter.reset()
    response = client.get(path)
    assert response.status_code == 200, path
    return query_counter.count


def test_query_counts_do_not_grow_with_the_data(client, sign_in, make_space, make_user,
                                                make_meeting, local_now):
    from placette_plugins.agenda import rsvp
    spaces = [make_space(f"c{i}", plugins=["agenda"]) for i in range(3)]
    viewer = make_user(member_of=spaces, role="animator")
    pages = ["/s/c0/agenda/", "/s/c0/agenda/?view=past", "/s/c0/agenda/?view=month",
             "/agenda/", "/agenda/?view=month", "/", "/s/c0/agenda/feed.ics", "/s/c0"]

    def add(n, offset):
        for i in range(n):
            space = spaces[i % 3]
            start = (local_now + dt.timedelta(days=offset + i % 20, hours=i)).replace(
                minute=0)
            meeting = make_meeting(space, viewer, starts_at=start,
                                   ends_at=start + dt.timedelta(hours=1),
                                   rrule="FREQ=WEEKLY;COUNT=8" if i % 4 == 0 else None,
                                   spaces=[spaces[(i + 1) % 3].slug] if i % 5 == 0 else [])
            rsvp.answer(meeting, viewer, "yes")
            past = start - dt.timedelta(days=40)
            make_meeting(space, viewer, starts_at=past, ends_at=past + dt.timedelta(hours=1))

    add(3, 1)
    sign_in(viewer)
    small = {path: _count(client, path) for path in pages}
    add(30, 2)
    large = {path: _count(client, path) for path in pages}
    assert small == large
    assert max(large.values()) <= 20, large
