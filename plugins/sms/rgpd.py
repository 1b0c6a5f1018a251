"""Privacy: a person's number, consent and texts in their data download; erasing the account
deletes the number and codes and blanks the number and body of every text (the log's counts,
statuses and segments stay, without anyone in them)."""
from __future__ import annotations

from . import phones
from .models import Code, Inbound, Message, Phone


def export(user) -> dict:
    phone = Phone.get_or_none(Phone.user == user.id)
    return {
        "phone": None if phone is None else {
            "number": phone.number,
            "verified_at": phone.verified_at.isoformat() if phone.verified_at else None,
            "stopped_at": phone.stopped_at.isoformat() if phone.stopped_at else None},
        "texts_wanted": (user.notification_prefs or {}).get("sms") == "immediate",
        "messages": [{"created_at": m.created_at.isoformat(), "kind": m.kind,
                      "event": m.event, "status": m.status, "segments": m.segments,
                      "body": None if m.kind == "verification" else m.body}
                     for m in Message.select().where(Message.user == user.id)
                     .order_by(Message.id)],
        "replies": [{"created_at": i.created_at.isoformat(), "body": i.body, "action": i.action}
                    for i in Inbound.select().where(Inbound.user == user.id).order_by(Inbound.id)],
    }


def erase(user) -> None:
    Message.update(number=None, body=None, user=None).where(Message.user == user.id).execute()
    Inbound.update(number=None, body=None, user=None).where(Inbound.user == user.id).execute()
    Code.delete().where(Code.user == user.id).execute()
    phones.remove(user)
