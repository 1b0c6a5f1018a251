"""The showcase: the city's public window as anonymous visitors, feed readers and open-data
portals ask for it -- rendered every time, and from the anonymous page cache.

Volume: every council shows twelve items (results, minutes, meetings, documents, pages, with
a file on one in four), is placed on the map, and has a year of monthly view counts; the
items' text is a page of Markdown rendered to HTML, as an offer carries it.
"""
from __future__ import annotations

import datetime as dt
import uuid

REQUIRES = ["showcase"]

CATEGORIES = ("results", "minutes", "meeting", "document", "page", "opinion")
DATASETS = {"results": "results", "minutes": "meetings", "meeting": "meetings",
            "opinion": "opinions"}
BODY = ("<h2>Ce qui a été décidé</h2><p>Le conseil a retenu le projet de jardin partagé, "
        "après trois réunions publiques et un vote ouvert à tous les habitants.</p>"
        "<ul><li>Budget : 12 000 €</li><li>Travaux : au printemps</li></ul>") * 4
PER_COUNCIL = 12


def seed(city) -> None:
    from placette.models import Module
    from placette_plugins.showcase.models import File, Item, View
    from placette_plugins.showcase.records import pieces
    items, files, views = [], [], []
    item_id = 0
    for index, council in enumerate(city.councils):
        Module.update(settings={"latitude": 50.6 + (index % 10) * 0.01,
                                "longitude": 3.1 + (index // 10) * 0.01}).where(
            (Module.space == council.id) & (Module.plugin == "showcase")).execute()
        for n in range(PER_COUNCIL):
            item_id += 1
            category = CATEGORIES[n % len(CATEGORIES)]
            decided = city.now + dt.timedelta(days=(n - 8) * 7)
            items.append({
                "id": item_id, "space": council.id, "uuid": str(uuid.UUID(int=item_id)),
                "resource_key": f"pages.page:{item_id}", "category": category,
                "title": f"{category.title()} n°{n} du {council.name}",
                "summary": "Le conseil a retenu le projet de jardin partagé.",
                "body_html": BODY, "introduction": "Ce que le conseil a décidé ce mois-ci.",
                "decided_at": decided, "answer_status": "Accepté" if n % 3 == 0 else None,
                "dataset": DATASETS.get(category),
                "data": {"ballots": 40 + n, "place": "Salle des fêtes"},
                "position": n + 1, "state": "shown", "picked_by": city.admin.id,
                "published_at": decided, "republished_at": None,
                "updated_at": city.now - dt.timedelta(hours=item_id), "withdrawn_at": None})
            # ...with its open-data record's pieces, as publishing writes them
            row = items[-1]
            row.update(pieces(row["category"], row["title"], row["decided_at"],
                              row["answer_status"], row["published_at"], row["updated_at"],
                              row["data"]))
            if n % 4 == 0:
                files.append({"item": item_id, "name": f"compte-rendu-{n}.pdf",
                              "content_type": "application/pdf", "size": 120_000,
                              "storage_key": f"bench{item_id}", "position": 0})
            for month in range(1, 13):
                views.append({"item": item_id, "month": f"2026-{month:02d}",
                              "count": 10 + (item_id * month) % 90})
    city.bulk_insert(Item, items)
    city.bulk_insert(File, files)
    city.bulk_insert(View, views)


def pages(city) -> dict:
    council = city.councils[0]
    from placette_plugins.showcase.models import Item
    first = Item.select(Item.id).where(Item.space == council.id).order_by(Item.id).first()
    return {
        "showcase_index": (None, "/vitrine/"),
        "showcase_council": (None, f"/vitrine/{council.slug}/"),
        "showcase_item": (None, f"/vitrine/{council.slug}/{first.id}"),
        "showcase_feed": (None, "/vitrine/feed.atom"),
        "showcase_council_feed": (None, f"/vitrine/{council.slug}/feed.atom"),
        "showcase_embed": (None, f"/vitrine/embed/{council.slug}"),
        "showcase_data": (None, "/vitrine/data/"),
        "showcase_results_json": (None, "/vitrine/data/results.json"),
        "showcase_meetings_csv": (None, "/vitrine/data/meetings.csv"),
        "showcase_catalog": (None, "/vitrine/data/catalog.jsonld"),
    }
