"""A member confirms their number and switches texts on with the keyboard only, in a real
browser (the Twilio stub receives the code); the profile page and the animators' log pass
axe-core."""
import datetime as dt

import pytest

from placette.testing import axe_violations

pytestmark = pytest.mark.browser
PASSWORD = "correct horse battery"


def sign_in(page, live_url, person):
    page.goto(f"{live_url}/auth/sign-in")
    by_password = page.locator("section[aria-labelledby=by-password]")
    by_password.locator("input[type=email]").fill(person.email)
    by_password.locator("input[type=password]").fill(PASSWORD)
    by_password.locator("input[type=password]").press("Enter")
    page.wait_for_url(f"{live_url}/")


def test_a_member_confirms_a_number_with_the_keyboard(live_url, page, council, make_user,
                                                      twilio):
    lea = make_user("lea@example.org", "Léa Membre", member_of=council, password=PASSWORD)
    sign_in(page, live_url, lea)
    page.goto(f"{live_url}/me/sms")
    assert axe_violations(page) == []
    page.get_by_label("Mobile phone number").fill("06 12 34 56 78")
    page.get_by_label("Mobile phone number").press("Enter")
    page.wait_for_url("**/me/sms#sms-code")
    assert "A code was sent by text to 06 12 34 56 78." in page.locator(".flashes").inner_text()
    assert axe_violations(page) == []
    code = twilio.sent[0]["Body"].split()[0]
    page.get_by_label("Code received by text").fill(code)
    page.get_by_label("Code received by text").press("Enter")
    page.wait_for_url("**/me/sms")
    assert "Your number is confirmed." in page.locator(".flashes").inner_text()
    assert page.get_by_label("Send me meeting reminders and urgent changes by text").is_checked()
    assert axe_violations(page) == []


def test_the_animators_log_is_accessible(live_url, page, council, make_user, texting,
                                         make_meeting):
    from placette_plugins.agenda import reminders, rsvp
    karim = make_user("karim@example.org", "Karim", member_of=council, role="animator",
                      password=PASSWORD)
    meeting = make_meeting(council, karim, days=3)
    for _ in range(3):
        rsvp.answer(meeting, texting(), "yes")
    reminders.send_due(meeting.starts_at - dt.timedelta(hours=47))
    sign_in(page, live_url, karim)
    page.goto(f"{live_url}/s/quartier-nord/sms/")
    assert "3 texts sent this month" in page.locator("main").inner_text()
    assert axe_violations(page) == []
