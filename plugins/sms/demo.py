"""The demo city's texts: the demo accounts (and a few members) have confirmed numbers and
texts switched on, and the outbox of each space already holds reminders and a meeting moved --
what the animators' page lists.  Numbers are in the 06 39 98 range, kept for fiction by ARCEP.
No events are emitted while seeding."""
from __future__ import annotations

import datetime as dt

import placette

from . import text
from .models import Message, Phone, Usage

TEXTS = [
    ("agenda.meeting.reminder", "Rappel : Conseil de quartier, jeu. 11 juin 18:30. "
     "{link} Venez-vous ? Repondez OUI, NON ou PEUT-ETRE."),
    ("agenda.meeting.moved", "Une reunion a ete deplacee : Conseil de quartier, "
     "mar. 16 juin 18:30. {link} STOP pour arreter."),
]


def seed(city) -> dict[str, int]:
    now = placette.utcnow()
    base = placette.current_config().base_url.rstrip("/")
    people = list(city.accounts.values())
    numbers = 0
    for index, person in enumerate(people):
        Phone.insert(user=person.id, number=f"+3363998{index:04d}", verified_at=now,
                     created_at=now, updated_at=now).on_conflict_ignore().execute()
        prefs = dict(person.notification_prefs or {})
        prefs["sms"] = "immediate"
        placette.User.update(notification_prefs=prefs).where(
            placette.User.id == person.id).execute()
        numbers += 1
    sent = 0
    # Every space with texts on has a log to read, whatever its kind (a council, a private
    # group): the animators' page is never an empty demo.
    for space in city.spaces_with("sms"):
        for offset, person in enumerate(city.members_of(space)[:3]):
            for event, words in TEXTS:
                body = words.format(link=f"{base}/s/{space.slug}")
                counted = text.count(body)
                at = now - dt.timedelta(days=offset, hours=3)
                Message.create(space=space.id, user=person.id, number=f"+3363998{9000 + offset:04d}",
                               kind="notification", event=event, body=body,
                               encoding=counted.encoding, segments=counted.segments,
                               status="outbox", sid=f"OBdemo{space.id}x{person.id}x{event[-5:]}",
                               idempotency_key=f"demo:{space.id}:{person.id}:{event}",
                               month=at.strftime("%Y-%m"), created_at=at, sent_at=at,
                               updated_at=at)
                sent += 1
        for month, count in _months(space.id):
            Usage.insert(space=space.id, month=month, used=count).on_conflict_ignore().execute()
    return {"phones": numbers, "texts": sent}


def _months(space_id: int) -> list[tuple[str, int]]:
    from peewee import fn
    return list(Message.select(Message.month, fn.COUNT(Message.id))
                .where(Message.space == space_id).group_by(Message.month).tuples())
