"""The rules of the plugin, in one place for the pages, the API, the demo and the tasks.

* who may be handed a key: an active member of the room's space (guests included, until their
  end date);
* a hand-over names the room version it saw: if someone else recorded one in between, it fails
  with ``conflict`` instead of silently rewriting the log;
* every hand-over publishes the room in the resource registry and emits ``keys.key.handed_over``
  to the new holder (and the previous one, if the space's settings say so), after commit.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from peewee import JOIN

import placette

from .models import Handover, Room

PLUGIN = "keys"


@dataclass
class KeysError(Exception):
    """A refused change; ``code`` is stable (API), ``field`` names the form field at fault."""

    code: str
    message: str
    field: str | None = None


def settings(space):
    return placette.settings_of(space, PLUGIN)


def members_of(space) -> list:
    """Active members of a space (guests until their end date), by name: the hand-over choices."""
    return list(placette.active_memberships()
                .select(placette.Membership, placette.User)
                .join(placette.User)
                .where(placette.Membership.space == space.id)
                .order_by(placette.User.display_name, placette.User.id))


def is_member(space, user_id: int) -> bool:
    return (placette.active_memberships()
            .where((placette.Membership.space == space.id)
                   & (placette.Membership.user == user_id)).exists())


def rooms_of(space, actor) -> list[Room]:
    """The rooms of a space with their holders, as ``actor`` may see them, in one query whatever
    their number.

    A room hidden or pending in moderation is left out for everyone but the person who added it
    and the space's animators: ``placette.exclude_moderated`` adds one ``NOT EXISTS`` to the
    statement (no query per room).
    """
    Holder = placette.User.alias("holder")
    query = (Room.select(Room, Holder)
             .join_from(Room, Holder, JOIN.LEFT_OUTER, on=(Room.holder == Holder.id))
             .where(Room.space == space.id)
             .order_by(Room.name))
    return list(placette.exclude_moderated(query, actor, PLUGIN, "room"))


def room_in(space, room_id: int) -> Room | None:
    """A room, only if it belongs to this space (an id from another space is not found)."""
    Holder = placette.User.alias("holder")
    return (Room.select(Room, Holder)
            .join_from(Room, Holder, JOIN.LEFT_OUTER, on=(Room.holder == Holder.id))
            .where((Room.id == room_id) & (Room.space == space.id))
            .first())


def log_query(space, actor, room: Room | None = None):
    """Hand-overs of a space (or one room) as ``actor`` may see them, newest first, with every
    person preloaded (the hand-overs of a room hidden by moderation are left out like the room)."""
    Giver = placette.User.alias("giver")
    Receiver = placette.User.alias("receiver")
    Recorder = placette.User.alias("recorder")
    query = (Handover.select(Handover, Room, Giver, Receiver, Recorder)
             .join(Room)
             .join_from(Handover, Giver, JOIN.LEFT_OUTER, on=(Handover.giver == Giver.id))
             .join_from(Handover, Receiver, JOIN.LEFT_OUTER,
                        on=(Handover.receiver == Receiver.id))
             .join_from(Handover, Recorder, JOIN.LEFT_OUTER,
                        on=(Handover.recorded_by == Recorder.id))
             .where(Room.space == space.id)
             .order_by(Handover.created_at.desc(), Handover.id.desc()))
    if room is not None:
        query = query.where(Handover.room == room.id)
    return placette.exclude_moderated(query, actor, PLUGIN, "room", id_field=Room.id)


def overdue_after(space) -> dt.timedelta:
    return dt.timedelta(days=settings(space).max_days)


def is_overdue(room: Room, limit: dt.timedelta, now: dt.datetime | None = None) -> bool:
    return room.held_since is not None and (now or placette.utcnow()) - room.held_since > limit


def publish(room: Room, space, author: Any = None):
    """Keep the room's entry in the resource registry (search, activity...) in step.

    Rooms are shown to members only (``visibility="members"``), like the pages that list who
    holds what.  ``author`` is who added the room; later calls (a hand-over, a reminder) keep
    the one recorded -- moderation lets the author see their room even when it is hidden.
    """
    if author is None:
        known = placette.lookup_resource(PLUGIN, "room", room.id)
        author = known.author_id if known is not None else None
    return placette.publish_resource(
        PLUGIN, "room", room.id, space=space, title=room.name, url=f"/s/{space.slug}/keys/rooms/"
        f"{room.id}", author=author, visibility="members", summary=room.place)


def create_room(space, name: str, place: str = "", actor: Any = None) -> Room:
    name = (name or "").strip()
    if not name or len(name) > 120:
        raise KeysError("invalid_name", placette._("A name of 1 to 120 characters is needed."),
                        "name")
    if Room.select().where((Room.space == space.id) & (Room.name == name)).exists():
        raise KeysError("name_taken", placette._("This space already has a room with this "
                                                 "name."), "name")
    with placette.atomic():
        room = Room.create(space=space.id, name=name, place=(place or "").strip()[:200])
        publish(room, space, actor)
        placette.record_audit(actor, "keys.room.create", target=f"keys.room:{room.id}",
                              space=space, after={"name": room.name, "place": room.place})
    return room


def hand_over(room: Room, space, receiver_id: int | None, actor: Any, note: str = "",
              seen_version: int | None = None, notify: bool = True) -> Handover:
    """Give the key of ``room`` to ``receiver_id`` (``None``: back to the desk).

    ``seen_version`` is the room version the person looked at (the form carries it); by default
    the one just read.  ``notify=False`` records without any event (demo seeding).
    """
    note = (note or "").strip()
    if len(note) > 500:
        raise KeysError("invalid_note", placette._("The note is too long (500 characters at "
                                                   "most)."), "note")
    if receiver_id is not None and not is_member(space, receiver_id):
        raise KeysError("not_a_member", placette._("The key can only go to a member of this "
                                                   "space."), "receiver")
    if receiver_id is None and room.at_desk:
        raise KeysError("already_at_desk", placette._("This key is already at the key desk."),
                        "receiver")
    if receiver_id is not None and receiver_id == room.holder_id:
        raise KeysError("already_holds", placette._("This person already holds the key."),
                        "receiver")
    version = room.version if seen_version is None else seen_version
    now = placette.utcnow()
    with placette.atomic():
        changed = (Room.update(holder=receiver_id, held_since=now if receiver_id else None,
                               reminded_at=None, version=Room.version + 1)
                   .where((Room.id == room.id) & (Room.version == version))
                   .execute())
        if changed != 1:
            raise KeysError("conflict", placette._("Someone recorded another hand-over of this "
                                                   "key a moment ago: look again and retry."))
        record = Handover.create(room=room.id, giver=room.holder_id, receiver=receiver_id,
                                 from_desk=room.at_desk, returned=receiver_id is None,
                                 recorded_by=getattr(actor, "id", None), note=note,
                                 created_at=now)
        resource = publish(room, space)
        if notify:
            recipients = {receiver_id} if receiver_id else set()
            if room.holder_id and settings(space).notify_previous_holder:
                recipients.add(room.holder_id)
            placette.emit("keys.key.handed_over", space=space, resource=resource, actor=actor,
                          data={"room": room.name, "room_id": room.id, "to": receiver_id,
                                "from": room.holder_id, "returned": receiver_id is None},
                          recipients=sorted(recipients))
    room.holder_id, room.held_since = receiver_id, now if receiver_id else None
    room.version = version + 1
    return record


def held_by(actor) -> list[Room]:
    """Rooms whose key the actor holds, where they may still see the keys and the module is on
    (and moderation has not hidden the room from them)."""
    if not getattr(actor, "is_authenticated", False):
        return []
    query = placette.visible(Room.select(Room, placette.Space).join(placette.Space)
                             .where(Room.holder == actor.id), actor)
    query = placette.exclude_moderated(query, actor, PLUGIN, "room")
    return [room for room in query.order_by(Room.held_since)
            if placette.is_enabled(room.space, PLUGIN)
            and placette.can(actor, "keys.view", room.space)]
