"""Time to send a meeting reminder by text to a 1,000-member council, through a Twilio stub.

    python benchmarks/sms.py [--members 1000] [--workers 0|N] [--database-url postgresql://...EMPTY db]
                             [--latency-ms 0] [--json FILE]

Issue 22 asks for the time a reminder takes to reach every member of a 1,000-member council
through the stub.  The script:

1. builds an instance in a temporary folder (SQLite, or the *empty* PostgreSQL database given),
   with ``agenda`` and ``sms`` on, a council of ``--members`` people, each with a confirmed
   number and texts switched on, and a meeting in 47 hours that every one of them will attend;
2. starts a Twilio stub on 127.0.0.1 (the tests' stub: a threaded HTTP server answering like
   Twilio's Messages API, ``--latency-ms`` per answer to play a distant provider);
3. runs the agenda's reminder task and times until the stub has received every text: the
   reminder event, its fan-out to 1,000 inboxes, the deliveries on the sms channel (one log row
   each, idempotency key) and one HTTP call to the stub per text.  ``--workers 0`` runs the
   tasks inline (huey's immediate mode: one worker's worth); ``--workers N`` runs a huey
   consumer with N threads in the process (what ``placette worker --workers N`` does);
4. checks that every member got exactly one text.
"""
from __future__ import annotations

import argparse
import collections
import datetime as dt
import json
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "plugins" / "sms")]


def build(folder: Path, database_url: str | None, stub_url: str, workers: int):
    from placette.app import create_app, migration_sources
    from placette.config import from_mapping
    from placette.db import database
    from placette.db.migrations import migrate
    from placette.kernel import registry
    data = {"city": "Benchville", "secret_key": "benchmark-secret-key-" + "x" * 16,
            "database_url": database_url or f"sqlite:///{folder / 'bench.sqlite3'}",
            "queue_url": "memory://", "plugins": ["agenda", "sms"],
            "base_url": "https://participation.example", "default_language": "fr",
            "sms": {"backend": "twilio", "account_sid": "AC" + "0" * 32,
                    "auth_token": "bench-token", "from_number": "+33757000000",
                    "api_base": stub_url}}
    (folder / "uploads").mkdir(exist_ok=True)
    app = create_app(config=from_mapping(folder, data), check_migrations=False,
                     immediate_tasks=(workers == 0))
    with app.app_context():
        database.connect(reuse_if_open=True)
        migrate(migration_sources(registry()), log=lambda _m: None)
    return app


def seed(members: int):
    import placette
    from placette.identity.accounts import create_user
    from placette.models import Membership, Module, Space, User
    from placette_plugins.agenda import rsvp, service
    from placette_plugins.sms.models import Phone
    from zoneinfo import ZoneInfo
    now = placette.utcnow()
    with placette.atomic():
        council = Space.create(slug="quartier-nord", name="Conseil de quartier Nord",
                               kind="neighbourhood", visibility="network")
        for plugin in ("agenda", "sms"):
            Module.insert(space=council.id, plugin=plugin, enabled=True,
                          settings={"quiet_from": 0, "quiet_until": 0,
                                    "monthly_budget": 10 * members} if plugin == "sms"
                          else {}).on_conflict_ignore().execute()
        admin = create_user("animation@example.org", "Animation", is_admin=True)
        Membership.create(space=council.id, user=admin.id, role="animator")
    people = []
    for start in range(0, members, 200):
        with placette.atomic():
            for i in range(start, min(members, start + 200)):
                person = create_user(f"membre{i}@example.org", f"Membre {i}")
                Membership.create(space=council.id, user=person.id, role="member")
                Phone.create(user=person.id, number=f"+3361{i:07d}", verified_at=now,
                             created_at=now, updated_at=now)
                people.append(person.id)
            (User.update(notification_prefs={"sms": "immediate", "email": "off"})
             .where(User.id.in_(people[start:])).execute())
    local = dt.datetime.now(ZoneInfo("Europe/Paris")).replace(tzinfo=None, second=0,
                                                               microsecond=0)
    begin = local + dt.timedelta(hours=47)
    meeting = service.create_meeting(council, admin, {
        "title": "Conseil de quartier : budget participatif", "starts_at": begin,
        "ends_at": begin + dt.timedelta(hours=2), "reminder_hours": [48]})
    for person in User.select().where(User.id.in_(people)):
        rsvp.answer(meeting, person, "yes")
    return meeting


def run(args) -> dict:
    from sms_twilio_stub import TwilioStub
    with tempfile.TemporaryDirectory() as tmp, TwilioStub() as stub:
        if args.latency_ms:
            _slow(stub, args.latency_ms / 1000)
        app = build(Path(tmp), args.database_url, stub.url, args.workers)
        with app.app_context():
            from placette.db import database
            database.connect(reuse_if_open=True)
            seeded = time.perf_counter()
            meeting = seed(args.members)
            seeding = time.perf_counter() - seeded
            from placette.kernel import current
            consumer = None
            if args.workers:
                # no periodic tasks: the agenda's own minute-by-minute reminder run would
                # otherwise race the timed one
                consumer = current().queue.consumer(workers=args.workers, periodic=False)
                consumer.scheduler.start()
                for _name, worker in consumer.worker_threads:
                    worker.start()
            from placette_plugins.agenda import reminders
            start = time.perf_counter()
            reminded = reminders.send_due(meeting.starts_at - dt.timedelta(hours=47))
            from placette_plugins.sms.models import Message
            deadline = start + 600
            while len(stub.sent) < args.members and time.perf_counter() < deadline:
                if not args.workers and Message.select().where(
                        Message.status.in_(["pending", "retrying", "claimed"])).count() == 0:
                    break  # inline: everything that could go went
                time.sleep(0.05)
            elapsed = time.perf_counter() - start
            if consumer is not None:
                consumer.stop(graceful=True)
            counts = collections.Counter(m["To"] for m in stub.sent)
            result = {
                "members": args.members, "workers": args.workers, "reminded": reminded,
                "texts_received_by_stub": len(stub.sent), "distinct_numbers": len(counts),
                "sent_twice": sum(1 for c in counts.values() if c > 1),
                "seconds": round(elapsed, 2),
                "texts_per_second": round(len(stub.sent) / elapsed, 1) if elapsed else None,
                "stub_latency_ms": args.latency_ms, "seeding_seconds": round(seeding, 1),
                "database": "postgresql" if args.database_url else "sqlite",
            }
            database.close()
    return result


def _slow(stub, seconds: float) -> None:
    handler = stub.server.RequestHandlerClass
    original = handler.do_POST

    def do_post(self):
        time.sleep(seconds)
        return original(self)
    handler.do_POST = do_post


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--members", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=0)
    parser.add_argument("--latency-ms", type=int, default=0)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--json", default=None)
    args = parser.parse_args()
    result = run(args)
    text = json.dumps(result, indent=2)
    print(text)
    if args.json:
        Path(args.json).write_text(text + "\n")
    if result["distinct_numbers"] != args.members or result["sent_twice"]:
        sys.exit(1)


if __name__ == "__main__":
    main()
