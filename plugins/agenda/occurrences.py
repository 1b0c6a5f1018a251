"""Occurrences: what actually happens when, once series are expanded and exceptions applied.

They are written out in ``agenda_occurrence`` (:func:`materialize`) whenever a meeting, its rule
or one of its dates changes; endless series are written two years ahead and extended daily by a
periodic task.  Every list then is one indexed range query, whatever the history's length.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import placette

from . import timing
from .models import Meeting, MeetingException, MeetingOccurrence

HORIZON = dt.timedelta(days=730)


@dataclass
class Occurrence:
    """One meeting as it takes place: a single meeting, or one date of a series."""

    meeting: Meeting
    key: str  # "" for a single meeting, else the original start "20260106T170000Z"
    starts_at: dt.datetime  # naive UTC, after any move
    ends_at: dt.datetime
    status: str  # planned | moved | cancelled

    @property
    def is_cancelled(self) -> bool:
        return self.status == "cancelled" or self.meeting.status == "cancelled"

    @property
    def marker(self) -> str:
        """Identifies the occurrence at its actual time (reminder markers)."""
        return timing.occurrence_key(self.starts_at)

    def url(self, space_slug: str | None = None) -> str:
        slug = space_slug or self.meeting.space.slug
        base = f"/s/{slug}/agenda/{self.meeting.id}"
        return f"{base}?occurrence={self.key}" if self.key else base

    @classmethod
    def from_row(cls, row: MeetingOccurrence, meeting: Meeting | None = None) -> "Occurrence":
        meeting = meeting or row.meeting
        status = "cancelled" if meeting.status == "cancelled" else row.status
        if not row.key and status == "planned":
            status = meeting.status
        return cls(meeting, row.key, row.starts_at, row.ends_at, status)


def _rows_for(meeting: Meeting, exceptions: dict[str, MeetingException],
              until: dt.datetime) -> list[dict]:
    if not meeting.rrule:
        return [{"meeting": meeting.id, "key": "", "starts_at": meeting.starts_at,
                 "ends_at": meeting.ends_at, "status": meeting.status}]
    duration = meeting.ends_at - meeting.starts_at
    rows = []
    for original in timing.occurrences_between(meeting.rrule, meeting.starts_at,
                                               meeting.timezone, meeting.starts_at, until):
        key = timing.occurrence_key(original)
        exc = exceptions.get(key)
        if meeting.status == "cancelled":
            rows.append({"meeting": meeting.id, "key": key,
                         "starts_at": exc.starts_at if exc else original,
                         "ends_at": exc.ends_at if exc else original + duration,
                         "status": "cancelled"})
        elif exc is None:
            rows.append({"meeting": meeting.id, "key": key, "starts_at": original,
                         "ends_at": original + duration, "status": "planned"})
        else:
            rows.append({"meeting": meeting.id, "key": key, "starts_at": exc.starts_at,
                         "ends_at": exc.ends_at, "status": exc.status})
    return rows


def materialize(meeting: Meeting, now: dt.datetime | None = None) -> int:
    """(Re)write the meeting's occurrences; call inside the transaction that changed it."""
    now = now or placette.utcnow()
    exceptions = {e.occurrence: e for e in
                  MeetingException.select().where(MeetingException.meeting == meeting.id)}
    horizon = now + HORIZON
    endless = bool(meeting.rrule) and meeting.last_end >= horizon
    until = horizon if endless else meeting.last_end + dt.timedelta(seconds=1)
    rows = _rows_for(meeting, exceptions, until)
    MeetingOccurrence.delete().where(MeetingOccurrence.meeting == meeting.id).execute()
    for start in range(0, len(rows), 500):
        MeetingOccurrence.insert_many(rows[start:start + 500]).execute()
    until_value = horizon if endless else None
    changes = {Meeting.materialized_until: until_value}
    # ``last_end`` bounds every date of the series, a moved one included: lists skip the
    # meetings that are over by it ("last_end >= since"), and a date moved past the rule's
    # end must not vanish from them.
    latest = max((r["ends_at"] for r in rows), default=None)
    if not endless and latest is not None and latest > meeting.last_end:
        changes[Meeting.last_end] = meeting.last_end = latest
    Meeting.update(changes).where(Meeting.id == meeting.id).execute()
    meeting.materialized_until = until_value
    return len(rows)


def extend_series(now: dt.datetime | None = None) -> int:
    """Daily: write endless series' occurrences up to the two-year horizon again."""
    now = now or placette.utcnow()
    count = 0
    for meeting in Meeting.select().where(Meeting.materialized_until.is_null(False)
                                          & (Meeting.materialized_until
                                             < now + HORIZON - dt.timedelta(days=1))):
        with placette.atomic():
            materialize(meeting, now)
        count += 1
    return count


def _occurrence_row(meeting_id: int, key: str) -> MeetingOccurrence | None:
    """The stored date ``key`` of a meeting (SQL written once: every meeting page asks)."""
    rows = placette.prepared("agenda.occurrence", lambda mid, key: (
        MeetingOccurrence.select().where((MeetingOccurrence.meeting == mid)
                                         & (MeetingOccurrence.key == key)).limit(1)),
        mid=meeting_id, key=key).rows()
    return rows[0] if rows else None


def find(meeting: Meeting, key: str | None) -> Occurrence | None:
    """The occurrence a page or an answer is about (``None``: no such date in the series).

    Without a key: a single meeting itself, or the next (else the last) date of a series.
    """
    if not meeting.rrule:
        row = _occurrence_row(meeting.id, "")
        if row is None:
            return Occurrence(meeting, "", meeting.starts_at, meeting.ends_at, meeting.status)
        return Occurrence.from_row(row, meeting)
    rows = MeetingOccurrence.select().where(MeetingOccurrence.meeting == meeting.id)
    if key:
        row = _occurrence_row(meeting.id, key)
        if row is not None:
            return Occurrence.from_row(row, meeting)
        original = timing.parse_key(key)
        if original is None or not timing.is_occurrence(meeting.rrule, meeting.starts_at,
                                                        meeting.timezone, original):
            return None
        duration = meeting.ends_at - meeting.starts_at
        return Occurrence(meeting, key, original, original + duration,
                          "cancelled" if meeting.is_cancelled else "planned")
    now = placette.utcnow()
    row = (rows.where(MeetingOccurrence.ends_at > now).order_by(MeetingOccurrence.starts_at)
           .first())
    if row is None:
        row = rows.order_by(MeetingOccurrence.starts_at.desc()).first()
    return Occurrence.from_row(row, meeting) if row is not None else None


def upcoming_of(meeting: Meeting, count: int = 12) -> list[Occurrence]:
    now = placette.utcnow()
    rows = (MeetingOccurrence.select().where((MeetingOccurrence.meeting == meeting.id)
                                             & (MeetingOccurrence.ends_at > now))
            .order_by(MeetingOccurrence.starts_at).limit(count))
    return [Occurrence.from_row(r, meeting) for r in rows]
