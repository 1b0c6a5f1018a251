"""Reminders: "the meeting is in two days / two hours" to those who answered yes or maybe.

A periodic task looks at the occurrences starting within the longest reminder offset.  For each
(occurrence, person) whose reminder time has come it inserts a :class:`ReminderSent` marker under
a unique constraint and emits ONE urgent ``agenda.meeting.reminder`` event per occurrence and
offset, listing as recipients only the people whose marker this run inserted.  Markers and event
commit together, so however many workers run the task at the same moment, each person is reminded
once and only once; a cancelled meeting or date is never reminded.

When several offsets are due at once (an answer given late, a worker down for a while) only the
nearest one goes out; the others are marked as done.
"""
from __future__ import annotations

import datetime as dt
import logging

import placette

from . import occurrences, timing
from .models import Meeting, MeetingOccurrence, ReminderSent, Rsvp
from .settings import MAX_REMINDER_HOURS

log = logging.getLogger("placette.agenda.reminders")


def due_occurrences(now: dt.datetime) -> list[occurrences.Occurrence]:
    """Occurrences starting within the longest reminder offset, not cancelled."""
    horizon = now + dt.timedelta(hours=MAX_REMINDER_HOURS)
    rows = (MeetingOccurrence.select(MeetingOccurrence, Meeting, placette.Space)
            .join(Meeting).join(placette.Space, on=(Meeting.space == placette.Space.id))
            .where((MeetingOccurrence.starts_at > now) & (MeetingOccurrence.starts_at <= horizon)
                   & (MeetingOccurrence.status != "cancelled")
                   & (Meeting.status != "cancelled")))
    return [occurrences.Occurrence.from_row(row, row.meeting) for row in rows]


def send_due(now: dt.datetime | None = None) -> int:
    """Emit the reminders due at ``now``; returns how many people were reminded."""
    now = now or placette.utcnow()
    due = due_occurrences(now)
    if not due:
        return 0
    meeting_ids = sorted({o.meeting.id for o in due})
    answers: dict[tuple[int, str], list[int]] = {}
    for row in (Rsvp.select(Rsvp.meeting, Rsvp.occurrence, Rsvp.user)
                .where(Rsvp.meeting.in_(meeting_ids) & Rsvp.answer.in_(["yes", "maybe"])
                       & ~Rsvp.waiting).tuples()):
        answers.setdefault((row[0], row[1]), []).append(row[2])
    reminded = 0
    for occ in due:
        people = answers.get((occ.meeting.id, occ.key), [])
        offsets = [h for h in occ.meeting.reminder_hours or []
                   if occ.starts_at - dt.timedelta(hours=h) <= now]
        if not people or not offsets:
            continue
        reminded += _remind(occ, sorted(offsets), people)
    return reminded


def _remind(occ: occurrences.Occurrence, offsets: list[int], people: list[int]) -> int:
    nearest = offsets[0]
    with placette.atomic():
        rows = [{"meeting": occ.meeting.id, "occurrence": occ.marker, "user": person,
                 "offset_hours": hours, "sent_at": placette.utcnow()}
                for person in people for hours in offsets]
        inserted = (ReminderSent.insert_many(rows).on_conflict_ignore()
                    .returning(ReminderSent.user, ReminderSent.offset_hours).tuples().execute())
        fresh = sorted({user for user, hours in inserted if hours == nearest})
        if not fresh:
            return 0
        meeting = occ.meeting
        placette.emit("agenda.meeting.reminder", space=meeting.space_id,
                      resource=meeting.resource_id, recipients=fresh,
                      data={"meeting": meeting.id, "title": meeting.title,
                            "occurrence": occ.key, "hours_before": nearest,
                            "starts_at": timing.to_local(occ.starts_at,
                                                         meeting.timezone).isoformat(),
                            "url": occ.url()})
    log.info("reminded %d people of meeting %s at %s (%dh before)", len(fresh), meeting.id,
             occ.marker, nearest)
    return len(fresh)
