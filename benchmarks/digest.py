"""Time the notification back end on a generated city: digest building and one fan-out.

    python benchmarks/digest.py [--scale medium] [--database-url URL] [--send 500] [--json FILE]

Issue 3 asks: digests for the medium city (50,000 members) built in under 60 s on this 2-core
machine, and the fan-out of one event to a 1,000-member council queued in under 1 s.

1. builds the city (``benchmarks/generate.build_city`` when the harness is there, else a minimal
   generator below with the same shape) and the notification volume of
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
import random
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.pages import notifications as volume  # noqa: E402

SIZES = {"small": (1_000, 20), "medium": (50_000, 1_000)}
COUNCIL = 1_000


def build_city(scale: str, database_url: str | None):
    try:
        from benchmarks.generate import build_city as harness_city
    except ImportError:
        return minimal_city(scale, database_url)
    return harness_city(scale, [], database_url=database_url)


def minimal_city(scale: str, database_url: str | None):
    """Until ``benchmarks/generate.py`` lands: people, spaces, memberships, bulk-inserted.

    Same shape as the harness: 12% councils, the rest working groups; everybody in one council,
    a third also in a group, two animators per space; the viewer in 20 spaces."""
    from placette.app import create_app, migration_sources
    from placette.db import database, utcnow
    from placette.db.migrations import migrate
    from placette.instance import init_instance
    from placette.kernel import current
    from placette.models import Membership, Space, User
    from placette.testing import wipe_database
    members, n_spaces = SIZES[scale]
    directory = Path(tempfile.mkdtemp(prefix="placette-digest-"))
    extra = {"queue_url": "memory://"}
    if database_url:
        extra["database_url"] = database_url
    init_instance(directory, "Benchville", [], extra=extra)
    app = create_app(directory, check_migrations=False, immediate_tasks=True)
    rng, now = random.Random(2026), utcnow().replace(microsecond=0)
    with app.app_context(), database.connection_context():
        migrate(migration_sources(current().registry), log=lambda _m: None)
        if database_url:
            wipe_database()

        def bulk(model, rows, chunk=1000):
            width = max(len(rows[0]), 1)
            size = max(1, min(chunk, 30000 // width))
            for start in range(0, len(rows), size):
                model.insert_many(rows[start:start + size]).execute()

        with database.atomic():
            councils = max(3, n_spaces * 12 // 100)
            spaces = [{"id": 1, "slug": "ville", "name": "Benchville", "kind": "city",
                       "visibility": "public"}]
            for sid in range(2, n_spaces + 1):
                council = sid <= councils + 1
                spaces.append({"id": sid, "slug": f"{'conseil' if council else 'groupe'}-{sid}",
                               "name": f"{'Conseil' if council else 'Groupe'} {sid}",
                               "kind": "neighbourhood" if council else "group",
                               "visibility": rng.choice(("public", "network", "network",
                                                         "members", "private"))})
            for row in spaces:
                row.update(description="", allow_join_requests=True, position=0,
                           created_at=now, archived_at=None)
            bulk(Space, spaces)
            bulk(User, [{"id": uid, "email": f"person{uid}@bench.example",
                         "display_name": f"Person {uid}",
                         "language": "fr" if rng.random() < 0.9 else "en",
                         "is_admin": uid == 1, "auth_stamp": f"{uid:016x}",
                         "notification_prefs": {}, "created_at": now}
                        for uid in range(1, members + 1)])
            council_ids = list(range(2, councils + 2))
            group_ids = list(range(councils + 2, n_spaces + 1))
            taken, rows = set(), []

            def add(uid, sid, role="member"):
                if (uid, sid) not in taken:
                    taken.add((uid, sid))
                    rows.append({"user": uid, "space": sid, "role": role, "expires_at": None,
                                 "created_at": now, "invited_by": None})
            add(1, 1, "admin")
            for sid in (council_ids[:10] + group_ids + council_ids)[:20]:
                add(2, sid)
            for uid in range(3, members + 1):
                add(uid, rng.choice(council_ids))
                if group_ids and rng.random() < 0.33:
                    add(uid, rng.choice(group_ids))
            for sid in range(1, n_spaces + 1):
                for uid in rng.sample(range(3, members + 1), 2):
                    add(uid, sid, "animator")
            bulk(Membership, rows)
            if database_url:
                for table in ("placette_user", "placette_space", "placette_membership"):
                    database.execute_sql(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"(SELECT MAX(id) FROM {table}) + 1, false)")
        all_spaces = list(Space.select().order_by(Space.id))
        city = SimpleNamespace(
            scale=scale, rng=rng, spaces=all_spaces,
            councils=[s for s in all_spaces if s.kind == "neighbourhood"],
            user_ids=list(range(1, members + 1)), viewer=User.get_by_id(2),
            admin=User.get_by_id(1), now=now, app=app, instance_dir=directory,
            bulk_insert=lambda model, rows, chunk=1000: bulk(model, rows, chunk) if rows else 0)
    return city


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
