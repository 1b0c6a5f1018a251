"""JSON endpoints under ``/api/v1/spaces/<slug>/keys/`` (they appear in ``/api/openapi.json``).

``api.space_route("keys", ...)`` answers 404 where the space may not be read or the module is off;
each view then asks the same permission gate as the pages.  Bodies are pydantic models that refuse
unknown fields; errors are ``{"error": {"code", "message"}}``.
"""
from __future__ import annotations

import datetime as dt

from flask_login import current_user
from pydantic import BaseModel, ConfigDict, Field

import placette

from . import service


class PersonOut(BaseModel):
    id: int
    display_name: str


class RoomOut(BaseModel):
    id: int
    name: str
    place: str
    holder: PersonOut | None = Field(description="null: at the key desk, or a former member")
    at_desk: bool
    held_since: dt.datetime | None
    overdue: bool
    version: int
    url: str


class HandoverOut(BaseModel):
    id: int
    room_id: int
    giver: PersonOut | None
    receiver: PersonOut | None
    from_desk: bool
    returned: bool
    note: str
    created_at: dt.datetime


class HandoverIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    to: placette.Id | None = Field(description="id of the member who receives the key; null brings it "
                                       "back to the key desk")
    note: str = Field("", max_length=500)
    version: int | None = Field(None, ge=0, le=placette.MAX_ID,
                                description="the room version you saw; a hand-over "
                                                  "recorded since then makes this one fail (409)")


class HandoverResult(BaseModel):
    room: RoomOut
    handover: HandoverOut


def _person(user) -> dict | None:
    return {"id": user.id, "display_name": user.display_name} if user else None


def room_out(room, space, limit: dt.timedelta) -> dict:
    return {"id": room.id, "name": room.name, "place": room.place,
            "holder": _person(room.holder), "at_desk": room.at_desk,
            "held_since": room.held_since, "overdue": service.is_overdue(room, limit),
            "version": room.version, "url": f"/s/{space.slug}/keys/rooms/{room.id}"}


def handover_out(h) -> dict:
    return {"id": h.id, "room_id": h.room_id, "giver": _person(h.giver),
            "receiver": _person(h.receiver), "from_desk": h.from_desk, "returned": h.returned,
            "note": h.note, "created_at": h.created_at}


def _viewable(space) -> None:
    if not placette.can(current_user, "keys.view", space):
        raise placette.ApiError(404, "not_found", "not found")


def _room(space, room_id: int):
    _viewable(space)
    room = service.room_in(space, room_id)
    if room is None or not placette.moderation_state("keys", "room", room.id).visible_to(
            current_user):
        raise placette.ApiError(404, "not_found", "not found")
    return room


def register(api) -> None:
    @api.space_route("keys", "/rooms", response=list[RoomOut],
                     summary="Rooms of a space and who holds each key")
    def list_rooms(space):
        _viewable(space)
        limit = service.overdue_after(space)
        return [room_out(r, space, limit) for r in service.rooms_of(space, current_user)]

    @api.space_route("keys", "/rooms/<int:room_id>/handovers", response=list[HandoverOut],
                     summary="Hand-over log of one room, newest first (at most 200)")
    def room_handovers(space, room_id):
        room = _room(space, room_id)
        return [handover_out(h) for h in service.log_query(space, current_user, room)
                .limit(200)]

    @api.space_route("keys", "/rooms/<int:room_id>/handover", methods=["POST"], body=HandoverIn,
                     response=HandoverResult, status=201, auth="required",
                     summary="Record that the key of a room changed hands")
    def post_handover(space, room_id, body: HandoverIn):
        room = _room(space, room_id)
        if not placette.can(current_user, "keys.handover", space):
            raise placette.ApiError(403, "forbidden", "you may not record hand-overs here")
        try:
            record = service.hand_over(room, space, body.to, current_user, body.note,
                                       seen_version=body.version)
        except service.KeysError as exc:
            status = 409 if exc.code in ("conflict", "already_holds", "already_at_desk") else 422
            raise placette.ApiError(status, exc.code, exc.message) from None
        fresh = service.room_in(space, room.id)
        entry = (service.log_query(space, current_user, fresh)
                 .where(service.Handover.id == record.id).get())
        return {"room": room_out(fresh, space, service.overdue_after(space)),
                "handover": handover_out(entry)}
