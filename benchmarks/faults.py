"""Faults under load: kill a web worker, kill a task worker mid-task, restart Redis, restart
PostgreSQL -- while ``benchmarks/load.py``'s people keep clicking -- and print what was seen.

    python benchmarks/faults.py [--requests 4000] [--people 240] [--concurrency 8]
                                [--web-workers 2] [--task-workers 2] [--json FILE]

Always on a private PostgreSQL cluster and redis-server (``benchmarks/services.py``, spare ports):
the machine's shared servers are never restarted.  The load is ``load.py``'s plan; the faults
fire at fixed points of it (by requests sent), one at a time:

* ``web_worker_killed`` -- SIGKILL to one gunicorn worker (the arbiter starts another);
* ``task_worker_killed`` -- SIGKILL to a ``placette worker`` process while tasks are queued,
  then a new one started (what systemd does);
* ``redis_restarted`` / ``postgres_restarted`` -- the server stopped for ``--down`` seconds and
  started again; placette itself is never restarted.

Required, and checked: no acknowledged write lost (every 2xx write is in the database), nothing
handled twice (ballots = "has voted" rows, one reminder per person and date, no mail delivered
twice in the outbox), no 500 at any time, only 503 with ``Retry-After`` while a part is down,
and every request after the last fault's recovery answered.  A request that was inside the
killed web worker has no answer at all (the connection drops): counted as ``dropped``, never
acknowledged, so the person's browser shows an error and nothing half-done is stored.
"""
from __future__ import annotations

import email
import email.policy
import hashlib
import json
import re
import signal
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import load  # noqa: E402

FAULTS = ["web_worker_killed", "task_worker_killed", "redis_restarted", "postgres_restarted"]


def outbox_twice(instance: Path) -> int:
    """Mails delivered more than once: same recipient, subject and body."""
    seen: dict[str, int] = {}
    for path in sorted((instance / "outbox").glob("*.eml")):
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        body = message.get_body(("plain",))
        key = hashlib.sha256(repr((message["To"], message["Subject"],
                                   body.get_content() if body else "")).encode()).hexdigest()
        seen[key] = seen.get(key, 0) + 1
    return sum(n - 1 for n in seen.values() if n > 1)


def queue_size(redis_url: str, name: str) -> int:
    import redis
    try:
        key = "huey.redis." + re.sub("[^a-z0-9]", "", name)  # as huey names it
        return redis.Redis.from_url(redis_url, socket_timeout=1).llen(key)
    except Exception:  # noqa: BLE001 -- a probe
        return -1


BURST = 400


def burst(instance: Path, env: dict, count: int, at: int = -1, then=None) -> None:
    """Queue ``count`` mails to ``burst-N@example.org`` through placette's own queue (the task
    ``placette.mail.deliver``, as the site queues them): the outbox then tells which were
    delivered, and how often."""
    from placette.app import create_app
    from placette.config import load as load_config
    from placette.kernel import current
    config = load_config(instance)
    config.database_url = env["PLACETTE_DATABASE_URL"]
    config.queue_url = env["PLACETTE_QUEUE_URL"]
    config.queue_name = env["PLACETTE_QUEUE_NAME"]
    app = create_app(config=config, check_migrations=False, immediate_tasks=False)
    with app.app_context():
        queue = current().queue
        for index in range(count):
            if index == at and then is not None:
                then(index)
            queue.enqueue("placette.mail.deliver", (
                f"From: bench@example.org\r\nTo: burst-{index}@example.org\r\n"
                f"Subject: Burst {index}\r\nMessage-ID: <burst-{index}@example.org>\r\n"
                f"\r\nMail {index} of the burst.\r\n").encode())


def burst_delivered(instance: Path) -> dict:
    seen: dict[str, int] = {}
    for path in (instance / "outbox").glob("*.eml"):
        text = path.read_text(errors="replace")
        for line in text.splitlines():
            if line.startswith("To: burst-"):
                seen[line] = seen.get(line, 0) + 1
    return {"queued": BURST, "delivered": len(seen),
            "twice": sum(n - 1 for n in seen.values() if n > 1)}


class Injector:
    """Fires each fault when the load reaches its point; records when it started and ended."""

    def __init__(self, stack, services, total: int, down: float, queue_name: str):
        self.stack, self.services, self.down = stack, services, down
        self.points = {int(total * f): name for f, name in
                       zip((0.1, 0.3, 0.5, 0.65), FAULTS)}
        self.queue_name = queue_name
        self.events: list[dict] = []
        self._lock = threading.Lock()
        self._busy = False
        self.threads: list[threading.Thread] = []

    def on_step(self, index: int) -> None:
        name = self.points.pop(index, None) if index in self.points else None
        if name is None:
            return
        thread = threading.Thread(target=self._fire, args=(name,), daemon=True)
        self.threads.append(thread)
        thread.start()

    def _fire(self, name: str) -> None:
        with self._lock:
            started = time.perf_counter()
            detail = getattr(self, name)()
            self.events.append({"fault": name, "at": started, "end": time.perf_counter(),
                                "detail": detail})

    def web_worker_killed(self) -> str:
        pids = self.stack.web_worker_pids()
        pid = pids[0]
        import os
        os.kill(pid, signal.SIGKILL)
        return f"SIGKILL gunicorn worker {pid} of {len(pids)}"

    def task_worker_killed(self) -> str:
        # The load's own tasks come and go in milliseconds: queue a burst of mails and kill
        # the worker half-way through it, while it is busy delivering them.
        seen = {}

        def kill(index):
            seen["queued"] = queue_size(self.services.redis_url, self.queue_name)
            victim = self.stack.workers[0]
            victim.send_signal(signal.SIGKILL)
            victim.wait(10)
            seen["pid"] = victim.pid

        burst(self.stack.instance, self.stack.env, BURST, at=BURST // 2, then=kill)
        time.sleep(1)
        self.stack.start_worker(0)
        return (f"SIGKILL placette worker {seen['pid']} during a burst of {BURST} mails "
                f"({seen['queued']} waiting in the queue), a new one started")

    def redis_restarted(self) -> str:
        self.services.restart_redis(self.down)
        return f"redis-server stopped for {self.down:g} s and started"

    def postgres_restarted(self) -> str:
        self.services.restart_postgres(self.down)
        return f"PostgreSQL stopped (fast) for {self.down:g} s and started"


def windows(outcomes, events, started_at) -> dict:
    """What people saw during each fault (from its start to 5 s after its end)."""
    found = {}
    for event in events:
        begin, end = event["at"] - started_at, event["end"] - started_at + 5
        inside = [o for o in outcomes if o.kind != "hello" and begin <= o.at <= end]
        statuses: dict[str, int] = {}
        for o in inside:
            statuses[str(o.status)] = statuses.get(str(o.status), 0) + 1
        unavailable = [o for o in inside if o.status == 503]
        recovered = next((o.at for o in sorted(inside, key=lambda o: o.at)
                          if o.at > event["end"] - started_at and load.ok(o)), None)
        found[event["fault"]] = {
            "detail": event["detail"], "down_s": round(event["end"] - event["at"], 2),
            "requests": len(inside), "statuses": statuses,
            "503_with_retry_after": sum(1 for o in unavailable if o.retry_after),
            "503_without_retry_after": sum(1 for o in unavailable if not o.retry_after),
            "500": sum(1 for o in inside if o.status >= 500 and o.status != 503),
            "dropped": sum(1 for o in inside if o.status == 0),
            "first_success_after_s": round(recovered - (event["end"] - started_at), 2)
            if recovered is not None else None}
    return found


def main(argv=None) -> int:
    args = load.arguments(argv, __doc__.split("\n\n")[0])
    args.own_services = True
    if args.task_workers < 2:
        args.task_workers = 2
    down = 3.0
    services, city, people, stack, client = load.setup(args)
    steps = load.plan(people, args.requests)
    injector = Injector(stack, services, len(steps) * 11 // 10, down,
                        stack.env["PLACETTE_QUEUE_NAME"])
    started_at = time.perf_counter()
    wall = client.run(steps, on_step=injector.on_step)
    for thread in injector.threads:
        thread.join()
    # after the load: everything answers again, without restarting placette
    after = load.Client(stack.url, client.hello, client.cookie_name, 4)
    after.run([("read", route, people[i % len(people)]) for i, route in
               enumerate(load.READS * 3)])
    time.sleep(5)  # the queued mails reach the outbox
    outcomes = client.outcomes
    checks = load.verify(city, outcomes, people)
    checks["mails_twice"] = outbox_twice(city.instance_dir)
    checks["burst_mails"] = burst_delivered(city.instance_dir)
    report = load.report_of(args, city, outcomes, wall, checks)
    report["faults"] = windows(outcomes, injector.events, started_at)
    report["after_faults"] = {"requests": len(after.outcomes),
                              "errors": sum(1 for o in after.outcomes if not load.ok(o))}
    report["outside_faults_errors"] = sum(
        1 for o in outcomes if not load.ok(o) and o.kind != "hello"
        and not any(e["at"] - started_at <= o.at <= e["end"] - started_at + 5
                    for e in injector.events))
    load.print_table(report)
    print(json.dumps({"faults": report["faults"], "after_faults": report["after_faults"],
                      "outside_faults_errors": report["outside_faults_errors"]}, indent=2))
    if args.json_file:
        args.json_file.parent.mkdir(parents=True, exist_ok=True)
        args.json_file.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {args.json_file}")
    good = (checks["lost"] == 0 and checks["doubled"] == 0 and checks["mails_twice"] == 0
            and checks["burst_mails"]["twice"] == 0
            and checks["reminders_twice"] == 0 and checks["ballots_equal_has_voted"]
            and all(f["500"] == 0 and f["503_without_retry_after"] == 0
                    for f in report["faults"].values())
            and report["after_faults"]["errors"] == 0 and report["outside_faults_errors"] == 0)
    print("verdict:", "ok" if good else "FAILED")
    return 0 if good else 1


if __name__ == "__main__":
    sys.exit(main())
