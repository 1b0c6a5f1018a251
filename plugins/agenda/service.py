"""Meetings: create, change, move, cancel -- the rules shared by the pages and the API.

Every change validates everything first and writes nothing on error (:class:`AgendaError`), then
writes in one transaction: the meeting, its spaces, its resource-registry row (title, summary,
url: search and other kernel services read it) and its event.  Moving or cancelling is urgent.
"""
from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import placette
from peewee import fn

from . import occurrences, timing
from .models import FAR_FUTURE, Meeting, MeetingException, MeetingSpace, Minutes, Rsvp
from .settings import check_reminder_hours

PLUGIN = "agenda"
FIELDS = ("title", "description", "starts_at", "ends_at", "timezone", "rrule", "address",
          "room", "map_url", "online_url", "capacity", "visibility", "reminder_hours", "spaces")


class AgendaError(placette.PlacetteError):
    """Refused input or action.  ``status`` is the HTTP answer, ``field`` the input to mark."""

    def __init__(self, code: str, message: str, field: str | None = None, status: int = 422):
        super().__init__(message)
        self.code, self.message, self.field, self.status = code, message, field, status


def meeting_path(meeting: Meeting, space_slug: str | None = None) -> str:
    return f"/s/{space_slug or meeting.space.slug}/agenda/{meeting.id}"


def settings(space) -> Any:
    return placette.settings_of(space, PLUGIN)


# -- validation -------------------------------------------------------------------------------

ONE_LINE_FIELDS = {"title", "address", "room", "map_url", "online_url"}
ONE_LINE_MESSAGE = "must be written on one line, without line breaks or control characters"


def _text(data: dict, name: str, limit: int, required: bool = False) -> str:
    value = (data.get(name) or "").strip()
    if required and not value:
        raise AgendaError("required", f"{name} is required", name)
    if len(value) > limit:
        raise AgendaError("too_long", f"{name} has at most {limit} characters", name)
    if name in ONE_LINE_FIELDS and placette.one_line(value) != value:
        raise AgendaError("invalid_characters", f"{name} {ONE_LINE_MESSAGE}", name)
    return value


def _url(data: dict, name: str) -> str:
    value = _text(data, name, 500)
    if value and not value.startswith(("https://", "http://")):
        raise AgendaError("invalid_url", f"{name} must start with https://", name)
    return value


def _clean(data: dict[str, Any], current: Meeting | None, home) -> dict[str, Any]:
    """Merge ``data`` over the current meeting and check everything; returns column values."""
    merged: dict[str, Any] = {}
    base = {name: getattr(current, name) for name in FIELDS if name != "spaces"} \
        if current is not None else {}
    if current is not None:
        base["starts_at"] = timing.to_local(current.starts_at, current.timezone)
        base["ends_at"] = timing.to_local(current.ends_at, current.timezone)
    source = {**base, **data}
    merged["title"] = _text(source, "title", 200, required=True)
    merged["description"] = _text(source, "description", 20000)
    merged["address"] = _text(source, "address", 300)
    merged["room"] = _text(source, "room", 150)
    merged["map_url"] = _url(source, "map_url")
    merged["online_url"] = _url(source, "online_url")
    tz = source.get("timezone") or placette.current_config().timezone
    try:
        timing.zone(tz)
    except timing.TimingError as exc:
        raise AgendaError(exc.code, exc.message, exc.field) from None
    merged["timezone"] = tz
    start, end = source.get("starts_at"), source.get("ends_at")
    if not isinstance(start, dt.datetime):
        raise AgendaError("required", "starts_at is required", "starts_at")
    if not isinstance(end, dt.datetime):
        raise AgendaError("required", "ends_at is required", "ends_at")
    try:
        start_utc, end_utc = timing.to_utc(start, tz), timing.to_utc(end, tz)
        timing.check_span(start_utc, end_utc)
        rule = None
        if source.get("rrule"):
            rule = timing.normalise_rule(source["rrule"], start_utc, tz)
    except timing.TimingError as exc:
        raise AgendaError(exc.code, exc.message, exc.field) from None
    merged.update(starts_at=start_utc, ends_at=end_utc, first_start=start_utc,
                  rrule=rule.text if rule else None)
    if rule is None:
        merged["last_end"] = end_utc
    elif rule.last_start is None:
        merged["last_end"] = FAR_FUTURE
    else:
        merged["last_end"] = rule.last_start + (end_utc - start_utc)
    capacity = source.get("capacity")
    if capacity in ("", None):
        capacity = None
    elif not isinstance(capacity, int) or isinstance(capacity, bool) or not \
            1 <= capacity <= 100000:
        raise AgendaError("invalid_capacity", "capacity must be a whole number from 1 to "
                          "100000, or empty for no limit", "capacity")
    merged["capacity"] = capacity
    visibility = source.get("visibility") or None
    if visibility == "space":
        visibility = None
    if visibility not in (None, *placette.ITEM_VISIBILITIES):
        raise AgendaError("invalid_visibility", "visibility must be space, "
                          + ", ".join(placette.ITEM_VISIBILITIES), "visibility")
    merged["visibility"] = visibility
    hours = source.get("reminder_hours")
    if hours is None:
        hours = list(settings(home).reminder_hours)
    try:
        merged["reminder_hours"] = check_reminder_hours(hours)
    except (TypeError, ValueError) as exc:
        raise AgendaError("invalid_reminders", str(exc), "reminder_hours") from None
    return merged


def _extra_spaces(actor, home, slugs) -> list:
    """Other spaces a joint meeting appears in: the author must be allowed to publish there."""
    if slugs is None:
        return None
    found = []
    for slug in dict.fromkeys(slugs):
        if slug == home.slug:
            continue
        space = placette.Space.get_or_none(placette.Space.slug == slug)
        if space is None or not _may_publish_in(actor, space):
            raise AgendaError("invalid_space", f"you cannot publish meetings in {slug!r}",
                              "spaces")
        found.append(space)
    return found


def _may_publish_in(actor, space) -> bool:
    return (placette.can_read(actor, space) and placette.is_enabled(space, PLUGIN)
            and placette.can(actor, "agenda.meeting.create", space))


def _kept_links(meeting: Meeting, actor) -> list:
    """Linked spaces the editor may not publish in (maybe not even see): an edit keeps them,
    since the editor was never shown them and cannot have meant to remove them."""
    return [s for s in meeting.placette_spaces()
            if s.id != meeting.space_id and not _may_publish_in(actor, s)]


def attendance(meeting: Meeting, occurrence: str) -> dict[str, int]:
    counts = {"yes": 0, "maybe": 0, "no": 0, "waiting": 0}
    rows = placette.prepared("agenda.attendance", lambda mid, key: (
        Rsvp.select(Rsvp.answer, Rsvp.waiting, fn.COUNT(Rsvp.id).alias("n"))
        .where((Rsvp.meeting == mid) & (Rsvp.occurrence == key))
        .group_by(Rsvp.answer, Rsvp.waiting)), mid=meeting.id, key=occurrence).tuples()
    for answer, waiting, n in rows:
        counts["waiting" if waiting else answer] += n
    return counts


def _max_attendance(meeting: Meeting) -> int:
    row = (Rsvp.select(fn.COUNT(Rsvp.id).alias("n"))
           .where((Rsvp.meeting == meeting.id) & (Rsvp.answer == "yes") & ~Rsvp.waiting)
           .group_by(Rsvp.occurrence).order_by(fn.COUNT(Rsvp.id).desc()).limit(1).scalar())
    return row or 0


# -- resource registry ------------------------------------------------------------------------

def summary_of(meeting: Meeting) -> str:
    when = timing.to_local(meeting.starts_at, meeting.timezone).strftime("%Y-%m-%d %H:%M")
    place = ", ".join(p for p in (meeting.room, meeting.address) if p) or meeting.online_url
    head = f"{when} {place}".strip()
    body = placette.plain_text(meeting.description, 600)
    return f"{head}. {body}" if body else head


def publish(meeting: Meeting) -> None:
    resource = placette.publish_resource(
        PLUGIN, "meeting", meeting.id, space=meeting.space_id, title=meeting.title,
        url=meeting_path(meeting), author=meeting.author_id, visibility=meeting.visibility,
        summary=summary_of(meeting))
    if meeting.resource_id != resource.id:
        Meeting.update(resource=resource.id).where(Meeting.id == meeting.id).execute()
        meeting.resource = resource.id


def _recipients(meeting: Meeting) -> list[int]:
    """Everybody concerned by a change: members of its spaces and whoever answered."""
    space_ids = [l.space_id for l in MeetingSpace.select(MeetingSpace.space)
                 .where(MeetingSpace.meeting == meeting.id)]
    members = (placette.active_memberships().select(placette.Membership.user)
               .where(placette.Membership.space.in_(space_ids)))
    people = {row.user_id for row in members}
    people |= {r.user_id for r in Rsvp.select(Rsvp.user).where(Rsvp.meeting == meeting.id)}
    return sorted(people)


def _event(name: str, meeting: Meeting, actor, data: dict, urgent_recipients: bool = False):
    data = {"meeting": meeting.id, "title": meeting.title, **data}
    if not urgent_recipients:
        placette.emit(f"agenda.meeting.{name}", space=meeting.space_id,
                      resource=meeting.resource_id, actor=actor, data=data)
        return
    for space_id, (slug, people) in _recipients_by_space(meeting).items():
        home = space_id == meeting.space_id
        # In a linked space the event names no resource: its target is that space (which the
        # person reads), its link the meeting's page there -- the home space, maybe a private
        # group, is never named to them.
        placette.emit(f"agenda.meeting.{name}", space=space_id,
                      resource=meeting.resource_id if home else None, actor=actor,
                      data=data if home else {**data, "url": meeting_path(meeting, slug),
                                              "group": f"meeting-{meeting.id}"},
                      recipients=people)


def _recipients_by_space(meeting: Meeting) -> dict[int, tuple[str, list[int]]]:
    """:func:`_recipients`, each through a space they may read: the meeting's own space when
    they may see its registry row there, else the first linked space through which they may
    see the meeting (members of a council linked to a private group's meeting were invited:
    they must hear of a cancellation, though they cannot read the group)."""
    spaces = meeting.placette_spaces()
    home = next((s for s in spaces if s.id == meeting.space_id), meeting.space)
    resource = placette.lookup_resource(PLUGIN, "meeting", meeting.id)
    home_members = {row.user_id for row in placette.active_memberships()
                    .select(placette.Membership.user)
                    .where(placette.Membership.space == meeting.space_id)}
    found: dict[int, tuple[str, list[int]]] = {}
    people = _recipients(meeting)
    others = [u for u in placette.User.select().where(placette.User.id.in_(people))
              if u.id not in home_members] if people else []
    for uid in sorted(home_members & set(people)):
        found.setdefault(home.id, (home.slug, []))[1].append(uid)
    for person in others:
        if resource is not None and placette.can(person, "view", resource):
            found.setdefault(home.id, (home.slug, []))[1].append(person.id)
            continue
        if not placette.can(person, "view", meeting):
            continue
        linked = next((s for s in spaces if s.id != home.id and placette.can_read(person, s)),
                      None)
        if linked is not None:
            found.setdefault(linked.id, (linked.slug, []))[1].append(person.id)
    return found


def _iso(value: dt.datetime | None, tz: str) -> str | None:
    return timing.to_local(value, tz).isoformat() if value else None


# -- writing ----------------------------------------------------------------------------------

def create_meeting(space, actor, data: dict[str, Any]) -> Meeting:
    if not placette.can(actor, "agenda.meeting.create", space):
        raise AgendaError("forbidden", "you may not publish meetings here", status=403)
    if "visibility" not in data or data.get("visibility") is None:
        default = settings(space).default_visibility
        data = {**data, "visibility": None if default == "space" else default}
    values = _clean(data, None, space)
    extra = _extra_spaces(actor, space, data.get("spaces")) or []
    with placette.atomic():
        meeting = Meeting.create(uid=f"{uuid.uuid4()}@placette", space=space.id,
                                 author=getattr(actor, "id", None), **values)
        MeetingSpace.insert_many([{"meeting": meeting.id, "space": s.id}
                                  for s in [space, *extra]]).execute()
        occurrences.materialize(meeting)
        publish(meeting)
        _event("created", meeting, actor, {"starts_at": _iso(meeting.starts_at,
                                                             meeting.timezone)})
    return meeting


def update_meeting(meeting: Meeting, actor, data: dict[str, Any]) -> Meeting:
    """Change a meeting; a new time marks it moved (urgent event), capacity keeps attendance."""
    if not placette.can(actor, "agenda.meeting.edit", meeting):
        raise AgendaError("forbidden", "you may not change this meeting", status=403)
    if meeting.is_cancelled:
        raise AgendaError("meeting_cancelled", "this meeting is cancelled", status=409)
    unknown = set(data) - set(FIELDS)
    if unknown:
        raise AgendaError("unknown_field", f"unknown field(s): {', '.join(sorted(unknown))}")
    home = meeting.space
    values = _clean(data, meeting, home)
    extra = _extra_spaces(actor, home, data.get("spaces"))
    if extra is not None:
        chosen = {s.id for s in extra}
        extra = [*extra, *(s for s in _kept_links(meeting, actor) if s.id not in chosen)]
    if values["capacity"] is not None and values["capacity"] < _max_attendance(meeting):
        raise AgendaError("capacity_below_attendance",
                          f"{_max_attendance(meeting)} people already come: the capacity cannot "
                          "be lower", "capacity", status=409)
    moved = (values["starts_at"] != meeting.starts_at or values["ends_at"] != meeting.ends_at)
    rule_changed = values["rrule"] != meeting.rrule
    old_start = meeting.starts_at
    changed = {k: v for k, v in values.items() if getattr(meeting, k) != v}
    from . import rsvp
    with placette.atomic():
        for name, value in values.items():
            setattr(meeting, name, value)
        if changed or extra is not None:
            meeting.sequence += 1
        if moved and meeting.status == "planned":
            meeting.status = "moved"
        meeting.updated_at = placette.utcnow()
        meeting.save()
        if extra is not None:
            (MeetingSpace.delete().where((MeetingSpace.meeting == meeting.id)
                                         & (MeetingSpace.space != meeting.space_id)).execute())
            if extra:
                MeetingSpace.insert_many([{"meeting": meeting.id, "space": s.id}
                                          for s in extra]).execute()
            meeting._spaces = None
        if rule_changed and meeting.rrule:
            # Exceptions of dates that no longer exist in the new series are dropped.
            (MeetingException.delete().where(MeetingException.meeting == meeting.id).execute())
        occurrences.materialize(meeting)
        if "capacity" in changed:
            for key in rsvp.occurrence_keys(meeting):
                rsvp.promote(meeting, key)
        publish(meeting)
        if moved:
            _event("moved", meeting, actor, {"old_starts_at": _iso(old_start, meeting.timezone),
                                             "starts_at": _iso(meeting.starts_at,
                                                               meeting.timezone)},
                   urgent_recipients=True)
        elif changed:
            _event("updated", meeting, actor, {"fields": sorted(changed)})
    return meeting


def cancel_meeting(meeting: Meeting, actor) -> Meeting:
    if not placette.can(actor, "agenda.meeting.cancel", meeting):
        raise AgendaError("forbidden", "you may not cancel this meeting", status=403)
    if meeting.is_cancelled:
        raise AgendaError("meeting_cancelled", "this meeting is already cancelled", status=409)
    with placette.atomic():
        meeting.status = "cancelled"
        meeting.cancelled_at = placette.utcnow()
        meeting.sequence += 1
        meeting.updated_at = placette.utcnow()
        meeting.save()
        occurrences.materialize(meeting)
        publish(meeting)
        _event("cancelled", meeting, actor, {"starts_at": _iso(meeting.starts_at,
                                                               meeting.timezone)},
               urgent_recipients=True)
    return meeting


def change_occurrence(meeting: Meeting, key: str, actor, cancel: bool = False,
                      starts_at: dt.datetime | None = None,
                      ends_at: dt.datetime | None = None) -> MeetingException:
    """Move or cancel one date of a series (the others stay as they are)."""
    if not placette.can(actor, "agenda.meeting.edit", meeting):
        raise AgendaError("forbidden", "you may not change this meeting", status=403)
    if not meeting.rrule:
        raise AgendaError("not_recurring", "only a date of a series can be changed on its own",
                          status=409)
    if meeting.is_cancelled:
        raise AgendaError("meeting_cancelled", "this series is cancelled", status=409)
    occ = occurrences.find(meeting, key)
    if occ is None or not key:
        raise AgendaError("not_found", "no such date in this series", status=404)
    if occ.is_cancelled:
        raise AgendaError("occurrence_cancelled", "this date is already cancelled", status=409)
    if not cancel:
        if starts_at is None or ends_at is None:
            raise AgendaError("required", "a new start and end are required", "starts_at")
        try:
            new_start = timing.to_utc(starts_at, meeting.timezone)
            new_end = timing.to_utc(ends_at, meeting.timezone)
            timing.check_span(new_start, new_end)
        except timing.TimingError as exc:
            raise AgendaError(exc.code, exc.message, exc.field) from None
    else:
        new_start, new_end = occ.starts_at, occ.ends_at
    original = timing.parse_key(key)
    with placette.atomic():
        row = MeetingException.get_or_none(meeting=meeting.id, occurrence=key)
        if row is None:
            row = MeetingException(meeting=meeting.id, occurrence=key, original_start=original)
        row.status = "cancelled" if cancel else "moved"
        row.starts_at, row.ends_at = new_start, new_end
        row.updated_at = placette.utcnow()
        row.save()
        meeting.sequence += 1
        meeting.updated_at = placette.utcnow()
        meeting.save()
        occurrences.materialize(meeting)
        data = {"occurrence": key, "starts_at": _iso(new_start, meeting.timezone),
                "old_starts_at": _iso(occ.starts_at, meeting.timezone)}
        _event("cancelled" if cancel else "moved", meeting, actor, data,
               urgent_recipients=True)
    return row


def save_minutes(meeting: Meeting, key: str, actor, text: str) -> Minutes:
    if not placette.can(actor, "agenda.minutes.edit", meeting):
        raise AgendaError("forbidden", "you may not write these minutes", status=403)
    if len(text or "") > 100000:
        raise AgendaError("too_long", "minutes have at most 100000 characters", "minutes")
    occ = occurrences.find(meeting, key or None)
    if occ is None:
        raise AgendaError("not_found", "no such date in this series", status=404)
    if occ.starts_at > placette.utcnow():
        raise AgendaError("not_yet", "minutes are written once the meeting has started",
                          "minutes", status=409)
    with placette.atomic():
        row = Minutes.get_or_none(meeting=meeting.id, occurrence=occ.key)
        first = row is None or not row.text
        if row is None:
            row = Minutes(meeting=meeting.id, occurrence=occ.key)
        row.text = text or ""
        row.author = getattr(actor, "id", None)
        row.updated_at = placette.utcnow()
        row.save()
        if first and row.text:
            _event("minutes", meeting, actor, {"occurrence": occ.key})
    return row
