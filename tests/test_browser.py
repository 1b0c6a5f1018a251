"""In a real Chromium: Youssef follows his invitation, creates his account and lands on his
dashboard; every page he sees passes axe-core with no serious or critical violation.  And the
sign-in form works with the keyboard alone, with a visible focus."""
from __future__ import annotations

import pytest

from placette.testing import axe_violations

pytestmark = pytest.mark.browser


def assert_accessible(page, label: str) -> None:
    violations = axe_violations(page)
    summary = [f"{v['id']} ({v['impact']}): {v['help']} -- "
               + "; ".join(n["target"][0] if isinstance(n["target"][0], str) else str(n["target"])
                           for n in v["nodes"][:5]) for v in violations]
    assert not summary, f"axe on {label}:\n" + "\n".join(summary)


def test_invitation_link_to_account_to_dashboard(app, live_url, page, make_space, make_user):
    from placette.identity.invitations import invite
    council = make_space("quartier-nord", name="Conseil de quartier Nord", visibility="members")
    karim = make_user(name="Karim", member_of=council, role="animator")
    with app.app_context():
        _invitation, secret = invite(council, "youssef@example.org", "member", actor=karim,
                                     message="Bienvenue au conseil !", send=False)

    page.goto(f"{live_url}/invitations/{secret}")
    assert page.locator("h1").inner_text().endswith("Conseil de quartier Nord")
    assert_accessible(page, "the invitation page")

    # The browser asks for French, the city's language.
    page.get_by_label("Votre nom, tel que les autres le verront").fill("Youssef")
    page.get_by_role("button", name="Accepter l’invitation").click()
    page.wait_for_url(f"{live_url}/")
    assert "Youssef" in page.locator("h1").inner_text()
    assert page.get_by_role("link", name="Conseil de quartier Nord").count() >= 1
    assert_accessible(page, "the dashboard")

    page.get_by_role("link", name="Conseil de quartier Nord").first.click()
    page.wait_for_url(f"{live_url}/s/quartier-nord")
    assert page.locator("h1").inner_text() == "Conseil de quartier Nord"
    assert_accessible(page, "the council's home")


def test_sign_in_with_the_keyboard_alone(app, live_url, page, make_user):
    make_user(email="martine@example.org", name="Martine", password="a-long-password-1")
    page.goto(f"{live_url}/auth/sign-in")
    assert_accessible(page, "the sign-in page")

    # The first Tab reaches the skip link, which is visible once focused and leads to main.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    assert page.locator(".skip-link").bounding_box()["x"] >= 0

    def focus_id() -> str:
        return page.evaluate("document.activeElement.id || document.activeElement.name")

    for _ in range(40):  # Tab through the page until the password form's e-mail field
        page.keyboard.press("Tab")
        if focus_id() == "pw-email":
            break
    else:
        pytest.fail("the password form cannot be reached with Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("none", ""), "the focused field shows no focus ring"
    page.keyboard.type("martine@example.org")
    page.keyboard.press("Tab")
    assert focus_id() == "pw-password"
    page.keyboard.type("a-long-password-1")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_url}/")
    assert "Martine" in page.locator("h1").inner_text()

    # A wrong password is announced next to the field, and the e-mail typed is kept.
    page.context.clear_cookies()
    page.goto(f"{live_url}/auth/sign-in")
    page.locator("#pw-email").focus()
    page.keyboard.type("martine@example.org")
    page.keyboard.press("Tab")
    page.keyboard.type("not-her-password")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("#pw-email").input_value() == "martine@example.org"
    assert page.get_by_role("alert").count() >= 1
    assert_accessible(page, "the sign-in page with an error")


def test_axe_checks_a_page_loaded_without_javascript(app, live_url, browser, make_space):
    """``axe_violations`` on a page of a JavaScript-less context answers (it used to wait
    forever) and checks that very page: its real problems are found, its scripts never ran."""
    make_space("quartier-nord", visibility="public", name="Quartier Nord")
    context = browser.new_context(locale="fr-FR", java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"{live_url}/s/quartier-nord")
        assert_accessible(page, "a space's home without JavaScript")
        # a defect added to the page as it stands is reported: the copy is this page
        page.set_content(page.content().replace("<main", '<main><img src="/x.png"', 1))
        assert "image-alt" in [v["id"] for v in axe_violations(page)]
    finally:
        context.close()
