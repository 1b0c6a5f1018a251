"""The sms animators' page: a council's log of texts and its monthly counts.

Volume: a year of a busy council's texts -- 3,000 at small scale, 30,000 at medium (reminders
and changes to its members, statuses as Twilio reports them) -- over 12 months.  The page shows
the newest 50 and the last six months' counts: its cost must not follow the log's length.
"""
from __future__ import annotations

import datetime as dt

REQUIRES = ["sms"]
TEXTS = {"small": 3000, "medium": 30000}
STATUSES = ["delivered"] * 8 + ["sent", "undelivered", "failed"]
EVENTS = ["agenda.meeting.reminder"] * 6 + ["agenda.meeting.moved", "agenda.meeting.cancelled"]


def seed(city) -> None:
    from placette.models import Membership
    from placette_plugins.sms.models import Message
    council = city.councils[0]
    members = [m.user_id for m in Membership.select(Membership.user)
               .where(Membership.space == council.id)] or city.user_ids[:50]
    rng, now = city.rng, city.now
    rows = []
    for i in range(TEXTS.get(city.scale, 3000)):
        at = now - dt.timedelta(minutes=rng.randint(0, 365 * 24 * 60))
        rows.append({"space": council.id, "user": rng.choice(members),
                     "number": f"+3361{i:07d}", "kind": "notification",
                     "event": rng.choice(EVENTS),
                     "body": "Rappel : Conseil de quartier, jeu. 11 juin 18:30. "
                             "https://participation.example/sms/l/AbCdEfGh Venez-vous ? "
                             "Repondez OUI, NON ou PEUT-ETRE.",
                     "segments": 1, "encoding": "GSM-7", "status": rng.choice(STATUSES),
                     "sid": f"SMbench{i:012d}", "idempotency_key": f"bench:{i}",
                     "month": at.strftime("%Y-%m"), "created_at": at, "sent_at": at,
                     "updated_at": at})
    city.bulk_insert(Message, rows)
    city.sms_council = council.slug


def pages(city) -> dict:
    return {"sms_log": (city.admin, f"/s/{city.sms_council}/sms/")}
