"""The search benchmark module seeds a city and its pages answer, with flat query counts."""
from __future__ import annotations

import importlib.util
import random
from dataclasses import dataclass, field
from pathlib import Path

from placette.db import query_counter, utcnow

MODULE = Path(__file__).resolve().parents[1] / "benchmarks" / "pages" / "search.py"


def load_module():
    spec = importlib.util.spec_from_file_location("bench_search_pages", MODULE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@dataclass
class TinyCity:
    """The fields of benchmarks.generate.BenchCity this module uses, at a tiny scale."""

    scale: str
    spaces: list
    user_ids: list
    viewer: object
    admin: object
    rng: random.Random = field(default_factory=lambda: random.Random(7))
    now: object = field(default_factory=utcnow)

    def bulk_insert(self, model, rows, chunk=1000):
        for start in range(0, len(rows), chunk):
            model.insert_many(rows[start:start + chunk]).execute()


def test_search_benchmark_pages(client, make_space, make_user, sign_in):
    module = load_module()
    module.NOTES = {"small": 60, "medium": 600}
    spaces = [make_space(f"b{n}") for n in range(4)]
    viewer = make_user(member_of=spaces[:2])
    admin = make_user(admin=True)
    city = TinyCity("small", spaces, [viewer.id, admin.id], viewer, admin)
    assert module.REQUIRES == []
    module.seed(city)
    counts = {}
    for name, (user, path) in module.pages(city).items():
        sign_in(user)
        client.get(path)
        query_counter.reset()
        response = client.get(path)
        assert response.status_code == 200, name
        counts[name] = query_counter.count
    html = client.get(module.QUERY).get_data(as_text=True)
    assert "<mark>" in html
    module.NOTES = {"small": 240, "medium": 600}
    module.seed(TinyCity("small", spaces, [viewer.id, admin.id], viewer, admin,
                         rng=random.Random(8)))
    for name, (user, path) in module.pages(city).items():
        sign_in(user)
        query_counter.reset()
        assert client.get(path).status_code == 200
        assert query_counter.count == counts[name], name
