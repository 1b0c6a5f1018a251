"""What pages offers the public window: a page, rendered and sanitised, to those who may read it."""
from __future__ import annotations

import placette


def test_pages_offer_their_pages_to_readers_only(app, council, people, make_page):
    from placette_plugins.pages import plugin
    page = make_page(council, people["animator"], "Charte", "Notre **charte**<script>x</script>")
    narrow = make_page(council, people["animator"], "Notes des animateurs", "Privé",
                       visibility="animators")
    resource = placette.lookup_resource("pages", "page", page.id)
    offer = plugin.showcase_item(resource, people["member"])
    assert offer.category == "page" and offer.title == "Charte"
    assert "<strong>charte</strong>" in offer.body_html and "<script>" not in offer.body_html
    titles = [o.title for o in plugin.showcase_items(council, people["member"])]
    assert titles == ["Charte"]
    assert sorted(o.title for o in plugin.showcase_items(council, people["animator"])) == [
        "Charte", "Notes des animateurs"]
    hidden = placette.lookup_resource("pages", "page", narrow.id)
    assert plugin.showcase_item(hidden, people["member"]) is None
