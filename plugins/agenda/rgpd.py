"""RGPD: what the agenda keeps about a person (answers, minutes written, meetings authored,
calendar tokens), and how it forgets them.

Erasure deletes the person's answers (freeing their seats: waiting people are promoted), their
reminder markers and tokens; meetings and minutes they wrote stay -- they are the council's
memory -- without their name (the author columns are set to NULL by the database).
"""
from __future__ import annotations

import placette

from .models import FeedToken, Meeting, Minutes, ReminderSent, Rsvp


def _iso(value):
    return value.isoformat() if value is not None else None


def export(user) -> dict:
    answers = (Rsvp.select(Rsvp, Meeting).join(Meeting).where(Rsvp.user == user.id)
               .order_by(Rsvp.created_at))
    return {
        "answers": [{"meeting": r.meeting.title, "meeting_id": r.meeting_id,
                     "occurrence": r.occurrence or None, "answer": r.answer,
                     "waiting_list": r.waiting, "answered_at": _iso(r.updated_at)}
                    for r in answers],
        "meetings_published": [{"id": m.id, "title": m.title, "starts_at": _iso(m.starts_at),
                                "created_at": _iso(m.created_at)}
                               for m in Meeting.select().where(Meeting.author == user.id)],
        "minutes_written": [{"meeting_id": m.meeting_id, "occurrence": m.occurrence or None,
                             "updated_at": _iso(m.updated_at)}
                            for m in Minutes.select().where(Minutes.author == user.id)],
        "calendar_tokens": [{"created_at": _iso(t.created_at), "revoked_at": _iso(t.revoked_at),
                             "last_used_at": _iso(t.last_used_at)}
                            for t in FeedToken.select().where(FeedToken.user == user.id)],
    }


def erase(user) -> None:
    from . import rsvp
    seated = list(Rsvp.select(Rsvp, Meeting).join(Meeting)
                  .where((Rsvp.user == user.id) & (Rsvp.answer == "yes") & ~Rsvp.waiting))
    with placette.atomic():
        Rsvp.delete().where(Rsvp.user == user.id).execute()
        for row in seated:
            rsvp.promote(row.meeting, row.occurrence)
        ReminderSent.delete().where(ReminderSent.user == user.id).execute()
        FeedToken.delete().where(FeedToken.user == user.id).execute()
        Meeting.update(author=None).where(Meeting.author == user.id).execute()
        Minutes.update(author=None).where(Minutes.author == user.id).execute()
