"""Two ``placette worker`` processes on Redis (2 threads each): the reminder task run 12 times
at once, then every send task queued a second time -- each of 30 people gets their reminder
exactly once at Twilio's stub."""
from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from sms_twilio_stub import ACCOUNT, TOKEN


@pytest.mark.redis
def test_two_workers_on_redis_send_each_reminder_exactly_once(
        app, council, animator, make_meeting, texting, twilio, redis_server, redis_queue_name,
        placette_database_url, instance_dir, local_now):
    import tomli_w
    from placette_plugins.agenda import rsvp
    from placette_plugins.sms.models import Message
    start = local_now + dt.timedelta(hours=47)
    meeting = make_meeting(council, animator, starts_at=start,
                           ends_at=start + dt.timedelta(hours=1))
    people = [texting(name=f"Person {i}") for i in range(30)]
    for person in people:
        rsvp.answer(meeting, person, "yes")
    folder = instance_dir / "worker-instance"
    folder.mkdir()
    (folder / "placette.toml").write_text(tomli_w.dumps({
        "city": "Testville", "secret_key": "test-secret-key-" + "x" * 16,
        "database_url": placette_database_url, "queue_url": redis_server,
        "base_url": "http://localhost", "default_language": "en",
        "plugins": ["agenda", "sms"],
        "sms": {"backend": "twilio", "account_sid": ACCOUNT, "auth_token": TOKEN,
                "from_number": "+33757000000", "api_base": twilio.url}}))
    from placette.kernel import registry
    from placette.tasks import TaskQueue
    producer = TaskQueue(app, redis_server, instance_dir, name=redis_queue_name)
    registry().call_each("register_tasks", strict=True, queue=producer)
    env = {**os.environ, "PLACETTE_INSTANCE": str(folder)}
    placette = str(Path(sys.executable).with_name("placette"))
    workers = [subprocess.Popen([placette, "worker", "--workers", "2", "--no-periodic",
                                 "--queue-name", redis_queue_name], env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
               for _ in range(2)]
    try:
        time.sleep(3)
        assert all(w.poll() is None for w in workers), workers[0].stdout.read().decode()
        handles = [producer.enqueue("agenda.send_reminders") for _ in range(12)]
        assert sum(h.get(blocking=True, timeout=60) for h in handles) == 30
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and len(twilio.sent) < 30:
            time.sleep(0.2)
        ids = [m.id for m in Message.select(Message.id)]
        again = [producer.enqueue("sms.send", i) for i in ids]  # a retried task, twice over
        assert {h.get(blocking=True, timeout=60) for h in again} == {"taken"}
    finally:
        for w in workers:
            w.terminate()
        for w in workers:
            try:
                w.wait(10)
            except subprocess.TimeoutExpired:
                w.kill()
        producer.huey.flush()
    logs = b"".join(w.stdout.read() for w in workers).decode()
    counts = Counter(m["To"] for m in twilio.sent)
    assert len(counts) == 30 and set(counts.values()) == {1}, logs[-3000:]
    assert Message.select().count() == 30
    assert {m.status for m in Message.select()} == {"queued"}
