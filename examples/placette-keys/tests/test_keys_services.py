"""What placette-keys gives the kernel's services: resources, events, tasks, RGPD, the demo city."""
import datetime as dt
import json

import placette
from placette_keys.models import Handover, Room
from placette_keys.service import hand_over
from placette_keys.tasks import remind_overdue


def test_rooms_are_published_as_members_only_resources(council, room):
    resource = placette.Resource.get(plugin="keys", kind="room", object_id=str(room.id))
    assert resource.title == "Salle polyvalente" and resource.visibility == "members"
    assert resource.url == f"/s/quartier-nord/keys/rooms/{room.id}"
    assert resource.space_id == council.id


def test_a_hand_over_keeps_who_added_the_room(council, people):
    """The registry row is re-published at each hand-over: its author must stay (moderation lets
    the author see their room even when it is hidden)."""
    from placette_keys.service import create_room
    room = create_room(council, "Atelier", "", people["martine"])
    hand_over(room, council, people["youssef"].id, people["animator"])
    resource = placette.lookup_resource("keys", "room", room.id)
    assert resource.author_id == people["martine"].id


def test_overdue_holders_are_reminded_once(council, people, room, events):
    hand_over(room, council, people["martine"].id, people["animator"])
    assert remind_overdue() == 0  # held for seconds: not overdue
    Room.update(held_since=placette.utcnow() - dt.timedelta(days=15)).execute()
    assert remind_overdue() == 1
    [event] = events("keys.key.overdue")
    assert event["recipients"] == [people["martine"].id] and event["space"] == "quartier-nord"
    assert remind_overdue() == 0  # once, not every morning


def test_no_reminder_where_the_module_is_off(council, people, room, events):
    from placette.modules import set_module  # what the admin's "switch off" button does
    hand_over(room, council, people["martine"].id, people["animator"])
    Room.update(held_since=placette.utcnow() - dt.timedelta(days=60)).execute()
    set_module(council, "keys", False)
    assert remind_overdue() == 0 and events("keys.key.overdue") == []


def test_data_export_and_erasure(client, council, people, room, sign_in):
    martine = people["martine"]
    hand_over(room, council, martine.id, people["animator"], note="pour la réunion")
    sign_in(martine)
    mine = json.loads(client.get("/me/data.json").get_data(as_text=True))["plugins"]["keys"]
    assert mine["keys_held"] == [{"space": "quartier-nord", "room": "Salle polyvalente",
                                  "since": mine["keys_held"][0]["since"]}]
    assert mine["handovers"][0]["received"] is True and mine["handovers"][0]["note"] == ""
    response = client.post("/me/delete", data={"confirm": martine.email})
    assert response.status_code == 302
    assert Room.get_by_id(room.id).holder_id is None
    assert Room.get_by_id(room.id).held_since is not None  # not at the desk: with a former member
    entry = Handover.get()
    assert entry.receiver_id is None and entry.note == "pour la réunion"  # the animator's note
    sign_in(people["animator"])
    assert "un ancien membre" in client.get(f"/s/quartier-nord/keys/rooms/{room.id}").get_data(
        as_text=True)


def test_the_demo_city_has_rooms_and_an_overdue_key_for_martine(demo_city, client, sign_in):
    assert Room.select().count() >= 30 and Handover.select().count() >= 30
    member = demo_city.accounts["member"]
    sign_in(member)
    dashboard = client.get("/").get_data(as_text=True)
    assert "Les clés que vous avez" in dashboard and "en retard" in dashboard
    bellevue = demo_city.spaces["quartier-bellevue"]
    room = Room.get((Room.holder == member.id) & (Room.space == bellevue.id))
    assert placette.Resource.get_or_none(plugin="keys", kind="room", object_id=str(room.id))
    assert client.get(f"/s/quartier-bellevue/keys/rooms/{room.id}").status_code == 200


def test_adding_a_room_is_in_the_audit_log(client, council, people, sign_in, make_user):
    sign_in(people["animator"])
    client.post("/s/quartier-nord/keys/rooms/new", data={"name": "Salle D"})
    sign_in(make_user(admin=True))
    audit = client.get("/admin/audit").get_data(as_text=True)
    assert "keys.room.create" in audit and people["animator"].email in audit
