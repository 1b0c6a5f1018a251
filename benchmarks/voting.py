"""Voting at the peak: 2,000 voters casting ballots through the HTTP API at once, and the tally
of a 50,000-ballot majority-judgment poll.

    python benchmarks/voting.py [--database-url postgresql://...EMPTY db] [--voters 2000]
                                [--threads 16] [--workers 2] [--json FILE]

Issue 20 asks: 2,000 eligible voters casting ballots through the HTTP API from 16 client
threads against gunicorn with 2 workers, on SQLite and on PostgreSQL -- ballots per second, p95
latency, and the final tally equal to what was acknowledged (0 lost, 0 doubled); and the results
of a 50,000-ballot majority-judgment poll computed in under 1 s.

1. builds a benchmark city (``benchmarks/generate``) with ``voting`` on, puts ``--voters`` people
   in one council with an API token each, and opens a single-choice secret poll there (the
   eligible list freezes with them);
2. serves the instance with gunicorn (``--workers`` sync workers) and has ``--threads`` client
   threads PUT one ballot per voter, plus a second ballot for one voter in ten (must be 409);
3. compares what was acknowledged (200 answers) with the ballots and "has voted" rows stored
   and with the tally computed from the ballots;
4. times the majority-judgment tally of 50,000 ballots over 5 options: the pure count, and the
   whole results computation reading the ballots from the database.
"""
from __future__ import annotations

import argparse
import json
import os
import queue
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare(voters: int, database_url: str | None):
    """The city, the council of voters with their tokens, the poll; returns what the load needs."""
    from benchmarks.generate import Scale, bulk_insert, build_city
    from placette.db import database, utcnow
    from placette.identity.secrets_ import digest, new_secret
    from placette.models import ApiToken, Membership, User
    from placette_plugins.voting import service

    city = build_city(Scale("voting", members=voters * 2 + 100, spaces=20), ["voting"],
                      database_url=database_url)
    with city.app.app_context(), database.connection_context():
        council = city.councils[0]
        already = {m.user_id for m in Membership.select().where(Membership.space == council.id)}
        people = [uid for uid in city.user_ids[2:] if uid not in already][:voters]
        assert len(people) == voters, (len(people), voters)
        tokens = {uid: "plc_" + new_secret() for uid in people}
        with database.atomic():
            now = utcnow()
            bulk_insert(Membership, [{"user": uid, "space": council.id, "role": "member",
                                      "created_at": now} for uid in people])
            bulk_insert(ApiToken, [{"user": uid, "name": "bench", "token_hash": digest(t),
                                    "created_at": now} for uid, t in tokens.items()])
        admin = User.get_by_id(city.admin.id)
        poll = service.create_poll(council, admin, {
            "title": "Budget participatif : quel projet ?", "kind": "single",
            "options": ["Jardin", "Pistes cyclables", "Bancs", "Boîte à livres"]})
        options = [o.id for o in service.options_of(poll)]
    return city, council.slug, poll.id, options, tokens


def put(url: str, token: str, body: dict) -> tuple[int, float]:
    data = json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method="PUT", headers={
        "Content-Type": "application/json", "Authorization": f"Bearer {token}"})
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:
            answer.read()
            status = answer.status
    except urllib.error.HTTPError as error:
        error.read()
        status = error.code
    except OSError:
        status = 0
    return status, time.perf_counter() - started


def load(base: str, slug: str, poll_id: int, options: list[int], tokens: dict[int, str],
         threads: int) -> dict:
    url = f"{base}/api/v1/spaces/{slug}/voting/polls/{poll_id}/ballot"
    rng = random.Random(20)
    jobs: queue.Queue = queue.Queue()
    plan = [(uid, rng.choice(options), False) for uid in tokens]
    again = rng.sample(list(tokens), len(tokens) // 10)
    plan += [(uid, rng.choice(options), True) for uid in again]
    rng.shuffle(plan)
    for job in plan:
        jobs.put(job)
    results: list[tuple[int, bool, int, float]] = []
    lock = threading.Lock()

    def work():
        while True:
            try:
                uid, choice, repeat = jobs.get_nowait()
            except queue.Empty:
                return
            status, seconds = put(url, tokens[uid], {"choice": choice})
            with lock:
                results.append((uid, repeat, status, seconds))

    started = time.perf_counter()
    pool = [threading.Thread(target=work) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    wall = time.perf_counter() - started
    latencies = sorted(r[3] for r in results)
    statuses: dict[int, int] = {}
    for r in results:
        statuses[r[2]] = statuses.get(r[2], 0) + 1
    acknowledged = {r[0] for r in results if r[2] == 200}
    ok_count = sum(1 for r in results if r[2] == 200)
    return {"requests": len(results), "wall_s": round(wall, 2),
            "requests_per_s": round(len(results) / wall, 1),
            "ballots_per_s": round(ok_count / wall, 1),
            "p50_ms": round(statistics.median(latencies) * 1000, 1),
            "p95_ms": round(latencies[int(len(latencies) * 0.95)] * 1000, 1),
            "statuses": {str(k): v for k, v in sorted(statuses.items())},
            "acknowledged": ok_count, "acknowledged_people": len(acknowledged)}


def serve(instance: Path, workers: int, port: int):
    env = dict(os.environ, PLACETTE_INSTANCE=str(instance))
    gunicorn = Path(sys.executable).with_name("gunicorn")
    process = subprocess.Popen([str(gunicorn), "--no-control-socket", "-w", str(workers),
                                "-b", f"127.0.0.1:{port}", "--log-level", "warning",
                                "placette.wsgi:app"], env=env)
    for _ in range(300):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/openapi.json", timeout=2).read()
            return process
        except OSError:
            time.sleep(0.2)
    process.terminate()
    raise SystemExit("gunicorn did not start")


def check(city, poll_id: int) -> dict:
    from placette.db import database
    from placette_plugins.voting import service
    from placette_plugins.voting.models import Ballot, Participation, Poll
    with city.app.app_context(), database.connection_context():
        poll = Poll.get_by_id(poll_id)
        results = service.compute_results(poll)
        return {"ballots_stored": Ballot.select().where(Ballot.poll == poll_id).count(),
                "has_voted_rows": Participation.select().where(
                    Participation.poll == poll_id).count(),
                "tally_ballots": results["ballots"],
                "tally_sum_of_counts": sum(o["count"] for o in results["options"])}


def majority_judgment_50k(city, ballots: int = 50_000, options: int = 5) -> dict:
    from benchmarks.generate import bulk_insert
    from placette.db import database
    from placette.models import Space, User
    from placette_plugins.voting import service, tally
    from placette_plugins.voting.models import Ballot, Poll
    rng = random.Random(50)
    with city.app.app_context(), database.connection_context():
        space = Space.get_by_id(city.councils[1].id)
        poll = service.create_poll(space, User.get_by_id(city.admin.id), {
            "title": "Jugement majoritaire", "kind": "majority_judgment",
            "options": [f"Projet {i}" for i in range(options)], "results": "live"})
        ids = [o.id for o in service.options_of(poll)]
        lean = {oid: rng.randint(1, 5) for oid in ids}
        contents = [{"grades": {str(oid): max(0, min(6, lean[oid] + rng.randint(-2, 2)))
                                for oid in ids}} for _ in range(ballots)]
        with database.atomic():
            bulk_insert(Ballot, [{"receipt": f"B{i:011d}", "poll": poll.id, "voter": None,
                                  "content": c} for i, c in enumerate(contents)])
        pure_in = [c["grades"] for c in contents]
        started = time.perf_counter()
        tally.majority_judgment(ids, pure_in)
        pure = time.perf_counter() - started
        poll = Poll.get_by_id(poll.id)
        started, cpu = time.perf_counter(), time.process_time()
        found = service.compute_results(poll)
        whole, whole_cpu = time.perf_counter() - started, time.process_time() - cpu
    return {"ballots": found["ballots"], "options": options,
            "pure_tally_s": round(pure, 3), "results_from_database_s": round(whole, 3),
            "results_from_database_cpu_s": round(whole_cpu, 3)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--voters", type=int, default=2000)
    parser.add_argument("--threads", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--json", default=None)
    args = parser.parse_args()
    city, slug, poll_id, options, tokens = prepare(args.voters, args.database_url)
    port = free_port()
    server = serve(city.instance_dir, args.workers, port)
    try:
        figures = load(f"http://127.0.0.1:{port}", slug, poll_id, options, tokens, args.threads)
    finally:
        server.terminate()
        server.wait(timeout=30)
    figures.update(check(city, poll_id))
    figures["lost"] = figures["acknowledged"] - figures["ballots_stored"]
    figures["doubled"] = figures["has_voted_rows"] - figures["acknowledged_people"]
    figures["mj_50k"] = majority_judgment_50k(city)
    figures["database"] = "postgresql" if args.database_url else "sqlite"
    figures.update(voters=args.voters, threads=args.threads, workers=args.workers)
    print(json.dumps(figures, indent=2))
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2))
    ok = (figures["lost"] == 0 and figures["doubled"] == 0
          and figures["tally_ballots"] == figures["acknowledged"]
          and figures["mj_50k"]["results_from_database_s"] < 1.0)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
