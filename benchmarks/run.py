"""Time the pages people open most, on a generated city, in-process.

    python benchmarks/run.py --scale small|medium [--json FILE] [--repeat N] [--no-page-cache]

1. builds a seeded city (``generate.build_city``) with every plugin that an available page module
   needs, then lets each page module add its volume (``seed(city)``, one transaction each);
2. requests every page of every module through the Flask test client -- warm-up first, then
   ``--repeat`` rounds in a shuffled order -- and records the server time, the SQL query count
   (``placette.db.query_counter``) and the response size;
3. requests a bare Flask endpoint the same way, in the same rounds: its p50 is ``floor_ms``, what
   any Python web request costs on this machine at this moment;
4. the headline, ``pages``: every page rendered for the person every time (page cache off:
   what building the page costs, and its SQL queries) -- which is how signed-in people are
   always served;
5. then the anonymous pages (``None`` as the person) once more as an anonymous visitor gets
   them by default, the page cache on: asked again with no change in between, from the cache,
   in ``pages_anonymous_cached`` (``cache_hits`` says how many of the rounds were; its one
   query reads the change counter).  ``--no-page-cache`` skips this step;
6. prints the tables and writes ``{"scale", "floor_ms", "pages": {NAME: {"p50_ms", "p95_ms",
   "queries", ...}}, "pages_anonymous_cached": {NAME: {...}}}``.

It needs placette installed (``pip install -e .``), not its test tools: no pytest.

Page modules live in ``benchmarks/pages/`` (interface: REQUIRES, ``seed(city)``, ``pages(city)``,
and optionally ``measure_<what>(city) -> dict`` for figures that are not page timings, merged into
the report's ``extra``); a module whose ``REQUIRES`` names a plugin that is not installed is
skipped with a note.  ``--profile PAGE`` prints a cProfile of one page instead (where its time
goes), ``--pages a,b`` restricts the modules loaded, ``--keep`` keeps the generated instance.

Besides wall-clock times the report gives each page's CPU time (``cpu_p50_ms``, ``cpu_p95_ms``)
and the floor's (``floor_cpu_ms``): on a shared machine the wall clock also counts the time the
process waited for a core, the CPU time does not.  And, for the pages rendered every time, the
Python function calls of one request (``python_calls``, cProfile's count): a figure the
machine's speed does not move, to compare two versions of the code on a noisy host.
"""
from __future__ import annotations

import argparse
import gc
import importlib
import json
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.generate import SCALES, build_city  # noqa: E402

TARGET_RATIO = 10.0  # the long-term goal: every page's p95 within 10x the floor's p50
BAR_RATIO = 30.0  # the bar every page meets today (issue 17): printed under each table


def discover(only: list[str] | None = None, echo=print) -> list:
    """Import the page modules whose plugins are installed; note the others."""
    from placette.plugin_manager import installed_plugins
    installed = set(installed_plugins())
    modules = []
    folder = ROOT / "benchmarks" / "pages"
    names = sorted(p.stem for p in folder.glob("*.py") if not p.stem.startswith("_"))
    names.sort(key=lambda n: (n != "kernel", n))  # kernel first
    for name in names:
        if only and name not in only:
            continue
        module = importlib.import_module(f"benchmarks.pages.{name}")
        missing = [p for p in getattr(module, "REQUIRES", []) if p not in installed]
        if missing:
            echo(f"note: skipping pages/{name}.py: plugin(s) {', '.join(missing)} not installed")
            continue
        modules.append(module)
    return modules


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile (p95 of 40 samples is the 38th smallest)."""
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, int(round(fraction * len(ordered) + 0.5)) - 1))
    return ordered[index]


def bare_app():
    """The floor: a Flask app with one endpoint and nothing else."""
    from flask import Flask
    app = Flask("bare")

    @app.route("/")
    def hello():
        return "hello"

    return app


class Client:
    """A test client signed in as one person (or anonymous), session forged -- no mail."""

    def __init__(self, app, user=None):
        self.client = app.test_client()
        if user is not None:
            with self.client.session_transaction() as session:
                session["_user_id"] = user.get_id()
                session["_fresh"] = True

    def get(self, path):
        return self.client.get(path, headers={"Accept-Language": "fr"})


def collect_pages(city, modules) -> dict[str, tuple]:
    from placette.db import database
    found: dict[str, tuple] = {}
    with city.app.app_context(), database.connection_context():
        for module in modules:
            for name, (user, path) in module.pages(city).items():
                if name in found:
                    raise SystemExit(f"page {name!r} is declared by two page modules")
                found[name] = (user, path)
    return found


def seed_all(city, modules, echo=print) -> dict[str, float]:
    from placette.db import database
    timings = {}
    with city.app.app_context(), database.connection_context():
        for module in modules:
            started = time.perf_counter()
            with database.atomic():
                module.seed(city)
            timings[module.__name__.rsplit(".", 1)[-1]] = time.perf_counter() - started
            if timings[module.__name__.rsplit(".", 1)[-1]] > 0.05:
                echo(f"  seeded {module.__name__.rsplit('.', 1)[-1]} in "
                     f"{timings[module.__name__.rsplit('.', 1)[-1]]:.1f} s")
        # Page modules insert explicit ids: on PostgreSQL, move every id sequence past them so
        # the site's own inserts (a comment posted under load) get fresh ids.
        from benchmarks.generate import reset_all_sequences
        reset_all_sequences()
        # A city's database has the planner statistics its nightly task refreshes
        # (placette.db.statistics); a freshly bulk-loaded one would not.
        from placette.db import refresh_statistics
        started = time.perf_counter()
        refresh_statistics()
        timings["statistics"] = time.perf_counter() - started
    return timings


def measure(city, pages: dict[str, tuple], repeat: int, warmup: int = 3,
            page_cache: bool = False) -> dict:
    """Time every page; ``page_cache`` off: rendered each time, on: as served by default (an
    anonymous page asked again, with no change in between, comes from the page cache; the
    rows then say how many rounds did in ``cache_hits``)."""
    from placette.db import query_counter
    app = city.app
    cache = app.extensions.get("placette_page_cache")
    if cache is not None:
        cache.active = page_cache
    elif page_cache:
        raise SystemExit("the page cache is switched off in this instance ([page_cache])")
    hits = {name: 0 for name in pages}
    clients: dict = {}

    def client_for(user):
        key = getattr(user, "id", None)
        if key not in clients:
            clients[key] = Client(app, user)
        return clients[key]

    floor = bare_app().test_client()
    samples = {name: [] for name in pages}
    cpu_samples = {name: [] for name in pages}
    floor_samples: list[float] = []
    floor_cpu: list[float] = []
    info: dict[str, dict] = {}
    for name, (user, path) in pages.items():
        for _ in range(warmup):
            response = client_for(user).get(path)
        if response.status_code != 200:
            raise SystemExit(f"page {name} ({path}) answered {response.status_code}, not 200")
        info[name] = {"path": path, "bytes": len(response.data), "status": response.status_code}
    for _ in range(warmup):
        floor.get("/")

    order = list(pages)
    shuffler = random.Random(7)
    for _round in range(repeat):
        shuffler.shuffle(order)
        cpu_started = time.thread_time()
        started = time.perf_counter()
        floor.get("/")
        floor_samples.append((time.perf_counter() - started) * 1000)
        floor_cpu.append((time.thread_time() - cpu_started) * 1000)
        for name in order:
            user, path = pages[name]
            client = client_for(user)
            query_counter.reset()
            hits_before = cache.hits if cache is not None else 0
            cpu_started = time.thread_time()
            started = time.perf_counter()
            response = client.get(path)
            elapsed = (time.perf_counter() - started) * 1000
            cpu_samples[name].append((time.thread_time() - cpu_started) * 1000)
            queries = query_counter.count
            if cache is not None and cache.hits > hits_before:
                hits[name] += 1
            if response.status_code != 200:
                raise SystemExit(f"page {name} ({path}) answered {response.status_code}")
            samples[name].append(elapsed)
            info[name].setdefault("query_counts", set()).add(queries)
            info[name]["bytes"] = len(response.data)

    floor_ms = statistics.median(floor_samples)
    calls = {} if page_cache else python_calls(pages, client_for)
    results = {}
    for name in pages:
        counts = sorted(info[name].pop("query_counts"))
        p95 = percentile(samples[name], 0.95)
        results[name] = {
            "p50_ms": round(statistics.median(samples[name]), 3),
            "p95_ms": round(p95, 3),
            "queries": counts[-1],
            "cpu_p50_ms": round(statistics.median(cpu_samples[name]), 3),
            "cpu_p95_ms": round(percentile(cpu_samples[name], 0.95), 3),
            "bytes": info[name]["bytes"],
            "path": info[name]["path"],
            "ratio_p95_to_floor": round(p95 / floor_ms, 1) if floor_ms else None,
            # the same ratio in CPU time: what the page costs, not how long it waited for a core
            "ratio_cpu_p95_to_floor_cpu": round(percentile(cpu_samples[name], 0.95)
                                                / statistics.median(floor_cpu), 1)
            if floor_cpu and statistics.median(floor_cpu) else None,
        }
        if page_cache:
            results[name]["cache_hits"] = hits[name]
        else:
            results[name]["python_calls"] = calls[name]
        if len(counts) > 1:  # the count must not vary between requests of the same page
            results[name]["queries_seen"] = counts
    return {"floor_ms": round(floor_ms, 3), "floor_p95_ms":
            round(percentile(floor_samples, 0.95), 3),
            "floor_cpu_ms": round(statistics.median(floor_cpu), 3), "pages": results}


def python_calls(pages: dict[str, tuple], client_for) -> dict[str, int]:
    """Python function calls of one more request of each page (cProfile's count).

    A figure the machine's speed does not move: on a host whose clock jitters, two versions
    of the code compare by it where their timings cannot (a change that removes calls from
    every row of a list shows here whatever the host did during the run)."""
    import cProfile
    import pstats
    found = {}
    for name, (user, path) in pages.items():
        client = client_for(user)
        profiler = cProfile.Profile()
        profiler.enable()
        try:
            client.get(path)
        finally:
            profiler.disable()
        found[name] = pstats.Stats(profiler).total_calls
    return found


def explain_pages(city, pages: dict[str, tuple]) -> dict:
    """Each page once more, its statements recorded, then their plans (PostgreSQL only)."""
    from benchmarks.explain import Recorder, explain_page, table_rows
    from placette.db import database, is_postgres
    with city.app.app_context():
        if not is_postgres():
            print("note: --explain needs PostgreSQL (--database-url)")
            return {}
        db = database.obj
    cache = city.app.extensions.get("placette_page_cache")
    if cache is not None:
        cache.active = False
    recorder = Recorder(db)
    with city.app.app_context(), database.connection_context():
        rows = table_rows(db)
    found = {}
    for name, (user, path) in pages.items():
        client = Client(city.app, user)
        recorder.statements, recorder.active = [], True
        try:
            client.get(path)
        finally:
            recorder.active = False
        with city.app.app_context(), database.connection_context():
            found[name] = explain_page(db, recorder.statements, rows)
    return found


def extra_measurements(city, modules, echo=print) -> dict:
    """Run each page module's ``measure_<what>(city) -> dict`` (optional), after the pages.

    For figures that are not page timings -- a disk's throughput to compare a download with,
    the time to process a batch of uploads.  A failing one is reported, not fatal.
    """
    from placette.db import database
    found: dict = {}
    with city.app.app_context(), database.connection_context():
        for module in modules:
            for name in sorted(dir(module)):
                function = getattr(module, name)
                if not name.startswith("measure_") or not callable(function):
                    continue
                try:
                    found.update(function(city) or {})
                except Exception as exc:  # noqa: BLE001 -- one broken extra must not lose the run
                    found[f"{module.__name__.rsplit('.', 1)[-1]}.{name}"] = f"failed: {exc!r}"
                    echo(f"note: {module.__name__}.{name} failed: {exc!r}")
    return found


def profile(city, pages, name: str, repeat: int, echo=print) -> None:
    import cProfile
    import io
    import pstats
    user, path = pages[name]
    cache = city.app.extensions.get("placette_page_cache")
    if cache is not None:
        cache.active = False  # where rendering the page goes
    client = Client(city.app, user)
    for _ in range(3):
        client.get(path)
    # As in the measurement (see main): without it, the collections of the generator's garbage
    # land in whatever the request runs then (a Jinja filter showed 2 ms a page that it never
    # costs when timed).
    gc.collect()
    gc.freeze()
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(repeat):
        client.get(path)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).sort_stats("cumulative")
    stats.print_stats(45)
    echo(out.getvalue())
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(25)
    echo(out.getvalue())


# Above this spread of the pages' timings (the median page's p95 over its p50), a run says the
# host was noisy: its p95 ratios then measure the machine's other tenants more than the pages.
# Quiet runs on this project's 2-core machines stay at 1.25-1.3; the floor's own spread is
# printed too but not judged: forty samples of half a millisecond jump with one preemption.
NOISY_SPREAD = 1.35


def host_noise(floor_ms: float, floor_p95_ms: float, pages: dict) -> dict:
    """How much the host moved the timings of this run: the floor's p95 over its p50, and the
    median of the pages' p95 over their p50.  A quiet host keeps the pages' near 1.25 (the
    floor's jumps more: see :data:`NOISY_SPREAD`); when another tenant takes the cores in
    bursts, every p95 grows with it while the p50s hardly move -- the figure a reader needs
    before comparing two runs' p95s."""
    spreads = [row["p95_ms"] / row["p50_ms"] for row in pages.values() if row["p50_ms"]]
    return {"floor_p95_over_p50": round(floor_p95_ms / floor_ms, 2) if floor_ms else None,
            "pages_median_p95_over_p50": round(statistics.median(spreads), 2)
            if spreads else None}


def print_table(title: str, floor_ms: float, floor_cpu_ms: float, pages: dict,
                floor_p95_ms: float | None = None) -> None:
    print(f"\n{title}\nfloor (bare Flask endpoint): p50 {floor_ms:.3f} ms "
          f"(cpu {floor_cpu_ms:.3f} ms)")
    if floor_p95_ms is not None:
        noise = host_noise(floor_ms, floor_p95_ms, pages)
        spread = noise["pages_median_p95_over_p50"] or 0
        print(f"host: the floor's p95 is {noise['floor_p95_over_p50']}x its p50, the pages' "
              f"(median) {noise['pages_median_p95_over_p50']}x"
              + (f" -- a noisy run (above {NOISY_SPREAD}x): its p95 ratios measure the host "
                 "more than the pages; compare p50s, or run again" if spread > NOISY_SPREAD
                 else ""))
    print(f"{'page':22} {'p50 ms':>8} {'p95 ms':>8} {'x floor':>8} {'queries':>8} {'bytes':>8}"
          f" {'cpu p50':>8} {'hits':>5} {'calls':>7}")
    for name, row in pages.items():
        flag = "" if row["ratio_p95_to_floor"] and row["ratio_p95_to_floor"] <= TARGET_RATIO \
            else "  over target"
        hits = f"{row['cache_hits']:5d}" if "cache_hits" in row else f"{'-':>5}"
        calls = f"{row['python_calls']:7d}" if "python_calls" in row else f"{'-':>7}"
        print(f"{name:22} {row['p50_ms']:8.2f} {row['p95_ms']:8.2f} "
              f"{row['ratio_p95_to_floor']:8.1f} {row['queries']:8d} {row['bytes']:8d} "
              f"{row['cpu_p50_ms']:8.2f} {hits} {calls}{flag}")
    worst = max(pages, key=lambda n: pages[n]["ratio_p95_to_floor"] or 0, default=None)
    if worst is not None:
        over = [n for n, row in pages.items() if (row["ratio_p95_to_floor"] or 0) > BAR_RATIO]
        print(f"slowest: {worst} at {pages[worst]['ratio_p95_to_floor']:.1f}x the floor; above "
              f"{BAR_RATIO:g}x: {', '.join(over) if over else 'none'}")


def main(argv: list[str] | None = None) -> dict | None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", choices=sorted(SCALES), default="small")
    parser.add_argument("--json", dest="json_file", type=Path, default=None,
                        help="write the results to this file")
    parser.add_argument("--repeat", type=int, default=None,
                        help="measured requests per page (default: 60 small, 40 medium)")
    parser.add_argument("--pages", default=None,
                        help="comma-separated page modules to load (default: all available)")
    parser.add_argument("--database-url", default=None,
                        help="PostgreSQL URL of an EMPTY database to use instead of SQLite "
                             "(its rows are deleted)")
    parser.add_argument("--profile", default=None, metavar="PAGE",
                        help="print a cProfile of PAGE instead of timing every page")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--no-page-cache", action="store_true",
                        help="measure pages rendered every time only (no "
                             "'pages_anonymous_cached')")
    parser.add_argument("--explain", action="store_true",
                        help="PostgreSQL: EXPLAIN every query of every page and list sequential "
                             "scans of big tables (benchmarks/explain.py)")
    parser.add_argument("--keep", action="store_true",
                        help="keep the generated instance folder (printed) instead of deleting it")
    args = parser.parse_args(argv)
    repeat = args.repeat or (60 if args.scale == "small" else 40)

    import logging
    logging.basicConfig(level=logging.WARNING)
    only = [p.strip() for p in args.pages.split(",")] if args.pages else None
    modules = discover(only)
    plugins = sorted({p for m in modules for p in getattr(m, "REQUIRES", [])})
    print(f"Generating a {args.scale} city (plugins: {', '.join(plugins) or 'none'})...")
    started = time.perf_counter()
    city = build_city(args.scale, plugins, seed=args.seed, database_url=args.database_url)
    if not args.keep:
        import atexit
        import shutil
        atexit.register(shutil.rmtree, city.instance_dir, True)
    seed_timings = seed_all(city, modules)
    generate_s = time.perf_counter() - started
    print(f"  {len(city.user_ids):,} people, {len(city.spaces):,} spaces in {generate_s:.1f} s "
          f"({city.instance_dir})")
    pages = collect_pages(city, modules)
    if args.profile:
        if args.profile not in pages:
            raise SystemExit(f"unknown page {args.profile!r}; pages: {', '.join(pages)}")
        profile(city, pages, args.profile, repeat)
        return None

    # The generator's garbage must not be collected during the measurement, and the long-lived
    # set-up objects need not be scanned by every collection (each web worker freezes its own
    # once its app is built: placette.wsgi).
    gc.collect()
    gc.freeze()
    # The headline: every page rendered for the person every time, as signed-in people are
    # always served.  Then the anonymous pages as an anonymous visitor gets them by default: asked
    # again with no change in between, from the page cache.
    rendered = measure(city, pages, repeat, page_cache=False)
    anonymous = {name: page for name, page in pages.items() if page[0] is None}
    cached = None
    if anonymous and not args.no_page_cache:
        if city.app.extensions.get("placette_page_cache") is None:
            print("note: the page cache is switched off in this instance ([page_cache])")
        else:
            cached = measure(city, anonymous, repeat, page_cache=True)
    explained = explain_pages(city, pages) if args.explain else None
    extra = extra_measurements(city, modules)
    report = {"scale": args.scale, "floor_ms": rendered["floor_ms"], "pages": rendered["pages"],
              "pages_anonymous_cached": cached["pages"] if cached else {},
              "floor_p95_ms": rendered["floor_p95_ms"], "floor_cpu_ms": rendered["floor_cpu_ms"],
              "host_noise": host_noise(rendered["floor_ms"], rendered["floor_p95_ms"],
                                       rendered["pages"]),
              "repeat": repeat,
              "database": "postgresql" if (args.database_url or "").startswith("postgres")
              else "sqlite",
              "generate_s": round(generate_s, 2),
              "seed_s": {k: round(v, 2) for k, v in {**city.timings, **seed_timings}.items()},
              "members": len(city.user_ids), "spaces": len(city.spaces),
              "target": f"p95 <= {TARGET_RATIO:g} x floor p50"}
    if extra:
        report["extra"] = extra
    if explained is not None:
        report["explain"] = explained
        for name, found in explained.items():
            for scan in found["big_seq_scans"]:
                print(f"EXPLAIN {name}: sequential scan of {scan['table']} "
                      f"({scan['rows']:,} rows): {scan['sql'][:160]}")
        print(f"EXPLAIN: {sum(f['statements_explained'] for f in explained.values())} "
              f"statements on {len(explained)} pages, "
              f"{sum(len(f['big_seq_scans']) for f in explained.values())} sequential scans "
              f"of tables over {__import__('benchmarks.explain').explain.BIG_TABLE_ROWS:,} rows")
    print_table("rendered for the person every time", rendered["floor_ms"],
                rendered["floor_cpu_ms"], rendered["pages"], rendered["floor_p95_ms"])
    if cached:
        print_table("anonymous, as served by default (page cache: asked again, no change in "
                    "between)", cached["floor_ms"], cached["floor_cpu_ms"], cached["pages"])
    for key, value in report.get("extra", {}).items():
        print(f"{key}: {value}")
    if args.json_file:
        args.json_file.parent.mkdir(parents=True, exist_ok=True)
        args.json_file.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
        print(f"\nwrote {args.json_file}")
    return report


if __name__ == "__main__":
    main()
