"""The public pages cost the same number of SQL queries with 3 items as with 30, and the
anonymous page cache keeps them (ETag, Last-Modified, 304); a withdrawal shows at once."""
from __future__ import annotations

import pytest

PUBLIC = ["/vitrine/", "/vitrine/quartier-nord/", "/vitrine/feed.atom",
          "/vitrine/quartier-nord/feed.atom", "/vitrine/embed/quartier-nord",
          "/vitrine/data/", "/vitrine/data/results.json", "/vitrine/data/results.csv",
          "/vitrine/data/catalog.jsonld"]


@pytest.fixture
def grow(council, people, make_space, make_user, pick):
    """``grow(n)``: n shown pages, spread over the council and more councils."""
    from placette_plugins.pages import service as pages
    made = {"n": 0, "spaces": [council]}

    def do(to):
        while made["n"] < to:
            n = made["n"]
            if n % 5 == 4:
                made["spaces"].append(make_space(f"conseil-{n}", visibility="public",
                                                 plugins=["pages", "showcase"],
                                                 settings={"showcase": {"latitude": 50 + n / 100,
                                                                        "longitude": 3.0}}))
            space = made["spaces"][n % len(made["spaces"])]
            animator = people["animator"] if space is council else make_user(
                member_of=space, role="animator")
            page = pages.create_page(space, animator, {"title": f"Page {n}", "body": "Texte"},
                                     notify=False)
            item = pick(space, animator, f"pages.page:{page.id}")
            if n % 3 == 0:  # items with files and datasets too
                from placette_plugins.showcase import records
                from placette_plugins.showcase.models import File
                item.dataset, item.data = "results", {"ballots": n}
                records.stamp(item)
                item.save()
                File.create(item=item.id, name=f"f{n}.pdf", content_type="application/pdf",
                            size=10, storage_key=f"k{n}")
            made["n"] += 1
    return do


def test_public_pages_queries_do_not_grow(app, client, count_queries, grow):
    cache = app.extensions.get("placette_page_cache")
    if cache is not None:
        cache.store.clear()

    def measure():
        counts = {}
        for path in PUBLIC:
            client.get(path, headers={"Authorization": "Bearer none"})  # warm, never cached
            counts[path] = count_queries(lambda: client.get(
                path, headers={"Cookie": "session=x"}))
        return counts

    grow(3)
    small = measure()
    grow(30)
    large = measure()
    assert small == large, {p: (small[p], large[p]) for p in PUBLIC if small[p] != large[p]}
    assert 0 < min(large.values()) and max(large.values()) <= 12, large


def test_anonymous_pages_are_kept_and_withdrawal_shows_at_once(app, client, council, people,
                                                               make_page, pick):
    from placette_plugins.showcase import service
    cache = app.extensions["placette_page_cache"]
    page = make_page(council, people["animator"], "Page gardée en cache")
    item = pick(council, people["animator"], f"pages.page:{page.id}")
    first = client.get("/vitrine/")
    assert first.headers["ETag"] and first.headers["Last-Modified"]
    hits = cache.hits
    assert "Page gardée en cache" in client.get("/vitrine/").get_data(as_text=True)
    assert cache.hits == hits + 1
    assert client.get("/vitrine/", headers={"If-None-Match": first.headers["ETag"]}
                      ).status_code == 304
    service.withdraw(item, people["animator"])
    assert "Page gardée en cache" not in client.get("/vitrine/").get_data(as_text=True)
