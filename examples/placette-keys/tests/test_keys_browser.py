"""Karim hands a key over in a real browser, with the keyboard, and every page passes axe-core."""
import pytest

from placette.testing import axe_violations

pytestmark = pytest.mark.browser
PASSWORD = "correct horse battery"


def test_an_animator_hands_a_key_over_with_the_keyboard(live_url, page, council, make_user):
    from placette_keys.service import create_room
    karim = make_user("karim@example.org", "Karim Animateur", member_of=council, role="animator",
                      password=PASSWORD)
    make_user(name="Martine Membre", member_of=council)
    create_room(council, "Salle polyvalente", "Maison de quartier")

    page.goto(f"{live_url}/auth/sign-in")
    by_password = page.locator("section[aria-labelledby=by-password]")
    by_password.locator("input[type=email]").fill(karim.email)  # kernel strings: any language
    by_password.locator("input[type=password]").fill(PASSWORD)
    by_password.locator("input[type=password]").press("Enter")
    page.wait_for_url(f"{live_url}/")

    page.goto(f"{live_url}/s/quartier-nord/keys/")
    assert page.get_by_role("heading", level=1).inner_text() == "Clés des salles"
    assert axe_violations(page) == []
    page.get_by_role("link", name="Remettre la clé de Salle polyvalente").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/handover")
    assert axe_violations(page) == []
    page.get_by_label("Qui reçoit la clé ?").select_option(label="Martine Membre")
    page.get_by_label("Note (facultatif)").fill("Code de l'alarme donné")
    page.get_by_role("button", name="Enregistrer la remise").press("Enter")
    page.wait_for_url("**/rooms/*")
    assert "Martine Membre" in page.locator("main p.lead").inner_text()
    assert "Code de l'alarme donné" in page.locator("main table").inner_text()
    assert axe_violations(page) == []
