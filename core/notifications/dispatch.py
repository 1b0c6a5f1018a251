"""From a committed event to people: the fan-out, immediate deliveries, and the sweep.

1. ``placette.events.dispatch(event_id)`` -- queued by :func:`placette.emit` after commit.  It
   decides who is told -- the addressees who may see the thing *now*, minus the actor and whoever
   muted the space or the item -- and writes their inbox rows in bulk, ``NOTIFY_BATCH`` per
   transaction, claiming the event (``dispatched_at``: a duplicate task finds it taken) with the
   last batch.  Moderation is applied when the
   inbox is read and when a mail is sent: a hidden or pending resource's news reaches only its
   author and the space's animators until an animator approves or restores it.  After commit it
   queues the immediate deliveries in chunks.  A constant number of queries per batch of
   ``NOTIFY_BATCH`` people, whatever the audience size.
2. ``placette.notifications.deliver(event_id, channel, user_ids)`` -- sends on one channel (e-mail,
   SMS...), re-checking everything at sending time, one person per transaction with a
   :class:`~placette.models.Delivery` row, so a retried task never sends twice.
3. ``placette.events.sweep`` (every five minutes) -- dispatches events whose hand-over to the
   queue was lost (a crash between commit and enqueue), and sends digests built but not sent.
"""
from __future__ import annotations

import datetime as dt
import logging

from flask_babel import force_locale
from peewee import IntegrityError

from ..db import atomic, utcnow
from ..kernel import config, current
from ..models import Delivery, Digest, Event, Notification, User
from . import audience, links
from .channels import NotificationLinks, channels, mode_of, pushing_channels, wants_now
from .items import item_for

log = logging.getLogger("placette.notifications")

DELIVERY_CHUNK = 100  # people per delivery task: several workers share a big audience
NOTIFY_BATCH = 500  # inbox rows per transaction: the SQLite write lock is held a few ms at most
SWEEP_AFTER = dt.timedelta(minutes=2)
SWEEP_BATCH = 500


def dispatch(event_id: int) -> int:
    """Fan one event out; returns how many people got it in their inbox (0 if already done).

    The audience is read first, outside any transaction; the inbox rows are then written
    ``NOTIFY_BATCH`` per transaction, and the event is claimed (``dispatched_at``) in the
    transaction of the last batch: on SQLite the write lock is never held for more than one
    batch, however big the audience, so the site's own writes pass in between.  Writing is
    idempotent (one row per person and event): a run that dies half-way leaves the event
    unclaimed, and the sweep's new run writes the rest; two runs at once write the same rows and
    only the one that claims queues the mails.
    """
    event = audience.load_events([event_id]).get(event_id)
    if event is None or event.dispatched_at is not None:
        return 0
    told = []
    if audience.is_live(event):
        people = audience.candidates(event, event.recipients)
        mutes = audience.mutes_of(p.id for p in people)
        sight = audience.Sight()
        told = [p for p in people
                if p.id != event.actor_id and not audience.is_muted(mutes[p.id], event)
                and sight.may_view(p, event)]
    now = utcnow()
    batches = list(audience.chunks([p.id for p in told], NOTIFY_BATCH)) or [[]]
    for part in batches[:-1]:
        with atomic():
            _write_inbox(event_id, part, now)
    with atomic():
        claimed = (Event.update(dispatched_at=utcnow())
                   .where((Event.id == event_id) & Event.dispatched_at.is_null()).execute())
        if not claimed:
            return 0
        _write_inbox(event_id, batches[-1], now)
    if not told:
        return 0
    urgent = audience.is_urgent(event)
    # The inbox filters moderation when it is read (an item restored later shows up there);
    # mails and digests check it when they are sent.
    reachable = [p for p in told if audience.moderation_lets(p, event)]
    plan: list[tuple[str, list[int]]] = []
    for channel in pushing_channels():
        now_ids = [p.id for p in reachable if wants_now(mode_of(p, channel), urgent)
                   and channel.available_for(p)]
        for part in audience.chunks(now_ids, DELIVERY_CHUNK):
            plan.append((channel.name, part))
    queue = current().queue
    for channel_name, part in plan:
        try:
            queue.enqueue("placette.notifications.deliver", event_id, channel_name, part)
        except Exception:  # the inbox is written; the mails of this chunk are lost, say so
            log.exception("could not queue deliveries of event %s on %s", event_id,
                          channel_name)
    return len(told)


def _write_inbox(event_id: int, user_ids: list[int], now: dt.datetime) -> None:
    if user_ids:
        (Notification.insert_many([{"user": uid, "event": event_id, "created_at": now}
                                   for uid in user_ids]).on_conflict_ignore().execute())


def deliver(event_id: int, channel_name: str, user_ids: list[int]) -> int:
    """Send one event to some people on one channel; returns how many were sent now.

    Re-checked at sending time: the person may still see the thing (a member removed from a
    private group since the event hears nothing), has not muted it, still wants it now on this
    channel, and can be reached there.  A failing send is rolled back and retried (the task
    raises at the end); the people already served are not sent twice.
    """
    channel = channels().get(channel_name)
    event = audience.load_events([event_id]).get(event_id)
    if channel is None or event is None or not audience.is_live(event):
        return 0
    people = audience.candidates(event, user_ids)
    mutes = audience.mutes_of(p.id for p in people)
    urgent = audience.is_urgent(event)
    inbox = {n.user_id: n.id for n in Notification.select(Notification.id, Notification.user)
             .where((Notification.event == event_id) & Notification.user.in_(list(user_ids)))}
    done = {d for (d,) in Delivery.select(Delivery.notification)
            .where(Delivery.notification.in_(list(inbox.values()) or [0])
                   & (Delivery.channel == channel.name)).tuples()}
    sent, failed = 0, 0
    for person in people:
        notification_id = inbox.get(person.id)
        if notification_id is None or notification_id in done:
            continue
        if not (wants_now(mode_of(person, channel), urgent) and channel.available_for(person)
                and not person.is_suspended and not audience.is_muted(mutes[person.id], event)
                and audience.may_see(person, event)):
            continue
        try:
            with atomic():
                Delivery.create(notification=notification_id, channel=channel.name)
                with force_locale(person.language or config().default_language):
                    item = item_for(notification_id, event, person, urgent)
                    channel.send(person, [item], person_links(person, channel.name))
            sent += 1
        except IntegrityError:
            continue  # a concurrent task delivered it
        except Exception:
            failed += 1
            log.exception("channel %s failed to send event %s to user %s", channel.name,
                          event_id, person.id)
    if failed:
        raise RuntimeError(f"{failed} deliveries of event {event_id} on {channel.name} failed; "
                           f"retrying them")
    return sent


def person_links(person: User, channel_name: str) -> NotificationLinks:
    return NotificationLinks(
        preferences=links.absolute("/me/#notifications"),
        unsubscribe=links.unsubscribe_url(person.id, channel_name),
        home=links.absolute("/"))


def dispatch_pending(older_than: dt.datetime | None = None, limit: int | None = None) -> int:
    """Dispatch events not yet dispatched (all, or those created before ``older_than``)."""
    query = Event.select(Event.id).where(Event.dispatched_at.is_null())
    if older_than is not None:
        query = query.where(Event.created_at < older_than)
    ids = [eid for (eid,) in query.order_by(Event.id).limit(limit).tuples()]
    for event_id in ids:
        dispatch(event_id)
    return len(ids)


def sweep(now: dt.datetime | None = None) -> dict[str, int]:
    """Catch up what a crash left behind: undispatched events, built but unsent digests."""
    now = now or utcnow()
    late_events = dispatch_pending(older_than=now - SWEEP_AFTER, limit=SWEEP_BATCH)
    from .digests import SEND_AFTER, prune
    late_digests = [did for (did,) in Digest.select(Digest.id)
                    .where(Digest.sent_at.is_null() & (Digest.built_at < now - SEND_AFTER))
                    .order_by(Digest.id).limit(SWEEP_BATCH).tuples()]
    queue = current().queue
    for digest_id in late_digests:
        queue.enqueue("placette.notifications.send_digest", digest_id)
    pruned = prune(now)
    return {"events": late_events, "digests": len(late_digests), "pruned": pruned}
