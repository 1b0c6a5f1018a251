"""The public window in a real browser, as an anonymous visitor with the keyboard: the city's
page (map and its text alternative), a council, an item, the open-data page and the embed framed
by another page all pass axe-core; the counter image counts the view."""
from __future__ import annotations

import pytest

from placette.testing import axe_violations

pytestmark = pytest.mark.browser


def test_the_public_window_with_the_keyboard(live_url, page, council, people, make_page, pick):
    from placette_plugins.showcase import stats
    from placette_plugins.showcase.models import View
    shown = make_page(council, people["animator"], "Compte rendu de la réunion publique",
                      "Le **parc** rouvre en mai.\n\n| Quoi | Quand |\n|---|---|\n| Parc | Mai |")
    item = pick(council, people["animator"], f"pages.page:{shown.id}",
                "Ce que le conseil a décidé")
    page.goto(f"{live_url}/vitrine/")
    assert page.locator("h1").inner_text() == "Vitrine"
    assert page.locator("svg.showcase-map").count() == 1
    assert "Quartier Nord" in page.locator("ul.showcase-councils").inner_text()
    assert axe_violations(page) == []
    page.locator("ul.showcase-councils").get_by_role("link", name="Quartier Nord").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/vitrine/quartier-nord/")
    assert axe_violations(page) == []
    page.get_by_role("link", name="Compte rendu de la réunion publique").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/vitrine/quartier-nord/{item.id}")
    main = page.locator("main").inner_text()
    assert "Ce que le conseil a décidé" in main and "Quartier Nord" in main
    assert axe_violations(page) == []
    page.wait_for_load_state("networkidle")
    stats.flush()
    assert View.get(View.item == item.id).count >= 1
    page.goto(f"{live_url}/vitrine/data/")
    assert axe_violations(page) == []
    # The city's website frames the embed (its own origin is allowed: 'self').
    page.set_content(f'<!doctype html><html lang="fr"><head><title>Ville</title></head><body>'
                     f'<main><h1>Site de la ville</h1><iframe src="{live_url}/vitrine/embed/'
                     f'quartier-nord" title="Vitrine du Quartier Nord" width="600" '
                     f'height="400"></iframe></main></body></html>')
    frame = page.frame_locator("iframe")
    assert "Compte rendu de la réunion publique" in frame.locator("main").inner_text()
    page.goto(f"{live_url}/vitrine/embed/quartier-nord")
    assert axe_violations(page) == []
