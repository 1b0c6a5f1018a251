"""Answers (yes / maybe / no), capacity and the waiting list.

Race safety: every answer starts its transaction by locking the meeting's row (a no-op UPDATE:
a row lock on PostgreSQL, the write lock on SQLite), then counts seats and writes.  Two people
answering "yes" for the last seat at the same instant are therefore serialised: one gets it, the
other is told the meeting is full (or joins the waiting list if they asked to).  When a seat frees
up -- someone changes their answer, or the capacity grows -- the earliest waiting person is
promoted in the same transaction and told so by an urgent event.
"""
from __future__ import annotations

import placette
from peewee import fn

from . import occurrences
from .models import ANSWERS, Meeting, Rsvp
from .service import AgendaError, settings


def _lock(meeting: Meeting) -> None:
    Meeting.update(sequence=Meeting.sequence).where(Meeting.id == meeting.id).execute()


def _confirmed(meeting: Meeting, key: str) -> int:
    return (Rsvp.select().where((Rsvp.meeting == meeting.id) & (Rsvp.occurrence == key)
                                & (Rsvp.answer == "yes") & ~Rsvp.waiting).count())


def check_can_answer(meeting: Meeting, actor, key: str | None):
    """The occurrence one may answer for, or an :class:`AgendaError` saying why not."""
    if not placette.can(actor, "view", meeting) or not placette.moderation_state(
            "agenda", "meeting", meeting.id).visible_to(actor):
        raise AgendaError("not_found", "not found", status=404)  # hidden by moderation too
    if not getattr(actor, "is_authenticated", False):
        raise AgendaError("unauthenticated", "sign in to answer", status=401)
    if not settings(meeting.space).rsvp_enabled:
        raise AgendaError("rsvp_disabled", "answers are not collected in this space",
                          status=409)
    if not placette.can(actor, "agenda.meeting.rsvp", meeting):
        raise AgendaError("forbidden", "you may not answer for this meeting", status=403)
    occ = occurrences.find(meeting, key or None)
    if occ is None:
        raise AgendaError("not_found", "no such date in this series", status=404)
    if occ.is_cancelled:
        raise AgendaError("meeting_cancelled", "this meeting is cancelled", status=409)
    if occ.ends_at <= placette.utcnow():
        raise AgendaError("meeting_past", "this meeting is over", status=409)
    return occ


def answer(meeting: Meeting, actor, answer_value: str, key: str | None = None,
           waiting_list: bool = False) -> Rsvp:
    """Record ``actor``'s answer; a "yes" beyond capacity needs ``waiting_list=True``."""
    if answer_value not in ANSWERS:
        raise AgendaError("invalid_answer", "answer must be yes, maybe or no", "answer")
    occ = check_can_answer(meeting, actor, key)
    with placette.atomic():
        _lock(meeting)
        capacity = Meeting.select(Meeting.capacity).where(Meeting.id == meeting.id).scalar()
        row = Rsvp.get_or_none(meeting=meeting.id, occurrence=occ.key, user=actor.id)
        was_seated = row is not None and row.answer == "yes" and not row.waiting
        waiting = False
        if answer_value == "yes":
            if row is not None and row.answer == "yes":
                return row  # same answer again: nothing changes, place kept
            if capacity is not None and _confirmed(meeting, occ.key) >= capacity:
                if not waiting_list:
                    raise AgendaError("meeting_full", "the meeting is full; you may join the "
                                      "waiting list", "answer", status=409)
                waiting = True
        now = placette.utcnow()
        if row is None:
            row = Rsvp.create(meeting=meeting.id, occurrence=occ.key, user=actor.id,
                              answer=answer_value, waiting=waiting, created_at=now,
                              updated_at=now)
        else:
            row.answer, row.waiting, row.updated_at = answer_value, waiting, now
            row.save()
        if was_seated and answer_value != "yes":
            promote(meeting, occ.key, capacity)
    return row


def promote(meeting: Meeting, key: str, capacity: int | None = ...) -> list[int]:
    """Give free seats to the earliest waiting people (call inside the locked transaction)."""
    if capacity is ...:
        capacity = Meeting.select(Meeting.capacity).where(Meeting.id == meeting.id).scalar()
    waiting = (Rsvp.select().where((Rsvp.meeting == meeting.id) & (Rsvp.occurrence == key)
                                   & Rsvp.waiting).order_by(Rsvp.updated_at, Rsvp.id))
    if capacity is not None:
        free = capacity - _confirmed(meeting, key)
        if free <= 0:
            return []
        waiting = waiting.limit(free)
    promoted = [row.user_id for row in waiting]
    if promoted:
        (Rsvp.update(waiting=False, updated_at=placette.utcnow())
         .where((Rsvp.meeting == meeting.id) & (Rsvp.occurrence == key)
                & Rsvp.user.in_(promoted)).execute())
        placette.emit("agenda.rsvp.promoted", space=meeting.space_id,
                      resource=meeting.resource_id, recipients=promoted,
                      data={"meeting": meeting.id, "title": meeting.title, "occurrence": key})
    return promoted


def occurrence_keys(meeting: Meeting) -> list[str]:
    """Occurrences someone is waiting for (capacity changes re-check them)."""
    return [k for (k,) in Rsvp.select(fn.DISTINCT(Rsvp.occurrence))
            .where((Rsvp.meeting == meeting.id) & Rsvp.waiting).tuples()]


def attendees(meeting: Meeting, key: str) -> list[Rsvp]:
    """Everybody who answered, with their user, for the animators' list and CSV."""
    return list(Rsvp.select(Rsvp, placette.User).join(placette.User)
                .where((Rsvp.meeting == meeting.id) & (Rsvp.occurrence == key))
                .order_by(Rsvp.waiting, Rsvp.answer.desc(), Rsvp.updated_at, Rsvp.id))


def answer_by_event(event) -> None:
    """Listener of ``sms.reply.rsvp`` (and any plugin's event of that shape): someone answered
    a reminder another way (a text message).  The answer goes through :func:`answer`, so every
    rule of the page holds (may still see and answer, not cancelled, not over, capacity: a
    "yes" for a full meeting joins the waiting list).  Idempotent: the same answer twice changes
    nothing.

    The outcome is told back as the event ``agenda.rsvp.answered`` (to nobody: for the plugin
    that asked, which confirms to the person only what was really recorded): ``data`` holds
    ``request`` (the asking event's name, id and data), ``answer`` and ``waiting`` as recorded,
    or ``refused`` (the reason's code) when nothing was."""
    import logging
    data = event.data or {}
    meeting = Meeting.get_or_none(Meeting.id == data.get("meeting"))
    person = placette.User.get_or_none(placette.User.id == event.actor_id)
    if meeting is None or person is None or data.get("answer") not in ANSWERS:
        return
    outcome: dict = {"answer": None, "waiting": False, "refused": None}
    try:
        row = answer(meeting, person, data["answer"], data.get("occurrence") or None,
                     waiting_list=True)
        outcome.update(answer=row.answer, waiting=bool(row.waiting))
    except AgendaError as exc:
        logging.getLogger("placette.agenda").info(
            "answer by %s of user %s to meeting %s refused: %s", event.name, person.id,
            meeting.id, exc)
        outcome["refused"] = exc.code
    resource = placette.lookup_resource("agenda", "meeting", meeting.id)
    placette.emit("agenda.rsvp.answered", space=meeting.space_id, resource=resource, actor=person,
                  recipients=[], data={"request": {"name": event.name, "id": event.id, **data},
                                       "meeting": meeting.id, **outcome})
