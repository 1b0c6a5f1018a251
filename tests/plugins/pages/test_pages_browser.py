"""Claire writes the legal notice in a real browser, with the keyboard and without JavaScript
needed; every page passes axe-core and the footer of the home page links to it."""
import pytest
from placette.testing import axe_violations

pytestmark = pytest.mark.browser
PASSWORD = "correct horse battery"


def test_the_city_admin_writes_the_legal_notice_and_finds_it_in_the_footer(
        live_url, page, ville, make_user):
    claire = make_user("claire@example.org", "Claire Administratrice", member_of=ville,
                       role="admin", password=PASSWORD, language="fr")
    page.goto(f"{live_url}/auth/sign-in")
    by_password = page.locator("section[aria-labelledby=by-password]")
    by_password.locator("input[type=email]").fill(claire.email)
    by_password.locator("input[type=password]").fill(PASSWORD)
    by_password.locator("input[type=password]").press("Enter")
    page.wait_for_url(f"{live_url}/")

    page.goto(f"{live_url}/s/ville/pages/")
    assert page.get_by_role("heading", level=1).inner_text() == "Pages de Villeneuve"
    assert axe_violations(page) == []
    page.get_by_role("link", name="Écrire une page").first.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/pages/new")
    page.get_by_label("Adresse de la page (facultatif)").fill("Mentions Légales")
    page.get_by_role("button", name="Publier").press("Enter")
    page.wait_for_load_state()
    assert page.get_by_label("Adresse de la page (facultatif)").input_value() == \
        "Mentions Légales"  # kept, with the errors next to the fields
    assert "Donnez un titre à la page." in page.locator("main").inner_text()
    assert axe_violations(page) == []

    page.get_by_label("Titre").fill("Mentions légales")
    page.get_by_label("Adresse de la page (facultatif)").fill("")
    page.get_by_label("Texte").fill("# Éditeur du site\n\nMairie de Villeneuve.")
    page.get_by_role("button", name="Publier").press("Enter")
    page.wait_for_url("**/pages/mentions-legales")
    assert page.get_by_role("heading", level=2).first.inner_text() == "Éditeur du site"
    assert axe_violations(page) == []

    page.goto(f"{live_url}/")
    footer = page.get_by_role("contentinfo")
    footer.get_by_role("navigation", name="À propos du site").get_by_role(
        "link", name="Mentions légales").click()
    page.wait_for_url("**/s/ville/pages/mentions-legales")
    assert "Mairie de Villeneuve." in page.locator("main").inner_text()
