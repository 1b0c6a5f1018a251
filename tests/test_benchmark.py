"""The benchmark harness works, and the kernel pages' query counts do not grow with the city."""
from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import run  # noqa: E402
from benchmarks.generate import Scale, build_city  # noqa: E402
from benchmarks.pages import kernel  # noqa: E402


def measure_kernel_pages(scale: Scale, tmp_path: Path) -> dict:
    city = build_city(scale, kernel.REQUIRES, directory=tmp_path / scale.name)
    run.seed_all(city, [kernel])
    pages = run.collect_pages(city, [kernel])
    return run.measure(city, pages, repeat=2, warmup=1, page_cache=False)["pages"]


def test_kernel_pages_cost_the_same_number_of_queries_in_a_bigger_city(tmp_path):
    small = measure_kernel_pages(Scale("tiny", members=120, spaces=12), tmp_path)
    bigger = measure_kernel_pages(Scale("bigger", members=1500, spaces=90), tmp_path)
    assert set(small) == {"dashboard", "space_home", "spaces_list", "api_spaces", "home_public"}
    for name in small:
        assert small[name]["queries"] == bigger[name]["queries"], name
        assert "queries_seen" not in bigger[name], f"{name}: the count varies between requests"
        assert bigger[name]["bytes"] < 60_000, f"{name} weighs {bigger[name]['bytes']} bytes"


def test_generated_city_has_the_promised_shape(tmp_path):
    from placette.db import database
    from placette.models import Membership, Space, User
    city = build_city("small", [], directory=tmp_path / "city")
    with city.app.app_context(), database.connection_context():
        assert User.select().count() == 1000
        assert Space.select().count() == 20
        assert Membership.select().where(Membership.user == city.viewer.id).count() == 20
        assert city.admin.is_admin and not city.viewer.is_admin
        assert {c.kind for c in city.councils} == {"neighbourhood", "thematic"}
        assert Space.select().where(Space.visibility == "private").count() >= 1


def test_run_writes_the_json_report(tmp_path, monkeypatch):
    monkeypatch.setattr(run, "SCALES", {"small": Scale("small", members=150, spaces=10)})
    monkeypatch.setattr("benchmarks.generate.SCALES",
                        {"small": Scale("small", members=150, spaces=10)})
    target = tmp_path / "out.json"
    run.main(["--scale", "small", "--repeat", "3", "--pages", "kernel", "--json", str(target)])
    report = json.loads(target.read_text())
    assert report["scale"] == "small"
    assert report["floor_ms"] > 0
    # The headline: every page rendered for the person every time, anonymous ones included.
    assert set(report["pages"]) == {"dashboard", "space_home", "spaces_list", "api_spaces",
                                    "home_public"}
    for name, row in report["pages"].items():
        assert row["p50_ms"] > 0 and row["p95_ms"] >= row["p50_ms"] and row["queries"] >= 1, \
            (name, row)
        assert "cache_hits" not in row
        # a count the host's speed does not move: a page makes thousands of Python calls
        assert row["python_calls"] > 1000, (name, row)
    # Anonymous pages as served by default: asked again with no change in between, from the
    # page cache, whose one query reads the change counter.
    assert set(report["pages_anonymous_cached"]) == {"home_public"}
    served = report["pages_anonymous_cached"]["home_public"]
    assert served["cache_hits"] == 3 and served["queries"] == 1, served
    assert "python_calls" not in served
    assert served["bytes"] == report["pages"]["home_public"]["bytes"]
    # How noisy the host was, for whoever compares this run's p95s with another's.
    noise = report["host_noise"]
    assert noise["floor_p95_over_p50"] >= 1 and noise["pages_median_p95_over_p50"] >= 1, noise


def test_a_noisy_run_says_so(capsys):
    """The verdict reads the pages' median spread: a run where every page's p95 is 1.6x its
    p50 is flagged, one at 1.25x is not, whatever one jumpy floor sample did."""
    def pages(spread):
        return {name: {"p50_ms": 10.0, "p95_ms": 10.0 * spread, "ratio_p95_to_floor":
                       10.0 * spread / 0.5, "queries": 3, "bytes": 100, "cpu_p50_ms": 10.0}
                for name in ("a", "b", "c")}

    assert run.host_noise(0.5, 0.8, pages(1.6)) == {"floor_p95_over_p50": 1.6,
                                                    "pages_median_p95_over_p50": 1.6}
    run.print_table("t", 0.5, 0.5, pages(1.6), floor_p95_ms=0.6)
    assert "a noisy run" in capsys.readouterr().out
    run.print_table("t", 0.5, 0.5, pages(1.25), floor_p95_ms=0.9)
    printed = capsys.readouterr().out
    assert "the pages' (median) 1.25x" in printed and "a noisy run" not in printed


def test_run_needs_no_pytest(tmp_path):
    """``python benchmarks/run.py`` from a plain ``pip install``: no test tool imported."""
    import subprocess
    script = (
        "import sys\n"
        "sys.modules['pytest'] = None  # importing it now fails, as without the test tools\n"
        f"sys.path.insert(0, {str(ROOT)!r})\n"
        "from benchmarks import generate, run\n"
        "tiny = {'small': generate.Scale('small', members=60, spaces=6)}\n"
        "generate.SCALES = run.SCALES = tiny\n"
        f"run.main(['--repeat', '2', '--pages', 'kernel', '--json', {str(tmp_path / 'o.json')!r}])\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=300, cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "home_public" in json.loads((tmp_path / "o.json").read_text())["pages"]


def test_profile_is_taken_as_the_timing_is(tmp_path):
    """``--profile PAGE`` prints the page's profile, with the set-up's garbage frozen first as
    for the timing: otherwise its collections are charged to whatever the request runs then."""
    import subprocess
    script = (
        "import gc, sys\n"
        f"sys.path.insert(0, {str(ROOT)!r})\n"
        "from benchmarks import generate, run\n"
        "tiny = {'small': generate.Scale('small', members=60, spaces=6)}\n"
        "generate.SCALES = run.SCALES = tiny\n"
        "run.main(['--repeat', '2', '--pages', 'kernel', '--profile', 'dashboard'])\n"
        "print('frozen', gc.get_freeze_count())\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=300, cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Ordered by: cumulative time" in done.stdout and "dashboard" in done.stdout
    assert int(done.stdout.rsplit("frozen ", 1)[1]) > 10_000, done.stdout[-500:]


def test_page_modules_extra_measurements_are_merged(tmp_path):
    import types
    city = build_city(Scale("tiny", members=60, spaces=6), [], directory=tmp_path / "x")
    module = types.ModuleType("benchmarks.pages.fake")
    module.measure_disk = lambda city: {"disk_mb_s": 123.4}
    module.measure_broken = lambda city: 1 / 0
    found = run.extra_measurements(city, [module], echo=lambda _m: None)
    assert found["disk_mb_s"] == 123.4
    assert found["fake.measure_broken"].startswith("failed: ZeroDivisionError")


def test_bulk_insert_converts_values_and_fills_defaults(tmp_path):
    import datetime as dt

    from placette.db import database
    from placette.models import AuditEntry, Space
    city = build_city(Scale("tiny", members=30, spaces=4), [], directory=tmp_path / "x")
    when = dt.datetime(2026, 5, 4, 12, 30, 15)
    with city.app.app_context(), database.connection_context():
        space = Space.get(Space.slug == "ville")
        with database.atomic():
            city.bulk_insert(AuditEntry, [  # FK as a row and as an id, JSON, no created_at
                {"actor": city.admin, "space": space.id, "action": "bench.a",
                 "after": {"n": 1}},
                {"actor": city.viewer.id, "space": space, "action": "bench.b", "after": None}])
            city.bulk_insert(AuditEntry, [  # rows with different keys: peewee's insert_many
                {"action": "bench.c", "created_at": when}, {"action": "bench.d"}])
        rows = {a.action: a for a in AuditEntry.select()}
        assert rows["bench.a"].actor_id == city.admin.id and rows["bench.a"].after == {"n": 1}
        assert rows["bench.b"].space_id == space.id and rows["bench.b"].after is None
        assert isinstance(rows["bench.a"].created_at, dt.datetime)  # the model default
        assert rows["bench.c"].created_at == when and rows["bench.d"].actor_label == ""
