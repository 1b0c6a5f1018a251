"""In a real browser (Chromium): no serious accessibility violation (axe-core) on the agenda's
pages, and the month grid and the RSVP buttons work with the keyboard alone."""
from __future__ import annotations

import datetime as dt

import pytest

from placette.testing import axe_violations

pytestmark = pytest.mark.browser


@pytest.fixture
def signed_in_page(page, live_url, council, make_user):
    karim = make_user(member_of=council, role="animator", password="a-long-password",
                      email="karim@example.org")

    def go():
        page.goto(f"{live_url}/auth/sign-in")
        form = page.locator('form[action="/auth/password"]')
        form.locator('input[name="pw-email"]').fill("karim@example.org")
        form.locator('input[name="pw-password"]').fill("a-long-password")
        form.locator('button[type="submit"]').click()
        page.wait_for_load_state()
        return karim
    return go


def test_agenda_pages_are_accessible_and_keyboard_usable(page, live_url, signed_in_page,
                                                         council, make_meeting, local_now):
    karim = signed_in_page()
    start = local_now.replace(day=15, hour=18, minute=0)
    meeting = make_meeting(council, karim, title="Réunion de quartier", starts_at=start,
                           ends_at=start + dt.timedelta(hours=2), capacity=10,
                           description="Ordre du jour : **le square**.")
    upcoming = make_meeting(council, karim, title="Réunion à venir", days=3)
    for path in ("/s/quartier-nord/agenda/", f"/s/quartier-nord/agenda/?view=month&month="
                 f"{start:%Y-%m}", "/s/quartier-nord/agenda/new", "/agenda/",
                 f"/s/quartier-nord/agenda/{upcoming.id}", "/agenda/calendar", "/"):
        page.goto(live_url + path)
        assert page.locator("h1").count() == 1, path
        assert axe_violations(page) == [], path
    # month grid: reach the meeting with Tab from the month navigation, open it with Enter
    page.goto(f"{live_url}/s/quartier-nord/agenda/?view=month&month={start:%Y-%m}")
    page.locator('a[rel="next"]').focus()
    # (other meetings of the month may come first in the grid, whatever today's date is)
    for _ in range(60):
        page.keyboard.press("Tab")
        if "Réunion de quartier" in page.evaluate("document.activeElement.textContent"):
            break
    assert page.evaluate("document.activeElement.closest('#agenda-grid') !== null")
    assert "Réunion de quartier" in page.evaluate("document.activeElement.textContent")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(f"/s/quartier-nord/agenda/{meeting.id}")
    # answer with the keyboard
    page.goto(f"{live_url}/s/quartier-nord/agenda/{upcoming.id}")
    page.locator('button[name="answer"][value="yes"]').focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator('button[name="answer"][value="yes"][aria-pressed="true"]').count() == 1
