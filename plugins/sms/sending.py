"""From a notification to a text, and from a queued text to the provider.

1. :func:`queue_text` writes the log row (idempotency key unique: a second call for the same
   message and person finds it and does nothing), checks the space's monthly budget (a warning
   to the animators at 80 %, nothing sent beyond 100 %) and, after commit, queues the task
   ``sms.send`` -- at once, or at the end of the space's quiet hours.
2. :func:`send` (the task) claims the row (``pending``/``retrying`` -> ``claimed`` in one
   UPDATE: a second worker gets nothing), calls the backend outside any transaction, and
   records the answer.  429 and 5xx are retried with exponential backoff (30 s, 1, 2, 4 min);
   21211 marks the number unverified; 21610 records the opt-out.
3. :func:`record_status` applies Twilio's status callbacks; a final status is never replaced.
"""
from __future__ import annotations

import datetime as dt
import logging
from zoneinfo import ZoneInfo

import placette
from peewee import SQL, Case, fn

from . import text
from .backends import SendError, backend
from .models import BudgetNotice, Message, MonthCount, Phone, Usage

log = logging.getLogger("placette.sms")

MAX_ATTEMPTS = 5
LATE = dt.timedelta(minutes=10)  # pending that long: its hand-over to the queue was lost
LOST = dt.timedelta(minutes=15)  # claimed that long: the worker died during the call
BACKOFF_SECONDS = 30
# Status ranks: a callback may only move a message forward; final ones never change.
RANK = {"pending": 0, "retrying": 0, "claimed": 1, "accepted": 2, "scheduled": 2,
        "queued": 2, "sending": 3, "sent": 4}
FINAL = {"delivered", "undelivered", "failed", "read", "canceled", "outbox", "blocked",
         "unknown"}
COUNTED_OUT = ("blocked",)  # texts that never left do not use the budget
IN_FLIGHT = ("pending", "retrying", "claimed")  # the texts that may still be blocked


def month_of(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m")


def rank(status: str) -> int:
    return 9 if status in FINAL else RANK.get(status, 2)


def used_this_month(space_id: int, month: str | None = None) -> int:
    month = month or month_of(placette.utcnow())
    return Usage.select(Usage.used).where((Usage.space == space_id)
                                          & (Usage.month == month)).scalar() or 0


def quiet_until(settings, now: dt.datetime) -> dt.datetime | None:
    """The UTC end of the space's quiet hours if ``now`` is inside them, else ``None``."""
    start, end = settings.quiet_from, settings.quiet_until
    if start == end:
        return None
    zone = ZoneInfo(placette.current_config().timezone)
    local = now.replace(tzinfo=dt.UTC).astimezone(zone)
    inside = (start <= local.hour or local.hour < end) if start > end \
        else (start <= local.hour < end)
    if not inside:
        return None
    wake = local.replace(hour=end, minute=0, second=0, microsecond=0)
    if wake <= local:
        wake += dt.timedelta(days=1)
    return wake.astimezone(dt.UTC).replace(tzinfo=None)


def queue_text(*, key: str, number: str, body: str, kind: str, user_id: int | None = None,
               space=None, event: str = "", meeting: int | None = None, occurrence: str = "",
               plain: bool = True) -> Message | None:
    """Record one text to send and queue it after commit; ``None`` when ``key`` was done."""
    now = placette.utcnow()
    body = text.normalise(body) if plain else body
    counted = text.count(body)
    space_id = getattr(space, "id", space)
    got = list(Message.insert_many([dict(
        space=space_id, user=user_id, number=number, kind=kind, event=event, meeting=meeting,
        occurrence=occurrence or "", body=body, encoding=counted.encoding,
        segments=counted.segments, status="pending", idempotency_key=key,
        month=month_of(now), created_at=now, updated_at=now)])
        .on_conflict_ignore().returning(Message.id).tuples().execute())
    if not got:
        return None  # this message already went (or is going) to this person
    message = Message.get_by_id(got[0][0])
    if space_id is not None and not _take_from_budget(space_id, now):
        _set(message.id, "blocked", "budget")
        return Message.get_by_id(message.id)
    eta = None
    if space is not None and kind == "notification":
        eta = quiet_until(placette.settings_of(space, "sms"), now)
        if eta is not None:
            Message.update(due_at=eta).where(Message.id == message.id).execute()
    message_id = message.id
    placette.after_commit(lambda: _enqueue(message_id, eta))
    return message


def _enqueue(message_id: int, eta: dt.datetime | None) -> None:
    try:
        if eta is None:
            placette.enqueue("sms.send", message_id)
        else:
            placette.enqueue("sms.send", message_id, eta=eta.replace(tzinfo=dt.UTC))
    except Exception:  # the row stays pending: the sweep (sms.sweep) sends it
        log.exception("could not queue text %s", message_id)


def _take_from_budget(space_id: int, now: dt.datetime) -> bool:
    """Count one text against the space's budget for the month, or say it is used up.

    One conditional UPDATE (``used < budget``) on the (space, month) row: PostgreSQL re-checks
    the condition after waiting for a concurrent writer's lock, SQLite serialises writers, so
    the budget is never overshot however many workers send.  The animators hear of 80 % and of
    100 % once a month."""
    space = placette.Space.get_or_none(placette.Space.id == space_id)
    if space is None:
        return True
    budget = placette.settings_of(space, "sms").monthly_budget
    month = month_of(now)
    Usage.insert(space=space_id, month=month, used=0).on_conflict_ignore().execute()
    took = (Usage.update(used=Usage.used + 1)
            .where((Usage.space == space_id) & (Usage.month == month) & (Usage.used < budget))
            .execute())
    if not took:
        _notice(space, now, 100, budget, budget)
        return False
    used = Usage.select(Usage.used).where((Usage.space == space_id)
                                          & (Usage.month == month)).scalar()
    if used * 100 >= budget * 80:
        _notice(space, now, 80, used, budget)
    return True


def _notice(space, now: dt.datetime, level: int, used: int, budget: int) -> None:
    inserted = list(BudgetNotice.insert_many([dict(space=space.id, month=month_of(now),
                                                   level=level, created_at=now)])
                    .on_conflict_ignore().returning(BudgetNotice.id).tuples().execute())
    if not inserted:
        return
    staff = [m.user_id for m in placette.active_memberships().where(
        (placette.Membership.space == space.id)
        & placette.Membership.role.in_(["admin", "animator"]))]
    staff += [u.id for u in placette.User.select(placette.User.id)
              .where(placette.User.is_admin & placette.User.suspended_at.is_null())]
    placette.emit("sms.budget.reached" if level == 100 else "sms.budget.warning", space=space,
                  recipients=sorted(set(staff)),
                  data={"used": used, "budget": budget, "month": month_of(now),
                        "title": placette._("Text messages: %(used)d of %(budget)d this month",
                                            used=used, budget=budget),
                        "url": f"/s/{space.slug}/sms/"})


def send(message_id: int) -> str:
    """The task ``sms.send``: hand one text to the backend, once.  Returns the new status."""
    now = placette.utcnow()
    claimed = (Message.update(status="claimed", attempts=Message.attempts + 1, updated_at=now)
               .where((Message.id == message_id)
                      & Message.status.in_(["pending", "retrying"])).execute())
    if not claimed:
        return "taken"
    message = Message.get_by_id(message_id)
    if not message.number or Phone.select().where(
            (Phone.number == message.number) & Phone.stopped_at.is_null(False)).exists():
        _set(message_id, "blocked", "stopped")  # STOP wins over everything, codes included
        return "blocked"
    if message.kind == "notification" and not Phone.select().where(
            (Phone.user == message.user_id) & (Phone.number == message.number)
            & Phone.verified_at.is_null(False)).exists():
        _set(message_id, "blocked", "not_verified")  # changed or unverified since queued
        return "blocked"
    try:
        sent = backend().send(message.number, message.body or "", _callback_url())
    except SendError as exc:
        return _failed(message, exc)
    (Message.update(status=sent.status, sid=sent.sid, sent_at=placette.utcnow(),
                    updated_at=placette.utcnow(), error_code=None)
     .where(Message.id == message_id).execute())
    return sent.status


def _callback_url() -> str | None:
    if placette.current_config().sms.backend != "twilio":
        return None
    return placette.current_config().base_url.rstrip("/") + "/sms/twilio/status"


def _set(message_id: int, status: str, error: str | None) -> None:
    (Message.update(status=status, error_code=error, updated_at=placette.utcnow())
     .where(Message.id == message_id).execute())


def _failed(message: Message, exc: SendError) -> str:
    code = exc.code or (str(exc.http_status) if exc.http_status else "network")
    if exc.transient and message.attempts < MAX_ATTEMPTS:
        delay = BACKOFF_SECONDS * 2 ** (message.attempts - 1)
        (Message.update(status="retrying", error_code=code, updated_at=placette.utcnow(),
                        due_at=placette.utcnow() + dt.timedelta(seconds=delay))
         .where(Message.id == message.id).execute())
        log.warning("text %s: %s (%s); retry %d in %ds", message.id, exc, code,
                    message.attempts, delay)
        placette.enqueue("sms.send", message.id, delay=delay)
        return "retrying"
    with placette.atomic():
        _set(message.id, "failed", code)
        if exc.code == "21211" and message.user_id:  # not a valid number: confirm it again
            (Phone.update(verified_at=None, updated_at=placette.utcnow())
             .where((Phone.user == message.user_id) & (Phone.number == message.number))
             .execute())
        elif exc.code == "21610" and message.number:  # the person sent STOP to the sender
            stop_number(message.number)
    log.warning("text %s failed: %s (%s)", message.id, exc, code)
    return "failed"


def stop_number(number: str) -> int:
    """Opt a number out at once (STOP, 21610): every account with it."""
    now = placette.utcnow()
    return (Phone.update(stopped_at=now, updated_at=now)
            .where((Phone.number == number) & Phone.stopped_at.is_null()).execute())


def record_status(sid: str, status: str, error_code: str | None = None) -> bool:
    """Apply a status callback; ``False`` when the message is unknown or the status would go
    backwards (a late ``sent`` after ``delivered``: ignored)."""
    message = Message.get_or_none(Message.sid == sid)
    if message is None or not status:
        return False
    if rank(status) <= rank(message.status) and not (
            status == message.status and error_code and not message.error_code):
        return False
    updated = (Message.update(status=status, error_code=error_code or message.error_code,
                              updated_at=placette.utcnow())
               .where((Message.id == message.id) & (Message.status == message.status))
               .execute())
    if updated and error_code == "21610" and message.number:
        stop_number(message.number)
    return bool(updated)


def sweep(now: dt.datetime | None = None, limit: int = 500) -> dict[str, int]:
    """The periodic ``sms.sweep``: re-queue texts still waiting 10 minutes after they were due
    (their hand-over to the queue was lost: a crash between commit and enqueue), and mark
    ``unknown`` those ``claimed`` for 15 minutes: the worker died during the call, the text may
    have left, so it is never sent twice.  A second run of a re-queued text is a no-op (the
    claim)."""
    now = now or placette.utcnow()
    due = fn.COALESCE(Message.due_at, Message.updated_at)
    late = [i for (i,) in Message.select(Message.id)
            .where(Message.status.in_(["pending", "retrying"]) & (due < now - LATE))
            .order_by(Message.id).limit(limit).tuples()]
    for message_id in late:
        _enqueue(message_id, None)
    lost = (Message.update(status="unknown", error_code="interrupted", updated_at=now)
            .where((Message.status == "claimed") & (Message.updated_at < now - LOST))
            .execute())
    return {"requeued": len(late), "unknown": lost}


def monthly_counts(space_id: int, months: int = 6) -> list[tuple[str, int, int]]:
    """``[(month, texts, segments)]`` newest first, for the last ``months`` calendar months
    (this one included) that had texts (blocked ones left out): what the animators' page shows.

    A finished month is counted from the log once, then kept (:class:`MonthCount`) as soon as
    none of its texts can change its counts any more -- none waiting, being sent or retried (the
    only texts that may still be blocked) -- and a day has passed since it ended (no text of it
    still being written).  So a view counts this month's rows (the index on space, month...),
    not half a year of a busy council's log."""
    now = placette.utcnow()
    index = now.year * 12 + now.month - 1 - (months - 1)
    window = [f"{i // 12:04d}-{i % 12 + 1:02d}" for i in range(index, index + months)]

    def kept_rows(months, sid, first):
        return (MonthCount.select(MonthCount.month, MonthCount.texts, MonthCount.segments)
                .where((MonthCount.space == sid) & (MonthCount.month >= first)))

    found = {m: (t, s) for m, t, s in placette.prepared(
        "sms.month_counts_kept", kept_rows, months, sid=space_id, first=window[0]).tuples()}
    live = [m for m in window if m not in found]
    if live:
        def build(count, sid, **late):
            in_flight = fn.MAX(Case(None, [(Message.status.in_(IN_FLIGHT), 1)], 0))
            return (Message.select(Message.month, fn.COUNT(SQL("*")), fn.SUM(Message.segments),
                                   in_flight)
                    .where((Message.space == sid)
                           & Message.month.in_([late[f"m{n}"] for n in range(count)])
                           & Message.status.not_in(COUNTED_OUT))
                    .group_by(Message.month))

        rows = placette.prepared("sms.monthly_counts", build, len(live), sid=space_id,
                                 **{f"m{n}": m for n, m in enumerate(live)}).tuples()
        settled = month_of(now - dt.timedelta(days=1))
        keep = []
        for month, texts, segments, busy in rows:
            found[month] = (texts, int(segments or 0))
            if month < settled and not busy:
                keep.append({"space": space_id, "month": month, "texts": texts,
                             "segments": int(segments or 0)})
        if keep:
            MonthCount.insert_many(keep).on_conflict_ignore().execute()
    return [(m, *found[m]) for m in sorted(found, reverse=True)][:months]