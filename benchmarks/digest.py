"""Time the notification back end on a generated city: digest building and one fan-out.

    python benchmarks/digest.py [--scale medium] [--database-url URL] [--send 500] [--json FILE]

Issue 3 asks: digests for the medium city (50,000 members) built in under 60 s on this 2-core
machine, and the fan-out of one event to a 1,000-member council queued in under 1 s.

1. builds the city with ``benchmarks/generate.build_city`` and the notification volume of
   ``benchmarks/pages/notifications.py`` (about two notifications per member from the last day);
2. runs the hourly digest task body once at 08:00 local time, with the queue in memory: every
   person's digest is chosen (visibility at building time, mutes, modules), claimed and committed
   person by person, and its sending task queued -- that is "building";
3. sends ``--send`` of the queued digests (render the text and HTML parts, compose, write the
   ``.eml`` to the outbox), to give the per-mail cost of the sending workers;
4. adds a council of 1,000 members, emits one event and times the fan-out task (``dispatch``):
   inbox rows written, deliveries planned and queued -- once for daily-digest people (the
   default), once with everybody on immediate e-mail (one delivery task per 100 people).
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import time
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.pages import notifications as volume  # noqa: E402

SIZES = {"small": (1_000, 20), "medium": (50_000, 1_000)}
COUNCIL = 1_000


def build_city(scale: str, database_url: str | None):
    """The benchmark harness's city (no plugin content: the digest is the kernel's work)."""
    from benchmarks.generate import build_city as harness_city
    return harness_city(scale, [], database_url=database_url)


def eight_local(now: dt.datetime, timezone: str) -> dt.datetime:
    local = now.replace(tzinfo=dt.UTC).astimezone(ZoneInfo(timezone))
    eight = dt.datetime.combine(local.date(), dt.time(8), tzinfo=ZoneInfo(timezone))
    return eight.astimezone(dt.UTC).replace(tzinfo=None)


def council_of(size: int, city) -> int:
    """A new council with ``size`` members (bulk), returns its id."""
    from placette.db import database, utcnow
    from placette.models import Membership, Space
    with database.atomic():
        space = Space.create(slug="grand-conseil", name="Grand conseil", kind="neighbourhood",
                             visibility="network")
        people = city.rng.sample(city.user_ids[2:], min(size, len(city.user_ids) - 2))
        rows = [{"user": uid, "space": space.id, "role": "member", "created_at": utcnow()}
                for uid in people]
        for start in range(0, len(rows), 2000):
            Membership.insert_many(rows[start:start + 2000]).execute()
    return space.id


def time_fan_out(space_id: int, immediate_mail: bool) -> dict:
    import placette
    from placette.db import database
    from placette.kernel import current
    from placette.models import Membership, User
    from placette.notifications.dispatch import dispatch
    if immediate_mail:
        ids = [u for (u,) in Membership.select(Membership.user)
               .where(Membership.space == space_id).tuples()]
        User.update(notification_prefs={"email": "immediate"}).where(User.id.in_(ids)).execute()
    queue = current().queue
    before = queue.huey.pending_count()
    started = time.perf_counter()
    with database.atomic():
        event = placette.emit("placette.space.updated", space=space_id)
    emitted = time.perf_counter() - started
    queue.huey.storage.flush_queue()  # the dispatch task emit() queued: timed below instead
    started, cpu = time.perf_counter(), time.process_time()
    told = dispatch(event.id)
    fan_out, fan_out_cpu = time.perf_counter() - started, time.process_time() - cpu
    return {"told": told, "emit_commit_s": round(emitted, 4), "fan_out_s": round(fan_out, 3),
            "fan_out_cpu_s": round(fan_out_cpu, 3),
            "delivery_tasks_queued": queue.huey.pending_count() - before}


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", choices=sorted(SIZES), default="medium")
    parser.add_argument("--database-url", default=None,
                        help="PostgreSQL URL (default: a SQLite file in a temporary instance)")
    parser.add_argument("--send", type=int, default=500, help="digests to send after building")
    parser.add_argument("--json", default=None, help="write the figures to this file")
    args = parser.parse_args(argv)

    from placette.db import database
    from placette.kernel import current
    from placette.models import Digest, Notification
    from placette.notifications.digests import run_digests

    started = time.perf_counter()
    city = build_city(args.scale, args.database_url)
    app = city.app
    figures: dict = {"load_average_1min": round(os.getloadavg()[0], 1), "scale": args.scale,
                     "database": "postgresql" if args.database_url else "sqlite",
                     "members": len(city.user_ids)}
    with app.app_context(), database.connection_context():
        with database.atomic():
            volume.seed(city)
        figures["setup_s"] = round(time.perf_counter() - started, 1)
        figures["notifications"] = Notification.select().count()
        queue = current().queue
        queue.huey.immediate = False  # queue in memory: building only, sending measured apart
        now = eight_local(city.now, current().config.timezone)

        started, cpu = time.perf_counter(), time.process_time()
        built = run_digests(now)
        figures["digest_build_s"] = round(time.perf_counter() - started, 1)
        figures["digest_build_cpu_s"] = round(time.process_time() - cpu, 1)
        figures["digests_built"] = built
        figures["digest_send_tasks_queued"] = queue.huey.pending_count()

        sent, started, cpu = 0, time.perf_counter(), time.process_time()
        while sent < args.send and (task := queue.huey.dequeue()) is not None:
            queue.huey.execute(task)
            sent += 1
        if sent:
            figures["digest_send_ms_per_mail"] = round(
                (time.perf_counter() - started) / sent * 1000, 2)
            figures["digest_send_cpu_ms_per_mail"] = round(
                (time.process_time() - cpu) / sent * 1000, 2)
            figures["digests_sent_sample"] = sent
        queue.huey.storage.flush_queue()
        figures["digests_unsent_left_for_the_sweep"] = Digest.select().where(
            Digest.sent_at.is_null()).count()

        space_id = council_of(COUNCIL, city)
        figures["fan_out_1000_daily"] = time_fan_out(space_id, immediate_mail=False)
        figures["fan_out_1000_immediate_mail"] = time_fan_out(space_id, immediate_mail=True)
        queue.huey.storage.flush_queue()
    print(json.dumps(figures, indent=2))
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2) + "\n")
    return figures


if __name__ == "__main__":
    main()
