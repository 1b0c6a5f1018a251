"""The open-data files are joined from records stored when an item is published: they are
byte for byte the files the csv module and ``json.dumps`` write of the items as they are now --
after publishing, republishing, a new introduction, withdrawing, deleting, renaming the council,
switching its window off -- and the migration fills the records of items shown before it."""
from __future__ import annotations

import csv
import datetime as dt
import importlib.util
import io
import json
from pathlib import Path

import pytest

import placette

#: What the third-party plugin offers, by object id; a test edits it, then republishes.
OFFERS: dict[int, dict] = {}


def _offer(resource, actor):
    if resource.plugin != "opendata":
        return None
    return placette.ShowcaseOffer(resource=resource, **OFFERS[int(resource.object_id)])


@pytest.fixture
def placette_extra_plugins():
    from gate_plugins import make_plugin
    return {"opendata": make_plugin(
        "opendata", default_enabled=True,
        register_resource_kinds=lambda: [placette.ResourceKind("opendata", "thing", "Thing",
                                                               "Things")],
        showcase_item=_offer)}


@pytest.fixture
def placette_plugins():
    return ["showcase", "opendata"]


PARIS = dt.timezone(dt.timedelta(hours=2))


@pytest.fixture
def window(app, make_space, make_user):
    """A council with an awkward name, five records of ``results`` with awkward cells and data
    keys that differ from one record to the next, and one record of ``meetings``."""
    from placette_plugins.showcase import service
    OFFERS.clear()
    OFFERS.update({
        1: dict(category="results", title='Vote, "final"\nsur deux lignes', dataset="results",
                decided_at=dt.datetime(2026, 5, 4, 20, 30, tzinfo=PARIS),
                answer_status="=SOMME(A1)", data={"ballots": 40, "place": "Salle, 1",
                                                  "ok": True, "ratio": 0.5, "none": None,
                                                  "nested": {"x": 1}, "list": [1, 2]}),
        2: dict(category="results", title="-3", dataset="results", data={"ballots": 12}),
        3: dict(category="results", title="@risque – élan ’ \\ \t", dataset="results",
                answer_status="Accepté, avec réserves", data={}),
        4: dict(category="results", title="+ de bancs", dataset="results",
                decided_at=dt.datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=dt.timezone.utc),
                data={"zeta": "=1+1", "ballots": "-", "": "sans nom", "9": 9}),
        5: dict(category="results", title="Sans données", dataset="results"),
        6: dict(category="meeting", title="Réunion publique", dataset="meetings",
                decided_at=dt.datetime(2026, 6, 1, 18, 0, tzinfo=PARIS),
                data={"": "Mairie"}),  # one key, empty
    })
    space = make_space("nord", visibility="public", plugins=["showcase", "opendata"],
                       name='Conseil "Nord", quartier')
    animator = make_user(member_of=space, role="animator")
    items = {}
    for object_id in OFFERS:
        resource = placette.publish_resource("opendata", "thing", object_id, space=space,
                                             title=OFFERS[object_id]["title"], url="/x")
        items[object_id] = service.pick(space, animator, f"opendata.thing:{object_id}")
    return {"space": space, "animator": animator, "items": items}


# -- the files as written before records were stored: every cell formatted at every download --

def _rows(dataset):
    from placette_plugins.showcase.models import Item
    Space, Module = placette.Space, placette.Module
    return list(Item.select(Item.uuid, Item.id, Space.slug, Space.name, Item.category,
                            Item.title, Item.decided_at, Item.answer_status, Item.published_at,
                            Item.updated_at, Item.data)
                .join(Space, on=(Item.space == Space.id))
                .join(Module, on=((Module.space == Space.id) & (Module.plugin == "showcase")))
                .where((Item.state == "shown") & (Item.dataset == dataset)
                       & (Module.enabled == True) & Space.archived_at.is_null())  # noqa: E712
                .order_by(Item.updated_at.desc(), Item.id.desc()).tuples())


def _iso(value):
    return None if value is None else value.replace(tzinfo=dt.timezone.utc).isoformat()


def _cell(value):
    if value is None:
        return ""
    text = str(value)
    if text[:1] in ("=", "+", "-", "@"):
        try:
            float(text)
        except ValueError:
            text = "'" + text
    return text


def _scalars(data):
    return {k: v for k, v in (data or {}).items()
            if isinstance(v, (str, int, float, bool)) or v is None}


def expected_csv(dataset) -> bytes:
    from placette_plugins.showcase import exports
    lic = _cell(exports.licence()["name"])
    rows = [(row, _scalars(row[-1])) for row in _rows(dataset)]
    keys = sorted({k for _row, data in rows for k in data})
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([*exports.BASE_COLUMNS, *(f"data.{k}" for k in keys)])
    for (uuid, item_id, slug, name, category, title, decided, answer, published, updated,
         _data), data in rows:
        writer.writerow([f"urn:uuid:{uuid}", _cell(name), _cell(slug), _cell(category),
                         _cell(title), _cell(f"http://localhost/vitrine/{slug}/{item_id}"),
                         _iso(decided) or "", _cell(answer), _iso(published) or "",
                         _iso(updated) or "", lic, *(_cell(data.get(k)) for k in keys)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def expected_json(dataset) -> bytes:
    from placette_plugins.showcase import exports
    lic = exports.licence()
    records = [{"id": f"urn:uuid:{uuid}", "council": name, "council_slug": slug,
                "category": category, "title": title,
                "url": f"http://localhost/vitrine/{slug}/{item_id}", "decided_at": _iso(decided),
                "answer_status": answer, "published_at": _iso(published),
                "updated_at": _iso(updated), "licence": lic["name"], "data": _scalars(data)}
               for (uuid, item_id, slug, name, category, title, decided, answer, published,
                    updated, data) in _rows(dataset)]
    return json.dumps({"dataset": dataset, "title": exports.DATASET_TITLES[dataset],
                       "licence": lic,
                       "schema": f"http://localhost/vitrine/data/{dataset}.schema.json",
                       "records": records}, ensure_ascii=False,
                      separators=(",", ":")).encode("utf-8")


def assert_files_exact(client, expect_rows=None):
    for dataset in placette.SHOWCASE_DATASETS:
        got_csv = client.get(f"/vitrine/data/{dataset}.csv")
        assert got_csv.headers["Content-Type"] == "text/csv; charset=utf-8"
        assert got_csv.data == expected_csv(dataset), dataset
        got_json = client.get(f"/vitrine/data/{dataset}.json")
        assert got_json.mimetype == "application/json"
        assert got_json.data == expected_json(dataset), dataset
    if expect_rows is not None:
        titles = [r["title"] for r in client.get("/vitrine/data/results.json")
                  .get_json()["records"]]
        assert titles == expect_rows
        rows = list(csv.DictReader(io.StringIO(
            client.get("/vitrine/data/results.csv").data.decode("utf-8-sig"))))
        assert [r["title"] for r in rows] == [_cell(t) for t in expect_rows]


def test_the_files_are_joined_from_stored_records_byte_for_byte(client, window):
    from placette_plugins.showcase.models import Item
    newest_first = [OFFERS[i]["title"] for i in (5, 4, 3, 2, 1)]
    assert_files_exact(client, newest_first)
    row = client.get("/vitrine/data/results.json").get_json()["records"][-1]
    assert row["decided_at"] == "2026-05-04T18:30:00+00:00"  # kept in UTC
    assert row["data"] == {"ballots": 40, "none": None, "ok": True, "place": "Salle, 1",
                           "ratio": 0.5}
    header = client.get("/vitrine/data/results.csv").data.decode("utf-8-sig").split("\r\n")[0]
    assert header.endswith(",licence,data.,data.9,data.ballots,data.none,data.ok,data.place,"
                           "data.ratio,data.zeta")
    meetings = client.get("/vitrine/data/meetings.csv").data.decode("utf-8-sig").split("\r\n")
    assert meetings[0].endswith(",licence,data.") and meetings[1].endswith(",Mairie")
    # The records are stored with the items; the download reads them, not the columns.
    stored = Item.get_by_id(window["items"][1].id)
    assert stored.csv_head == 'results,"Vote, ""final""\nsur deux lignes"'
    assert stored.json_head == '"category":"results","title":"Vote, \\"final\\"\\nsur deux lignes"'
    # A row written without them (by hand, or before the migration) is still exported.
    Item.update(csv_head=None, json_head=None).where(
        Item.id == window["items"][2].id).execute()
    assert_files_exact(client, newest_first)


def test_the_files_follow_every_change_of_the_window(client, window):
    from placette_plugins.showcase import service
    from placette_plugins.showcase.models import Item
    items, animator, space = window["items"], window["animator"], window["space"]
    OFFERS[2].update(title="Deuxième vote, corrigé", data={"ballots": 13, "place": "École"})
    service.republish(items[2], animator)
    assert_files_exact(client, ["Deuxième vote, corrigé", *(OFFERS[i]["title"]
                                                             for i in (5, 4, 3, 1))])
    service.update(Item.get_by_id(items[4].id), animator, introduction="Nouvelle présentation")
    assert_files_exact(client, [OFFERS[4]["title"], "Deuxième vote, corrigé",
                                *(OFFERS[i]["title"] for i in (5, 3, 1))])
    service.update(Item.get_by_id(items[3].id), animator, position=1)  # order only
    service.withdraw(Item.get_by_id(items[1].id), animator)
    assert_files_exact(client, [OFFERS[4]["title"], "Deuxième vote, corrigé",
                                OFFERS[5]["title"], OFFERS[3]["title"]])
    Item.get_by_id(items[5].id).delete_instance()
    assert_files_exact(client, [OFFERS[4]["title"], "Deuxième vote, corrigé",
                                OFFERS[3]["title"]])
    placette.Space.update(name="Conseil du Nord", slug="nord-ouest").where(
        placette.Space.id == space.id).execute()
    assert_files_exact(client)
    record = client.get("/vitrine/data/results.json").get_json()["records"][0]
    assert record["council"] == "Conseil du Nord"
    assert record["url"].startswith("http://localhost/vitrine/nord-ouest/")
    placette.set_module(placette.Space.get_by_id(space.id), "showcase", False)
    assert_files_exact(client, [])


def _migration():
    from placette_plugins.showcase import service
    path = Path(service.__file__).parent / "migrations" / "0003_stored_records.py"
    spec = importlib.util.spec_from_file_location("showcase_stored_records", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_migration_fills_the_records_of_items_shown_before_it(client, window):
    from placette.db import database
    from placette_plugins.showcase import records
    from placette_plugins.showcase.models import Item
    service_made = {i.id: records.of_item(i) for i in Item.select()}
    empty = dict.fromkeys(records.COLUMNS)
    Item.update(**empty).execute()
    assert_files_exact(client)  # built at download time meanwhile
    migration = _migration()
    assert migration.COLUMNS == records.COLUMNS
    assert migration.backfill(database.obj) == len(window["items"])
    for item in Item.select():
        assert {name: getattr(item, name) for name in records.COLUMNS} == service_made[item.id]
    assert migration.backfill(database.obj) == 0  # run again: nothing left to do
    assert_files_exact(client)
