"""The agenda's JSON API, under ``/api/v1/spaces/<slug>/agenda/`` (in the OpenAPI document).

Bodies are pydantic models refusing unknown fields.  Whatever the caller may not see answers 404
``{"error": {"code": "not_found", ...}}``; refused input answers 4xx with a stable code and
changes nothing.  Times are ISO 8601; a time without offset is read in the meeting's time zone
(the instance's by default) and answers carry the offset.
"""
from __future__ import annotations

import datetime as dt
from typing import Literal

import placette
from flask import request
from flask_login import current_user
from pydantic import BaseModel, ConfigDict, Field

from . import occurrences, queries, rsvp, service, timing
from .models import Meeting, MeetingSpace, Rsvp

MAX_PAGE = 200
Visibility = Literal["space", "public", "network", "members", "animators"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class MeetingIn(Strict):
    title: placette.OneLineStr = Field(max_length=200)
    description: str = Field("", max_length=20000, description="Markdown")
    starts_at: dt.datetime
    ends_at: dt.datetime
    timezone: str | None = Field(None, description="IANA zone; default: the instance's")
    rrule: placette.OneLineStr | None = Field(None, max_length=500,
                              description="RFC 5545 RRULE, e.g. FREQ=MONTHLY;BYDAY=1TU")
    address: placette.OneLineStr = Field("", max_length=300)
    room: placette.OneLineStr = Field("", max_length=150)
    map_url: placette.OneLineStr = Field("", max_length=500)
    online_url: placette.OneLineStr = Field("", max_length=500)
    capacity: int | None = None
    visibility: Visibility | None = Field(None, description="default: the space's setting")
    reminder_hours: list[int] | None = Field(None, description="default: the space's setting")
    spaces: list[str] = Field(default_factory=list,
                              description="slugs of other spaces showing it (joint meeting)")


class MeetingPatch(Strict):
    title: placette.OneLineStr | None = Field(None, max_length=200)
    description: str | None = Field(None, max_length=20000)
    starts_at: dt.datetime | None = None
    ends_at: dt.datetime | None = None
    timezone: str | None = None
    rrule: placette.OneLineStr | None = Field(None, max_length=500)
    address: placette.OneLineStr | None = Field(None, max_length=300)
    room: placette.OneLineStr | None = Field(None, max_length=150)
    map_url: placette.OneLineStr | None = Field(None, max_length=500)
    online_url: placette.OneLineStr | None = Field(None, max_length=500)
    capacity: int | None = None
    visibility: Visibility | None = None
    reminder_hours: list[int] | None = None
    spaces: list[str] | None = None


class RsvpIn(Strict):
    answer: Literal["yes", "no", "maybe"]
    occurrence: str | None = Field(None, description="for a series: the date's key "
                                   "(default: the next one)")
    waiting_list: bool = Field(False, description="join the waiting list if the meeting is full")


class OccurrenceOut(BaseModel):
    key: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    status: str


class AttendanceOut(BaseModel):
    yes: int
    maybe: int
    no: int
    waiting: int


class MeetingOut(BaseModel):
    id: int
    uid: str
    title: str
    description: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    timezone: str
    rrule: str | None
    status: str
    visibility: str | None
    capacity: int | None
    address: str
    room: str
    map_url: str
    online_url: str
    reminder_hours: list[int]
    sequence: int
    spaces: list[str]
    url: str
    ics_url: str
    next_occurrences: list[OccurrenceOut] = []
    attendance: AttendanceOut | None = None
    my_answer: str | None = None


class RsvpOut(BaseModel):
    meeting: int
    occurrence: str
    answer: str
    waiting_list: bool
    attendance: AttendanceOut


def _fail(exc: service.AgendaError):
    return placette.ApiError(exc.status, exc.code, exc.message,
                             {"field": exc.field} if exc.field else None)


def _meeting_or_404(space, meeting_id: int) -> Meeting:
    meeting = queries.get_visible(current_user, meeting_id, space)
    if meeting is None:
        raise placette.ApiError(404, "not_found", "not found")
    return meeting


def _out(meeting: Meeting, space, slugs: list[str], detail: bool = False) -> dict:
    tz = meeting.timezone
    data = {
        "id": meeting.id, "uid": meeting.uid, "title": meeting.title,
        "description": meeting.description,
        "starts_at": timing.to_local(meeting.starts_at, tz).isoformat(),
        "ends_at": timing.to_local(meeting.ends_at, tz).isoformat(), "timezone": tz,
        "rrule": meeting.rrule, "status": meeting.status, "visibility": meeting.visibility,
        "capacity": meeting.capacity, "address": meeting.address, "room": meeting.room,
        "map_url": meeting.map_url, "online_url": meeting.online_url,
        "reminder_hours": meeting.reminder_hours or [], "sequence": meeting.sequence,
        "spaces": slugs, "url": f"/s/{space.slug}/agenda/{meeting.id}",
        "ics_url": f"/s/{space.slug}/agenda/{meeting.id}.ics",
    }
    if detail:
        nexts = occurrences.upcoming_of(meeting, 10) if meeting.rrule else []
        data["next_occurrences"] = [
            {"key": o.key, "starts_at": timing.to_local(o.starts_at, tz).isoformat(),
             "ends_at": timing.to_local(o.ends_at, tz).isoformat(), "status": o.status}
            for o in nexts]
        occ = occurrences.find(meeting, None)
        key = occ.key if occ is not None else ""
        data["attendance"] = service.attendance(meeting, key)
        if current_user.is_authenticated:
            mine = Rsvp.get_or_none(meeting=meeting.id, occurrence=key, user=current_user.id)
            data["my_answer"] = mine.answer if mine else None
    return data


def _slugs(meeting_ids: list[int]) -> dict[int, list[str]]:
    """The spaces each meeting appears in, as the caller may see them: a joint meeting never
    names a space the caller may not know exists (``placette.visible_spaces``)."""
    found: dict[int, list] = {i: [] for i in meeting_ids}
    if meeting_ids:
        for link in (MeetingSpace.select(MeetingSpace.meeting, placette.Space.id,
                                         placette.Space.slug, placette.Space.visibility,
                                         placette.Space.archived_at)
                     .join(placette.Space, on=(MeetingSpace.space == placette.Space.id))
                     .where(MeetingSpace.meeting.in_(meeting_ids))
                     .order_by(MeetingSpace.id).namedtuples()):
            found[link.meeting].append(link)
    return {mid: [s.slug for s in placette.visible_spaces(links, current_user)]
            for mid, links in found.items()}


def _number(name: str, default: int, low: int, high: int) -> int:
    raw = request.args.get(name, str(default))
    if not (len(raw) <= 9 and raw.isascii() and raw.isdigit()) or not low <= int(raw) <= high:
        raise placette.ApiError(400, "invalid_parameter",
                                f"{name} must be an integer from {low} to {high}")
    return int(raw)


def _input(body: BaseModel) -> dict:
    data = body.model_dump(exclude_unset=True)
    for name in ("starts_at", "ends_at"):  # aware or naive datetimes pass as they are
        if name in data and data[name] is None:
            raise placette.ApiError(422, "invalid_body", f"{name} cannot be null")
    return data


def register(api) -> None:
    @api.space_route("agenda", "/meetings", response=list[MeetingOut],
                     summary="Meetings of a space the caller may see",
                     query={"when": "upcoming (default: not over yet), past, or all",
                            "page": "page number (1...)",
                            "per_page": f"items per page (1-{MAX_PAGE}, default 50)"})
    def list_meetings(space):
        when = request.args.get("when", "upcoming")
        if when not in ("upcoming", "past", "all"):
            raise placette.ApiError(400, "invalid_parameter", "when is upcoming, past or all")
        page, per_page = _number("page", 1, 1, 100000), _number("per_page", 50, 1, MAX_PAGE)
        now = placette.utcnow()
        query = queries.visible_meetings(current_user, space)
        if when == "upcoming":
            query = query.where(Meeting.last_end > now).order_by(Meeting.first_start, Meeting.id)
        elif when == "past":
            query = query.where(Meeting.first_start <= now).order_by(Meeting.first_start.desc(),
                                                                      Meeting.id.desc())
        else:
            query = query.order_by(Meeting.first_start, Meeting.id)
        rows = list(query.paginate(page, per_page))
        slugs = _slugs([m.id for m in rows])
        return [_out(m, space, slugs[m.id]) for m in rows]

    @api.space_route("agenda", "/meetings", methods=["POST"], body=MeetingIn,
                     response=MeetingOut, status=201, auth="required",
                     summary="Publish a meeting (or a recurring series)")
    def create_meeting(space, body: MeetingIn):
        try:
            meeting = service.create_meeting(space, current_user, _input(body))
        except service.AgendaError as exc:
            raise _fail(exc) from None
        return _out(meeting, space, _slugs([meeting.id])[meeting.id], detail=True), 201

    @api.space_route("agenda", "/meetings/<int:meeting_id>", response=MeetingOut,
                     summary="One meeting, with its next dates and attendance")
    def get_meeting(space, meeting_id):
        meeting = _meeting_or_404(space, meeting_id)
        return _out(meeting, space, _slugs([meeting.id])[meeting.id], detail=True)

    @api.space_route("agenda", "/meetings/<int:meeting_id>", methods=["PATCH"],
                     body=MeetingPatch, response=MeetingOut, auth="required",
                     summary="Change a meeting; a new time marks it moved and tells people")
    def patch_meeting(space, meeting_id, body: MeetingPatch):
        meeting = _meeting_or_404(space, meeting_id)
        data = _input(body)
        if "visibility" in data and data["visibility"] is None:
            data["visibility"] = "space"
        try:
            service.update_meeting(meeting, current_user, data)
        except service.AgendaError as exc:
            raise _fail(exc) from None
        return _out(meeting, space, _slugs([meeting.id])[meeting.id], detail=True)

    @api.space_route("agenda", "/meetings/<int:meeting_id>", methods=["DELETE"],
                     response=MeetingOut, auth="required",
                     summary="Cancel a meeting (kept, marked cancelled, people told at once)")
    def cancel_meeting(space, meeting_id):
        meeting = _meeting_or_404(space, meeting_id)
        try:
            service.cancel_meeting(meeting, current_user)
        except service.AgendaError as exc:
            raise _fail(exc) from None
        return _out(meeting, space, _slugs([meeting.id])[meeting.id], detail=True)

    @api.space_route("agenda", "/meetings/<int:meeting_id>/rsvp", methods=["PUT"],
                     body=RsvpIn, response=RsvpOut, auth="required",
                     summary="Say whether you come: yes, no or maybe")
    def put_rsvp(space, meeting_id, body: RsvpIn):
        meeting = _meeting_or_404(space, meeting_id)
        try:
            row = rsvp.answer(meeting, current_user, body.answer, body.occurrence,
                              waiting_list=body.waiting_list)
        except service.AgendaError as exc:
            raise _fail(exc) from None
        return {"meeting": meeting.id, "occurrence": row.occurrence, "answer": row.answer,
                "waiting_list": row.waiting,
                "attendance": service.attendance(meeting, row.occurrence)}
