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
    assert "Quartier Nord" in page.locator("ol.showcase-councils").inner_text()
    assert axe_violations(page) == []
    page.locator("ol.showcase-councils").get_by_role("link", name="Quartier Nord").focus()
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


def test_an_animator_picks_and_withdraws_with_the_keyboard(live_url, page, council, make_user,
                                                           make_page):
    from placette_plugins.showcase.models import Item
    password = "correct horse battery"
    karim = make_user("karim@example.org", "Karim Animateur", member_of=council,
                      role="animator", password=password, language="en")
    make_page(council, karim, "Bilan de la concertation", "Ce que les habitants ont dit.")
    page.goto(f"{live_url}/auth/sign-in")
    by_password = page.locator("section[aria-labelledby=by-password]")
    by_password.locator("input[type=email]").fill(karim.email)
    by_password.locator("input[type=password]").fill(password)
    by_password.locator("input[type=password]").press("Enter")
    page.wait_for_url(f"{live_url}/")
    page.goto(f"{live_url}/s/quartier-nord/showcase/pick")
    assert axe_violations(page) == []
    page.get_by_label("Public introduction (optional)").first.fill("À lire avant le conseil")
    page.get_by_role("button", name="Show to the public · Bilan de la concertation").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/s/quartier-nord/showcase/")
    assert "is now in the public window" in page.locator(".flashes").inner_text()
    assert axe_violations(page) == []
    item = Item.get()
    assert item.introduction == "À lire avant le conseil"
    page.get_by_role("button", name="Withdraw · Bilan de la concertation").focus()
    page.once("dialog", lambda dialog: dialog.accept())  # "Are you sure?" before a withdrawal
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Withdrawn from every page" in page.locator(".flashes").inner_text()
    assert Item.get().state == "withdrawn"
    page.goto(f"{live_url}/s/quartier-nord/showcase/stats")
    assert axe_violations(page) == []
    response = page.goto(f"{live_url}/vitrine/quartier-nord/{item.id}")
    assert response.status == 410
    assert axe_violations(page) == []
