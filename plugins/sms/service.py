"""What the profile page and the API do, in one place: both ask the same questions and give the
same answers (``PhoneError`` codes become form messages or JSON errors)."""
from __future__ import annotations

import placette
from peewee import JOIN

from . import compose, phones, sending
from .models import Message


def ask_code(user, raw: str):
    """Record the number (unverified) and text it a code.  Commits the code before sending."""
    with placette.atomic():
        phone, code = phones.set_number(user, raw)
        code_id = phones.Code.select(phones.Code.id).where(phones.Code.user == user.id) \
            .order_by(phones.Code.id.desc()).scalar()
        sending.queue_text(key=f"code:{code_id}", number=phone.number, body=compose.code(code),
                           kind="verification", user_id=user.id)
    return phone


def confirm(user, typed: str):
    """Check the code (each wrong try is counted: no surrounding transaction to roll back)."""
    phone = phones.verify(user, typed)
    set_consent(user, True)
    return phone


def set_consent(user, wanted: bool) -> None:
    prefs = dict(user.notification_prefs or {})
    prefs["sms"] = "immediate" if wanted else "off"
    placette.User.update(notification_prefs=prefs).where(placette.User.id == user.id).execute()
    user.notification_prefs = prefs


def consents(user) -> bool:
    return (user.notification_prefs or {}).get("sms") == "immediate"


def messages_of_space(space, page: int = 1, per_page: int = 50):
    """The space's log, newest first, with each person (one query) and the total."""
    query = (Message.select(Message.id, Message.created_at, Message.sent_at, Message.user,
                            Message.kind, Message.event, Message.body, Message.encoding,
                            Message.segments, Message.status, Message.error_code,
                            placette.User.id, placette.User.display_name)
             .join_from(Message, placette.User, JOIN.LEFT_OUTER,
                        on=(Message.user == placette.User.id))
             .where(Message.space == space.id)
             .order_by(Message.created_at.desc(), Message.id.desc()))
    total = Message.select().where(Message.space == space.id).count()
    return list(query.paginate(page, per_page)), total


class LogLine:
    """A line of the animators' log: the text's columns the page shows and its addressee's name
    (``None``: the account is gone) -- plain values, not fifty model instances and their
    people's."""

    __slots__ = ("id", "created_at", "sent_at", "user_id", "kind", "event", "body", "encoding",
                 "segments", "status", "error_code", "name")

    def __init__(self, row: tuple):
        (self.id, self.created_at, self.sent_at, self.user_id, self.kind, self.event, self.body,
         self.encoding, self.segments, self.status, self.error_code, person, name) = row
        self.name = name if person is not None else None


def log_page(space, page: int = 1, per_page: int = 50):
    """``(lines, more)``: one page of the space's log, newest first (:class:`LogLine`), and
    whether an older page follows -- read as one row more than the page, so the page does not
    count the whole log (a year of a busy council's texts) on every view."""
    def build(per_page, sid, skip):
        # SQL written once per page size (placette.prepared): space and offset are bound.
        return (Message.select(Message.id, Message.created_at, Message.sent_at, Message.user,
                               Message.kind, Message.event, Message.body, Message.encoding,
                               Message.segments, Message.status, Message.error_code,
                               placette.User.id, placette.User.display_name)
                .join_from(Message, placette.User, JOIN.LEFT_OUTER,
                           on=(Message.user == placette.User.id))
                .where(Message.space == sid)
                .order_by(Message.created_at.desc(), Message.id.desc())
                .limit(per_page + 1).offset(skip))

    rows = placette.prepared("sms.log_page", build, per_page, sid=space.id,
                             skip=(page - 1) * per_page).tuples()
    return [LogLine(row) for row in rows[:per_page]], len(rows) > per_page


def masked_body(message) -> str | None:
    """A verification code is never shown to anyone but its addressee."""
    if message.kind == "verification" and message.body:
        return placette._("(confirmation code)")
    return message.body
