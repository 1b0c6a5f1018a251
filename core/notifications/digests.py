"""Daily and weekly digests: built once per person and period, sent once, never lost.

The periodic task ``placette.notifications.digests`` runs every hour (once per slot across all
workers); from the city's ``digest_hour`` (default 7:00 local time) it builds the day's digests,
and on Mondays the week's.  Running every hour is what makes a crash harmless: the next run
completes the people the crashed one did not reach.

Exactly once, per person and channel:

* **Building** claims people's period with a conditional UPDATE of their
  :class:`~placette.models.DigestState` (``period`` is not yet this one) and, in the same
  transaction, records each :class:`~placette.models.Digest` with the items chosen.  People are
  committed in groups of ``PEOPLE_PER_COMMIT`` (100): a commit per person would cost more than
  the rest of the work on PostgreSQL (50,000 round trips and disk flushes), and a group is just as
  safe, because a digest's sending task is queued only after its group commits.  A run that dies
  while writing a group leaves the earlier groups committed (and queued) and nothing of that
  group -- no claim, no digest, no mail; the restart skips the claimed people and builds the rest.
  Two runs at once cannot both claim a person.
* **Sending** is a task per digest, queued after that commit; it re-checks each item at sending
  time, marks ``sent_at`` and hands the mail over in one transaction (a failure rolls both back and
  the task retries).  A digest whose task was lost (crash between commit and enqueue) is sent by
  the sweep.

A digest has one line per item and type of news (:mod:`~placette.notifications.grouping`):
twelve comments on one resource are one line with a count and a link, not twelve.

Each person's items are what they may see *at building time and again at sending time*
(``can(person, "view", ...)`` on roles loaded in bulk, and moderation: an item hidden or pending
meanwhile stays only in its author's and the animators' digests -- no query per person).
"""
from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from typing import Callable
from zoneinfo import ZoneInfo

from flask_babel import force_locale
from peewee import JOIN, fn

from ..db import after_commit, atomic, utcnow
from ..kernel import config, current
from ..models import Delivery, Digest, DigestState, Notification, User
from . import audience
from .channels import DIGEST_MODES, NotificationChannel, channels, mode_of, pushing_channels
from .dispatch import person_links
from .grouping import group_items
from .items import item_for

log = logging.getLogger("placette.notifications")

LOOKBACK = dt.timedelta(days=8)  # a first digest never digs up older news
SEND_AFTER = dt.timedelta(minutes=10)  # then the sweep sends a digest whose task was lost
KEEP_DIGESTS = dt.timedelta(days=35)
PEOPLE_PER_BATCH = 500  # people loaded together (their news, roles, mutes)
PEOPLE_PER_COMMIT = 100  # people claimed and recorded per transaction


def due_periods(now: dt.datetime) -> list[tuple[str, str]]:
    """``[(kind, period key)]`` due at ``now`` (naive UTC): the day's digest from the digest
    hour on, the week's on Mondays from the same hour."""
    local = now.replace(tzinfo=dt.UTC).astimezone(ZoneInfo(config().timezone))
    if local.hour < config().digest_hour:
        return []
    due = [("daily", f"D{local.date().isoformat()}")]
    iso = local.isocalendar()
    if iso.weekday == 1:
        due.append(("weekly", f"W{iso.year}-{iso.week:02d}"))
    return due


def run_digests(now: dt.datetime | None = None,
                on_person: Callable[[User], None] | None = None,
                per_commit: int = PEOPLE_PER_COMMIT) -> dict[str, int]:
    """Build every digest due at ``now``; returns ``{"<channel>.<kind>": digests built}``.

    ``on_person`` is called for each person once their digest is written, inside the
    transaction of their group (progress reports; the tests raise there to simulate a crash).
    """
    now = now or utcnow()
    built: dict[str, int] = {}
    for kind, period in due_periods(now):
        for channel in pushing_channels():
            if kind in channel.modes:
                built[f"{channel.name}.{kind}"] = build(channel, kind, period, now, on_person,
                                                        per_commit)
    return built


def _candidates(channel: NotificationChannel, period: str, lower: int, upper: int) -> list[int]:
    """People with news in ``(lower, upper]`` beyond their watermark and no digest this period."""
    state = DigestState
    rows = (Notification.select(Notification.user)
            .join(state, JOIN.LEFT_OUTER, on=((state.user == Notification.user)
                                              & (state.channel == channel.name)))
            .where((Notification.id > lower) & (Notification.id <= upper)
                   & (Notification.id > fn.COALESCE(state.watermark, 0))
                   & (state.period.is_null() | (state.period != period)))
            .group_by(Notification.user).order_by(Notification.user).tuples())
    return [user_id for (user_id,) in rows]


def build(channel: NotificationChannel, kind: str, period: str, now: dt.datetime,
          on_person: Callable[[User], None] | None = None,
          per_commit: int = PEOPLE_PER_COMMIT) -> int:
    upper = Notification.select(fn.MAX(Notification.id)).scalar() or 0
    first = (Notification.select(fn.MIN(Notification.id))
             .where(Notification.created_at >= now - LOOKBACK).scalar())
    if first is None:
        return 0
    run = _Run(channel, kind, period, now, first - 1, upper, on_person, per_commit)
    for part in audience.chunks(_candidates(channel, period, run.lower, upper), PEOPLE_PER_BATCH):
        run.batch(part)
    return run.built


class _Run:
    """One digest run of one channel and period, batch after batch of people.

    What does not depend on the person is loaded or decided once for the whole run: the events
    (a council's news is in hundreds of digests), whether each is still live, and the
    permission answers (:class:`~placette.notifications.audience.Sight`).
    """

    def __init__(self, channel, kind, period, now, lower, upper, on_person, per_commit):
        self.channel, self.kind, self.period, self.now = channel, kind, period, now
        self.lower, self.upper, self.on_person = lower, upper, on_person
        self.per_commit = per_commit
        self.events: dict[int, object] = {}
        self.live: dict[int, bool] = {}
        self.sight = audience.Sight()
        self.queue = current().queue
        self.built = 0

    def batch(self, user_ids: list[int]) -> None:
        channel = self.channel
        people = list(User.select().where(User.id.in_(user_ids)).order_by(User.id))
        watermarks = dict(DigestState.select(DigestState.user, DigestState.watermark).where(
            DigestState.user.in_(user_ids) & (DigestState.channel == channel.name)).tuples())
        missing = [uid for uid in user_ids if uid not in watermarks]
        if missing:
            (DigestState.insert_many([{"user": uid, "channel": channel.name, "watermark": 0,
                                       "updated_at": self.now} for uid in missing])
             .on_conflict_ignore().execute())
        wanted, idle = [], []
        for person in people:
            mode = mode_of(person, channel)
            if mode == self.kind and not person.is_suspended and channel.available_for(person):
                wanted.append(person)
            elif mode not in DIGEST_MODES or person.is_suspended:
                idle.append(person.id)  # immediate or off: nothing will ever be digested
        if idle:
            (DigestState.update(watermark=self.upper, updated_at=self.now)
             .where(DigestState.user.in_(idle) & (DigestState.channel == channel.name)
                    & (DigestState.watermark < self.upper)).execute())
        if not wanted:
            return
        wanted_ids = [p.id for p in wanted]
        news: dict[int, list[tuple[int, int]]] = defaultdict(list)
        rows = (Notification.select(Notification.id, Notification.user, Notification.event)
                .join(Delivery, JOIN.LEFT_OUTER, on=((Delivery.notification == Notification.id)
                                                     & (Delivery.channel == channel.name)))
                .where(Notification.user.in_(wanted_ids) & (Notification.id > self.lower)
                       & (Notification.id <= self.upper) & Delivery.id.is_null())
                .order_by(Notification.id).tuples())
        for notification_id, user_id, event_id in rows:
            news[user_id].append((notification_id, event_id))
        unknown = {eid for pairs in news.values() for _, eid in pairs} - self.events.keys()
        self.events.update(audience.load_events(unknown))
        audience.attach_roles(wanted, audience.load_roles(wanted_ids))
        mutes = audience.mutes_of(wanted_ids)
        for group in audience.chunks(wanted, self.per_commit):
            picks = {person.id: [nid for nid, eid in news[person.id]
                                 if nid > watermarks.get(person.id, 0)
                                 and self.still_news(person, eid, mutes[person.id])]
                     for person in group}
            self.commit(group, picks)

    def commit(self, group: list[User], picks: dict[int, list[int]]) -> None:
        """Claim the period of a group of people and record their digests, in one transaction;
        their sending tasks are queued once it commits."""
        with atomic():
            claimed = {uid for (uid,) in (
                DigestState.update(period=self.period, watermark=self.upper, updated_at=self.now)
                .where(DigestState.user.in_([p.id for p in group])
                       & (DigestState.channel == self.channel.name)
                       & (DigestState.period.is_null() | (DigestState.period != self.period)))
                .returning(DigestState.user).tuples().execute())}
            rows = [{"user": person.id, "channel": self.channel.name, "period": self.period,
                     "items": picks[person.id], "built_at": self.now}
                    for person in group if person.id in claimed and picks[person.id]]
            if rows:
                ids = [did for (did,) in Digest.insert_many(rows).returning(Digest.id)
                       .tuples().execute()]
                after_commit(lambda ids=ids: self.hand_over(ids))
                self.built += len(ids)
            if self.on_person is not None:
                for person in group:
                    self.on_person(person)

    def hand_over(self, digest_ids: list[int]) -> None:
        for digest_id in digest_ids:
            self.queue.enqueue("placette.notifications.send_digest", digest_id)

    def still_news(self, person: User, event_id: int, mutes) -> bool:
        event = self.events.get(event_id)
        if event is None:
            return False
        live = self.live.get(event_id)
        if live is None:
            live = self.live[event_id] = audience.is_live(event)
        return live and not audience.is_muted(mutes, event) and self.sight.may_see(person, event)


def _still_news(person: User, event, mutes) -> bool:
    return (event is not None and audience.is_live(event)
            and not audience.is_muted(mutes, event) and audience.may_see(person, event))


def send_digest(digest_id: int) -> bool:
    """Send one built digest (the task); ``True`` if a message went out."""
    digest = Digest.get_or_none(Digest.id == digest_id)
    if digest is None or digest.sent_at is not None:
        return False
    channel = channels().get(digest.channel)
    person = User.get_or_none(User.id == digest.user_id)
    keep: list[tuple[int, object]] = []
    if channel is not None and person is not None and not person.is_suspended \
            and mode_of(person, channel) != "off" and channel.available_for(person):
        ids = [int(i) for i in digest.items or []]
        rows = [(nid, eid) for nid, eid in Notification.select(Notification.id, Notification.event)
                .where(Notification.id.in_(ids or [0]) & (Notification.user == person.id))
                .order_by(Notification.id).tuples()]
        events = audience.load_events(eid for _, eid in rows)
        audience.attach_roles([person], audience.load_roles([person.id]))
        mutes = audience.mutes_of([person.id])[person.id]
        keep = [(nid, events[eid]) for nid, eid in rows
                if _still_news(person, events.get(eid), mutes)]
    with atomic():
        claimed = (Digest.update(sent_at=utcnow())
                   .where((Digest.id == digest.id) & Digest.sent_at.is_null()).execute())
        if not claimed or not keep:
            return False
        with force_locale(person.language or config().default_language):
            items = group_items([item_for(nid, event, person, audience.is_urgent(event))
                                 for nid, event in keep])
            kind = "weekly" if digest.period.startswith("W") else "daily"
            channel.send_digest(person, items, person_links(person, channel.name), kind)
    return True


def prune(now: dt.datetime) -> int:
    """Forget sent digests after a while (their notifications stay in the inbox)."""
    return (Digest.delete().where(Digest.sent_at.is_null(False)
                                  & (Digest.built_at < now - KEEP_DIGESTS)).execute())
