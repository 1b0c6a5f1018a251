"""The discussions' benchmark pages cost the same number of queries at both scales: a 500-comment
thread, a council's topics list (100 topics, then 1,000) and a topic's page (100 replies, then
500, some held for review)."""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))

from benchmarks import run  # noqa: E402
from benchmarks.generate import Scale, build_city  # noqa: E402
from benchmarks.pages import discussions  # noqa: E402


def _measure(scale: Scale, tmp_path: Path) -> dict:
    city = build_city(scale, discussions.REQUIRES, directory=tmp_path / scale.name)
    run.seed_all(city, [discussions], echo=lambda *a: None)
    pages = run.collect_pages(city, [discussions])
    return run.measure(city, pages, repeat=2, warmup=1, page_cache=False)["pages"]


def test_thread_and_topics_cost_the_same_queries_at_both_scales(tmp_path):
    small = _measure(Scale("small", members=120, spaces=8), tmp_path)
    bigger = _measure(Scale("medium", members=400, spaces=16), tmp_path)
    assert set(small) == {"discussions_thread", "discussions_topics", "discussions_topic"}
    for name in small:
        assert small[name]["queries"] == bigger[name]["queries"], (name, small, bigger)
        assert "queries_seen" not in bigger[name], name
