"""In a real browser: the bell, the list and the settings work by keyboard, with no serious
accessibility violation (axe-core)."""
import re

import pytest

from placette.testing import axe_violations, mail_text

pytestmark = pytest.mark.browser


def sign_in_browser(page, live_url, email, password):
    page.goto(f"{live_url}/auth/sign-in")
    page.fill("#pw-email", email)
    page.fill("#pw-password", password)
    page.locator("form[action='/auth/password'] button[type=submit]").click()
    page.wait_for_load_state()


def test_bell_list_settings_and_activity_are_accessible(page, live_url, notes_space, make_user,
                                                        note, happen, outbox):
    space = notes_space("quartier-nord", visibility="public")
    reader = make_user(member_of=space, password="long-enough-password")
    author = make_user(member_of=space, name="Karim Animateur")
    for title in ("Compte rendu de mars", "Ordre du jour d'avril"):
        happen("notes.note.created", space, note(space, title), actor=author)
    happen("notes.meeting.moved", space, note(space, "Réunion du 12"), actor=author)

    sign_in_browser(page, live_url, reader.email, "long-enough-password")
    bell = page.locator("a.bell")
    assert "3" in bell.inner_text()
    bell.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_url}/notifications")
    assert page.locator("h1").inner_text() == "Notifications"
    assert axe_violations(page) == []
    page.get_by_role("button", name="Tout marquer comme lu").click()
    page.wait_for_load_state()
    assert page.locator("a.bell .badge").count() == 0

    page.goto(f"{live_url}/me/")
    page.check("#mode-email-weekly")
    page.get_by_role("button", name="Enregistrer mes réglages de notification").click()
    page.wait_for_load_state()
    assert page.is_checked("#mode-email-weekly")
    assert axe_violations(page) == []

    page.goto(f"{live_url}/s/quartier-nord/activity")
    assert page.get_by_text("Compte rendu de mars").count() == 1
    assert axe_violations(page) == []

    # The mute link of the urgent mail, opened in a browser that is not signed in.
    link = re.findall(r"http://localhost(/mute/[\w.-]+)", mail_text(outbox(reader.email)[0]))[-1]
    page.context.clear_cookies()
    page.goto(live_url + link)
    assert axe_violations(page) == []
    page.get_by_role("button", name="Arrêter ces notifications").click()
    page.wait_for_load_state()
    assert "ne serez plus informé" in page.locator("h1").inner_text()
