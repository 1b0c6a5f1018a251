"""A member votes by majority judgment in a real browser with the keyboard only, then checks
the receipt on the results; every page passes axe-core."""
import re

import pytest

from placette.testing import axe_violations

pytestmark = pytest.mark.browser
PASSWORD = "correct horse battery"


def test_a_member_votes_with_the_keyboard(live_url, page, council, animator, make_user,
                                         make_poll):
    from placette_plugins.voting import service
    martine = make_user("martine@example.org", "Martine Membre", member_of=council,
                        password=PASSWORD)
    poll = make_poll("majority_judgment", options=("Jardin", "Bancs"))

    page.goto(f"{live_url}/auth/sign-in")
    by_password = page.locator("section[aria-labelledby=by-password]")
    by_password.locator("input[type=email]").fill(martine.email)
    by_password.locator("input[type=password]").fill(PASSWORD)
    by_password.locator("input[type=password]").press("Enter")
    page.wait_for_url(f"{live_url}/")

    page.goto(f"{live_url}/s/quartier-nord/voting/")
    assert axe_violations(page) == []
    page.get_by_role("link", name=poll.title).focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/polls/{poll.id}")
    assert axe_violations(page) == []
    # Jardin: Tab into the group lands on its first grade; two arrows down: "Good"
    page.get_by_role("group", name="Jardin").get_by_label("Excellent").focus()
    page.keyboard.press("Space")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    # Bancs: "Very good"
    page.get_by_role("group", name="Bancs").get_by_label("Excellent").focus()
    page.keyboard.press("Space")
    page.keyboard.press("ArrowDown")
    page.get_by_role("button", name="Vote").focus()
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    flash = page.locator(".flashes").inner_text()
    code = re.search(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", flash).group(0)
    assert "You have voted." in page.locator("main").inner_text()
    assert axe_violations(page) == []

    service.close(poll, animator)
    page.goto(f"{live_url}/s/quartier-nord/voting/polls/{poll.id}/results")
    assert "First: Bancs" in page.locator("main").inner_text()
    assert axe_violations(page) == []
    page.goto(f"{live_url}/s/quartier-nord/voting/polls/{poll.id}")
    page.get_by_label("Receipt code").fill(code)
    page.get_by_label("Receipt code").press("Enter")
    page.wait_for_url("**/receipt?code=*")
    text = page.locator("main").inner_text()
    assert f"A ballot with the code {code} is in the published list" in text
    assert "Jardin: Good" in text and "Bancs: Very good" in text
    assert axe_violations(page) == []
