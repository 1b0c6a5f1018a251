"""Load test: many signed-in people on real servers -- gunicorn (N web workers) + ``placette
worker`` (M processes) -- on the embedded SQLite default or on PostgreSQL + Redis.

    python benchmarks/load.py [--requests 3000] [--people 240] [--concurrency 16]
                              [--web-workers 2] [--task-workers 1]
                              [--database-url postgresql://...EMPTY db --redis-url redis://...]
                              [--own-services] [--json FILE]

1. builds a city with ``benchmarks/generate.build_city`` and the benchmark page modules' volume
   (``benchmarks/run.py``'s seeding), then puts ``--people`` distinct people in the councils and
   opens in each council an upcoming meeting and a poll (:func:`prepare`);
2. signs every person in with a real server-side session (``placette_user_session`` row, the
   signed cookie a browser would hold), serves the instance with gunicorn and runs the task
   workers; ``--own-services`` starts a private PostgreSQL cluster and redis-server on spare
   ports instead of using given URLs (:mod:`benchmarks.services`);
3. sends a fixed, seeded plan of ``--requests`` requests: 9 in 10 reads over the mix in
   :data:`READS` (dashboard, space home, agenda, documents, search, notifications, discussions,
   voting, drafting, the public window), 1 in 10 a write from :data:`WRITES` (RSVP, comment,
   ballot, upload, a paragraph's rating) -- each person
   writes at most once per kind, so every acknowledged write can be checked afterwards;
4. interleaves requests to a bare gunicorn "hello" app (same worker count, same moment): the
   floor, what any request costs on this machine during this run;
5. checks every acknowledged write is stored (:func:`verify`) and reports per route and overall
   requests/s, p50/p95/p99 and errors (must be 0), as JSON like ``benchmarks/run.py``'s.

Why a small bounded client (threads + ``requests``) rather than locust: locust brings gevent and
a web UI for what is here a fixed list of requests; a thread pool over a seeded plan is a few
dozen lines, deterministic (two runs send the same requests), and its only dependency is
already installed.  The client shares the machine's cores with the servers: report the floor.

Adding a plugin to the mix is a few lines: a ``Route`` in ``READS`` (a path built from the
person and the council's targets) and, for a write, a ``Write`` with its request and its check;
targets a plugin needs (a meeting, a poll...) are opened in :func:`open_targets`.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PLUGINS = ["agenda", "discussions", "documents", "drafting", "pages", "showcase", "voting"]
WRITE_EVERY = 10  # 1 request in 10 is a write
HELLO_EVERY = 10  # 1 floor request per 10 measured requests


# -- the mix ------------------------------------------------------------------------------------

@dataclass
class Person:
    id: int
    council: dict  # the targets of the person's council (slug, meeting, poll, options...)
    cookie: str = ""
    csrf: str = ""


@dataclass
class Route:
    name: str
    weight: int
    path: Callable[[Person], str]


@dataclass
class Write:
    name: str
    weight: int
    # (person, marker) -> (method, path, requests kwargs)
    request: Callable[[Person, str], tuple[str, str, dict]]


READS = [
    Route("dashboard", 20, lambda p: "/"),
    Route("space_home", 15, lambda p: f"/s/{p.council['slug']}"),
    Route("agenda", 10, lambda p: f"/s/{p.council['slug']}/agenda/"),
    Route("meeting", 5, lambda p: f"/s/{p.council['slug']}/agenda/{p.council['meeting']}"),
    Route("documents", 10, lambda p: f"/s/{p.council['slug']}/documents/"),
    Route("search", 10, lambda p: "/search?q=budget"),
    Route("notifications", 10, lambda p: "/notifications"),
    Route("discussions", 10, lambda p: f"/s/{p.council['slug']}/discussions/"),
    Route("voting", 10, lambda p: f"/s/{p.council['slug']}/voting/"),
    Route("drafting", 5, lambda p: f"/s/{p.council['slug']}/drafting/{p.council['draft']}"),
    Route("showcase", 5, lambda p: "/vitrine/"),
]

WRITES = [
    Write("rsvp", 1, lambda p, m: (
        "PUT", f"/api/v1/spaces/{p.council['slug']}/agenda/meetings/{p.council['meeting']}/rsvp",
        {"json": {"answer": ("yes", "no", "maybe")[p.id % 3]}})),
    Write("comment", 1, lambda p, m: (
        "POST", f"/api/v1/spaces/{p.council['slug']}/discussions/comments"
                f"?resource=agenda.meeting:{p.council['meeting']}",
        {"json": {"body": f"Avis {m} : d'accord sur le principe."}})),
    Write("ballot", 1, lambda p, m: (
        "PUT", f"/api/v1/spaces/{p.council['slug']}/voting/polls/{p.council['poll']}/ballot",
        {"json": {"choice": p.council["options"][p.id % len(p.council["options"])]}})),
    Write("upload", 1, lambda p, m: (
        "POST", f"/api/v1/spaces/{p.council['slug']}/documents/files",
        {"files": {"file": (f"compte-rendu-{m}.txt", f"Compte rendu {m}\n".encode() * 20,
                            "text/plain")},
         "data": {"title": f"Compte rendu {m}"}, "headers": {"X-CSRFToken": p.csrf}})),
    Write("rating", 1, lambda p, m: (
        "PUT", f"/api/v1/spaces/{p.council['slug']}/drafting/drafts/{p.council['draft']}"
               f"/paragraphs/{p.council['paragraph']}/rating",
        {"json": {"agreement": 1 + p.id % 5}})),
]


def plan(people: list[Person], requests: int, seed: int = 24) -> list[tuple]:
    """The requests, in order: ``("read", route, person)`` or ``("write", write, person,
    marker)``; each person writes at most once per kind (a second ballot would rightly be a
    409), so writes go to people who have not done that kind yet."""
    rng = random.Random(seed)
    reads = [r for r in READS for _ in range(r.weight)]
    writes = [w for w in WRITES for _ in range(w.weight)]
    done: dict[str, set[int]] = {w.name: set() for w in WRITES}
    out = []
    for index in range(requests):
        person = people[rng.randrange(len(people))]
        if index % WRITE_EVERY == WRITE_EVERY - 1:
            write = writes[index // WRITE_EVERY % len(writes)]
            free = [p for p in people if p.id not in done[write.name]]
            if free:
                person = free[rng.randrange(len(free))]
                done[write.name].add(person.id)
                out.append(("write", write, person, f"{write.name}-{uuid.UUID(int=rng.getrandbits(128)).hex[:12]}"))
                continue
        out.append(("read", rng.choice(reads), person))
    return out


# -- the city -----------------------------------------------------------------------------------

def prepare(people_count: int, database_url: str | None, scale: str = "small", echo=print):
    """The city with its volume, ``people_count`` members spread over the councils, and in each
    council an upcoming meeting and an open poll.  Returns (city, people without cookies)."""
    from benchmarks.generate import build_city
    from benchmarks.run import discover, seed_all
    modules = discover(echo=lambda _m: None)
    plugins = sorted(set(PLUGINS) | {p for m in modules for p in getattr(m, "REQUIRES", [])})
    started = time.perf_counter()
    city = build_city(scale, plugins, database_url=database_url)
    seed_all(city, modules, echo=lambda _m: None)
    people = open_targets(city, people_count)
    echo(f"city: {len(city.user_ids):,} members, {len(city.spaces)} spaces, {len(people)} "
         f"people in the load ({time.perf_counter() - started:.0f} s)")
    return city, people


def open_targets(city, people_count: int) -> list[Person]:
    """Each person a council; in each council a meeting in ten days and an open poll (opened
    after the memberships, so every person is eligible)."""
    import datetime as dt

    from placette.db import database
    from placette.models import Membership, User
    from placette_plugins.agenda import service as agenda
    from placette_plugins.drafting import service as drafting
    from placette_plugins.voting import service as voting
    with city.app.app_context(), database.connection_context():
        admin = User.get_by_id(city.admin.id)
        councils = city.councils
        chosen = city.user_ids[2:2 + people_count]
        if len(chosen) < people_count:
            raise SystemExit(f"the city has only {len(chosen)} people for the load")
        home = {}
        for row in Membership.select().where(Membership.user.in_(chosen),
                                             Membership.space.in_([c.id for c in councils])):
            home.setdefault(row.user_id, row.space_id)
        targets = {}
        start = (city.now + dt.timedelta(days=10)).replace(minute=0, second=0)
        for council in councils:
            with database.atomic():
                meeting = agenda.create_meeting(council, admin, {
                    "title": "Assemblée plénière : budget participatif", "starts_at": start,
                    "ends_at": start + dt.timedelta(hours=2)})
                poll = voting.create_poll(council, admin, {
                    "title": "Budget participatif : quel projet ?", "kind": "single",
                    "options": ["Jardin partagé", "Pistes cyclables", "Bancs", "Boîte à livres"]})
                draft = drafting.create_draft(council, admin, "Avis sur le budget participatif",
                                              "\n\n".join(f"Paragraphe {n} : le conseil demande "
                                                           f"des bancs et des arbres." for n in
                                                           range(12)))
                drafting.change_state(draft, admin, "consultation", notify=False)
                first = drafting.paragraphs(drafting.version_of(draft))[0]
            targets[council.id] = {"slug": council.slug, "meeting": meeting.id, "poll": poll.id,
                                   "options": [o.id for o in voting.options_of(poll)],
                                   "draft": draft.id, "paragraph": first.id}
        return [Person(uid, targets[home[uid]]) for uid in chosen if uid in home]


def sign_in(city, people: list[Person]) -> None:
    """Give each person the session cookie a browser holds after signing in: a server-side
    session row and the signed cookie naming it (no password, no mail: the load measures pages)."""
    from placette.db import database
    from placette.models import User
    app = city.app
    name = app.config.get("SESSION_COOKIE_NAME", "session")
    serializer = app.session_interface.get_signing_serializer(app)
    with app.app_context(), database.connection_context():
        users = {u.id: u for u in User.select().where(User.id.in_([p.id for p in people]))}
        for person in people:
            # get_id() opens the server-side session row, as signing in does
            person.cookie = serializer.dumps({"_user_id": users[person.id].get_id(),
                                              "_fresh": True})
    app.extensions["placette_load_cookie_name"] = name


# -- the servers ----------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def hello_app(environ, start_response):
    """The floor: a bare WSGI app behind the same gunicorn."""
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "5")])
    return [b"hello"]


class Stack:
    """gunicorn (placette), gunicorn (hello), ``placette worker`` processes: started here, each
    stopped by its own id."""

    def __init__(self, instance: Path, env: dict, web_workers: int, task_workers: int,
                 logs: Path):
        self.instance, self.env, self.logs = instance, env, logs
        self.web_workers, self.task_workers = web_workers, task_workers
        self.port, self.hello_port = free_port(), free_port()
        self.web = self.hello = None
        self.workers: list[subprocess.Popen] = []
        logs.mkdir(parents=True, exist_ok=True)

    def _spawn(self, args, log_name) -> subprocess.Popen:
        handle = (self.logs / log_name).open("ab")
        return subprocess.Popen(args, env=self.env, stdout=handle, stderr=subprocess.STDOUT,
                                cwd=ROOT, start_new_session=True)

    def start(self) -> "Stack":
        gunicorn = [sys.executable, "-m", "gunicorn", "--no-control-socket", "-w",
                    str(self.web_workers), "--log-level", "warning", "--graceful-timeout", "5"]
        self.web = self._spawn(gunicorn + ["-b", f"127.0.0.1:{self.port}", "placette.wsgi:app"],
                               "gunicorn.log")
        self.hello = self._spawn(gunicorn + ["-b", f"127.0.0.1:{self.hello_port}",
                                             "benchmarks.load:hello_app"], "hello.log")
        for index in range(self.task_workers):
            self.start_worker(index)
        wait_http(f"{self.url}/healthz", self.logs / "gunicorn.log")
        wait_http(f"http://127.0.0.1:{self.hello_port}/", self.logs / "hello.log")
        return self

    def start_worker(self, index: int | None = None) -> subprocess.Popen:
        index = len(self.workers) if index is None else index
        process = self._spawn([sys.executable, "-m", "placette.cli", "worker", "--workers", "2"],
                              f"worker-{index}.log")
        if index < len(self.workers):
            self.workers[index] = process
        else:
            self.workers.append(process)
        return process

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def web_worker_pids(self) -> list[int]:
        """gunicorn's worker processes (children of the arbiter started here)."""
        found = subprocess.run(["pgrep", "-P", str(self.web.pid)], capture_output=True,
                               text=True).stdout.split()
        return [int(pid) for pid in found]

    def stop(self) -> None:
        for process in [self.web, self.hello, *self.workers]:
            if process is not None and process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in [self.web, self.hello, *self.workers]:
            if process is None:
                continue
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(5)


def wait_http(url: str, log: Path, timeout: float = 90) -> None:
    import requests
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if requests.get(url, timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.3)
    raise SystemExit(f"{url} did not answer in {timeout:.0f} s\n"
                     f"{log.read_text(errors='replace')[-3000:] if log.exists() else ''}")


def server_env(city, database_url: str | None, redis_url: str | None) -> dict:
    """The environment of the web and worker processes: the instance, its database, its queue
    (Redis when given, else the embedded SQLite queue file), rate limits out of the way."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PLACETTE_")}
    env.update(PLACETTE_INSTANCE=str(city.instance_dir),
               PYTHONPATH=os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]).rstrip(
                   os.pathsep))
    if database_url:
        env["PLACETTE_DATABASE_URL"] = database_url
    if redis_url:
        env["PLACETTE_REDIS_URL"] = redis_url
        env["PLACETTE_QUEUE_URL"] = redis_url
    else:
        env["PLACETTE_QUEUE_URL"] = "sqlite:///queue.sqlite3"
    env["PLACETTE_QUEUE_NAME"] = f"load-{uuid.uuid4().hex[:8]}"
    return env


# -- the client -----------------------------------------------------------------------------------

CSRF = re.compile(r'name="[\w-]*csrf_token"[^>]*value="([^"]+)"')


@dataclass
class Outcome:
    kind: str  # read, write, hello
    name: str
    status: int  # 0: no answer
    seconds: float
    person: int = 0
    marker: str = ""
    retry_after: str | None = None
    at: float = 0.0


@dataclass
class Client:
    """Threads sending a plan; one ``requests`` session per thread, each person's cookie sent
    explicitly (a thread serves many people)."""

    base: str
    hello: str
    cookie_name: str
    concurrency: int = 16
    timeout: float = 30
    outcomes: list[Outcome] = field(default_factory=list)

    def __post_init__(self):
        self._local = threading.local()
        self._lock = threading.Lock()

    def _session(self):
        import requests
        if not hasattr(self._local, "session"):
            self._local.session = requests.Session()
        return self._local.session

    def send(self, method: str, path: str, person: Person | None, **kwargs):
        session = self._session()
        session.cookies.clear()
        cookies = {self.cookie_name: person.cookie} if person else None
        headers = {"Accept-Language": "fr", **kwargs.pop("headers", {})}
        return session.request(method, path if path.startswith("http") else self.base + path,
                               cookies=cookies, headers=headers, timeout=self.timeout,
                               allow_redirects=False, **kwargs)

    def warm_up(self, people: list[Person]) -> None:
        """Each person opens the documents page once: it must answer, and it hands the CSRF
        token the upload form (and the API's multipart calls) needs, with the session cookie
        that carries its secret."""
        def one(person):
            response = self.send("GET", f"/s/{person.council['slug']}/documents/", person)
            if response.status_code != 200:
                raise SystemExit(f"person {person.id}: documents page answered "
                                 f"{response.status_code}")
            found = CSRF.search(response.text)
            if not found:
                raise SystemExit("no CSRF token on the documents page")
            person.csrf = found.group(1)
            person.cookie = response.cookies.get(self.cookie_name, person.cookie)
        with ThreadPoolExecutor(self.concurrency) as pool:
            list(pool.map(one, people))

    def run(self, steps: list[tuple], on_step: Callable[[int], None] | None = None) -> float:
        """Send ``steps`` (and the interleaved floor requests); returns the wall time."""
        items = []
        for index, step in enumerate(steps):
            items.append(step)
            if index % HELLO_EVERY == 0:
                items.append(("hello",))
        started = time.perf_counter()

        def one(numbered):
            index, step = numbered
            if on_step is not None:
                on_step(index)
            outcome = self._one(step)
            outcome.at = time.perf_counter() - started
            with self._lock:
                self.outcomes.append(outcome)

        with ThreadPoolExecutor(self.concurrency) as pool:
            list(pool.map(one, enumerate(items)))
        return time.perf_counter() - started

    def _one(self, step) -> Outcome:
        import requests
        if step[0] == "hello":
            kind, name, person, marker = "hello", "hello", None, ""
            method, path, kwargs = "GET", self.hello + "/", {}
        elif step[0] == "read":
            _kind, route, person = step
            kind, name, marker = "read", route.name, ""
            method, path, kwargs = "GET", route.path(person), {}
        else:
            _kind, write, person, marker = step
            kind, name = "write", write.name
            method, path, kwargs = write.request(person, marker)
        started = time.perf_counter()
        try:
            response = self.send(method, path, person, **kwargs)
            status, retry = response.status_code, response.headers.get("Retry-After")
        except requests.RequestException:
            status, retry = 0, None
        elapsed = time.perf_counter() - started
        if status == 503 and retry and retry.isdigit():
            time.sleep(min(int(retry), 5))  # as a person would: wait, then go on
        return Outcome(kind, name, status, elapsed,
                       person.id if person else 0, marker, retry)


# -- the figures ----------------------------------------------------------------------------------

def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, int(round(fraction * len(ordered) + 0.5)) - 1))
    return ordered[index]


def ok(outcome: Outcome) -> bool:
    return 200 <= outcome.status < 400


def summarize(outcomes: list[Outcome], wall: float) -> dict:
    def row(items: list[Outcome]) -> dict:
        ms = [o.seconds * 1000 for o in items]
        statuses: dict[str, int] = {}
        for o in items:
            statuses[str(o.status)] = statuses.get(str(o.status), 0) + 1
        return {"requests": len(items), "requests_per_s": round(len(items) / wall, 1),
                "p50_ms": round(statistics.median(ms), 1),
                "p95_ms": round(percentile(ms, 0.95), 1),
                "p99_ms": round(percentile(ms, 0.99), 1),
                "errors": sum(1 for o in items if not ok(o)), "statuses": statuses}
    measured = [o for o in outcomes if o.kind != "hello"]
    routes = {}
    for name in sorted({o.name for o in measured}):
        routes[name] = row([o for o in measured if o.name == name])
    floor = row([o for o in outcomes if o.kind == "hello"])
    return {"overall": row(measured), "routes": routes, "floor": floor,
            "wall_s": round(wall, 2)}


def verify(city, outcomes: list[Outcome], people: list[Person]) -> dict:
    """Every acknowledged write is in the database, and nothing is there twice."""
    from placette.db import database
    from placette_plugins.agenda.models import ReminderSent, Rsvp
    from placette_plugins.discussions.models import Comment
    from placette_plugins.documents.models import Document
    from placette_plugins.drafting.models import Rating
    from placette_plugins.voting.models import Ballot, Participation
    acked = [o for o in outcomes if o.kind == "write" and ok(o)]
    found: dict[str, dict] = {}
    with city.app.app_context(), database.connection_context():
        def count(kind, stored):
            mine = [o for o in acked if o.name == kind]
            found[kind] = {"acknowledged": len(mine), "stored": stored(mine)}
        count("comment", lambda mine: sum(
            Comment.select().where(Comment.body.contains(o.marker)).count() for o in mine))
        count("upload", lambda mine: sum(
            Document.select().where(Document.title == f"Compte rendu {o.marker}").count()
            for o in mine))
        council = {p.id: p.council for p in people}
        count("ballot", lambda mine: sum(Participation.select().where(
            (Participation.voter == o.person)
            & (Participation.poll == council[o.person]["poll"])).count() for o in mine))
        count("rsvp", lambda mine: sum(Rsvp.select().where(
            (Rsvp.user == o.person) & (Rsvp.meeting == council[o.person]["meeting"])
            & (Rsvp.answer == ("yes", "no", "maybe")[o.person % 3])).count() for o in mine))
        count("rating", lambda mine: sum(Rating.select().where(
            (Rating.user == o.person) & (Rating.draft == council[o.person]["draft"])
            & (Rating.paragraph == council[o.person]["paragraph"])
            & (Rating.agreement == 1 + o.person % 5)).count() for o in mine))
        ballots, voted = Ballot.select().count(), Participation.select().count()
        reminders = ReminderSent.select().count()
        distinct_reminders = len({(r.meeting_id, r.occurrence, r.user_id)
                                  for r in ReminderSent.select()})
    lost = sum(max(0, v["acknowledged"] - v["stored"]) for v in found.values())
    doubled = sum(max(0, v["stored"] - v["acknowledged"]) for k, v in found.items()
                  if k in ("comment", "upload"))
    return {"writes": found, "lost": lost, "doubled": doubled,
            "ballots_equal_has_voted": ballots == voted,
            "reminders_twice": reminders - distinct_reminders}


# -- main -----------------------------------------------------------------------------------------

def arguments(argv=None, description: str = __doc__.split("\n\n")[0]):
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--people", type=int, default=240)
    parser.add_argument("--concurrency", type=int, default=16, help="client threads")
    parser.add_argument("--web-workers", type=int, default=2)
    parser.add_argument("--task-workers", type=int, default=1,
                        help="placette worker processes (2 threads each)")
    parser.add_argument("--scale", default="small")
    parser.add_argument("--database-url", default=None,
                        help="PostgreSQL URL of an EMPTY database (its rows are deleted)")
    parser.add_argument("--redis-url", default=None, help="Redis for the queue and counters")
    parser.add_argument("--own-services", action="store_true",
                        help="start a private PostgreSQL cluster and redis-server on spare "
                             "ports (never the machine's shared ones)")
    parser.add_argument("--json", dest="json_file", type=Path, default=None)
    parser.add_argument("--keep", action="store_true", help="keep the instance folder")
    return parser.parse_args(argv)


def setup(args, echo=print):
    """Services, city, cookies, servers: everything up to the first measured request."""
    import atexit
    import shutil
    import logging
    logging.basicConfig(level=logging.WARNING)
    services = None
    if args.own_services:
        from benchmarks.services import OwnServices
        services = OwnServices().start()
        atexit.register(services.stop)
        args.database_url, args.redis_url = services.database_url, services.redis_url
        echo(f"own services: {args.database_url}, {args.redis_url}")
    city, people = prepare(args.people, args.database_url, args.scale, echo)
    if not args.keep:
        atexit.register(shutil.rmtree, city.instance_dir, True)
    sign_in(city, people)
    from placette.db import database
    database.close_all() if hasattr(database.obj, "close_all") else None
    stack = Stack(city.instance_dir, server_env(city, args.database_url, args.redis_url),
                  args.web_workers, args.task_workers, city.instance_dir / "logs").start()
    atexit.register(stack.stop)
    client = Client(stack.url, f"http://127.0.0.1:{stack.hello_port}",
                    city.app.extensions["placette_load_cookie_name"], args.concurrency)
    client.warm_up(people)
    return services, city, people, stack, client


def report_of(args, city, outcomes, wall, checks) -> dict:
    figures = summarize(outcomes, wall)
    return {"database": "postgresql" if (args.database_url or "").startswith("postgres")
            else "sqlite", "queue": "redis" if args.redis_url else "sqlite",
            "web_workers": args.web_workers, "task_workers": args.task_workers,
            "concurrency": args.concurrency, "people": args.people,
            "members": len(city.user_ids), "spaces": len(city.spaces),
            "cores": os.cpu_count(), **figures, "checks": checks}


def print_table(report: dict) -> None:
    print(f"\n{report['database']} + {report['queue']} queue, {report['web_workers']} web "
          f"workers, {report['task_workers']} task workers, {report['concurrency']} client "
          f"threads, {report['people']} people")
    print(f"{'route':16} {'req':>6} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
          f"{'errors':>6}")
    rows = {**report["routes"], "ALL": report["overall"], "floor (hello)": report["floor"]}
    for name, row in rows.items():
        print(f"{name:16} {row['requests']:6d} {row['requests_per_s']:7.1f} {row['p50_ms']:8.1f}"
              f" {row['p95_ms']:8.1f} {row['p99_ms']:8.1f} {row['errors']:6d}")
    print(f"checks: {json.dumps(report['checks'])}")


def main(argv=None) -> int:
    args = arguments(argv)
    services, city, people, stack, client = setup(args)
    steps = plan(people, args.requests)
    wall = client.run(steps)
    time.sleep(2)  # the last notifications reach the workers
    report = report_of(args, city, client.outcomes, wall, verify(city, client.outcomes, people))
    print_table(report)
    if args.json_file:
        args.json_file.parent.mkdir(parents=True, exist_ok=True)
        args.json_file.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {args.json_file}")
    good = report["overall"]["errors"] == 0 and report["checks"]["lost"] == 0 \
        and report["checks"]["doubled"] == 0
    return 0 if good else 1


if __name__ == "__main__":
    sys.exit(main())
