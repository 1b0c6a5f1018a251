"""The pages plugin: the city's charter page, and the footer it adds to every page.

Volume: the city's usual pages (charter, legal notice, accessibility statement, personal data,
how to take part) and a "how we work" page in every council.  With the plugin activated, every
page of the benchmark carries the footer's links, as in a city that uses it.
"""
from __future__ import annotations

REQUIRES = ["pages"]

CITY_PAGES = [
    ("charte", "Charte de la participation"), ("mentions-legales", "Mentions légales"),
    ("accessibilite", "Déclaration d'accessibilité"), ("donnees", "Données personnelles"),
    ("participer", "Comment participer"),
]
BODY = ("## Nos engagements\n\nLes conseils de quartier sont ouverts à toutes et tous.\n\n"
        "- Chacun peut proposer un sujet ;\n- les comptes rendus sont publics ;\n"
        "- les décisions sont expliquées.\n\n") * 6


def seed(city) -> None:
    from placette_plugins.pages.models import Page
    town = city.spaces[0]  # the city space comes first
    rows = [{"space": town.id, "slug": slug, "title": title, "body": BODY, "position": n,
             "visibility": None, "author": city.admin.id, "updated_by": city.admin.id,
             "created_at": city.now, "updated_at": city.now}
            for n, (slug, title) in enumerate(CITY_PAGES)]
    rows += [{"space": council.id, "slug": "fonctionnement", "title": "Notre fonctionnement",
              "body": BODY, "position": 0, "visibility": None, "author": city.admin.id,
              "updated_by": city.admin.id, "created_at": city.now, "updated_at": city.now}
             for council in city.councils]
    city.bulk_insert(Page, rows)


def pages(city) -> dict:
    return {"city_page": (city.viewer, f"/s/{city.spaces[0].slug}/pages/charte")}
