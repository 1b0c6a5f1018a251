"""The admin pages in a real browser (Chromium): Claire creates a group under two councils,
switches a module on, saves its settings -- without JavaScript-only controls -- and axe-core finds
no serious accessibility problem on the pages she visits."""
from __future__ import annotations

import pytest

from placette.testing import axe_violations

from gate_plugins import alpha_plugin

pytestmark = pytest.mark.browser


@pytest.fixture
def placette_extra_plugins():
    return {"alpha": alpha_plugin()}


def test_claire_sets_up_a_working_group(page, live_url, make_space, make_user):
    make_space("nord", name="Conseil Nord", visibility="public")
    make_space("sud", name="Conseil Sud", visibility="public")
    make_user("claire@example.org", "Claire", admin=True, password="correct horse battery",
              language="en")
    visited: dict[str, list] = {}

    def check(name: str) -> None:
        visited[name] = axe_violations(page)

    page.goto(f"{live_url}/auth/sign-in")
    page.fill("#pw-email", "claire@example.org")
    page.fill("#pw-password", "correct horse battery")
    page.click("form[action='/auth/password'] button[type=submit]")
    page.goto(f"{live_url}/admin/spaces/new")
    check("new space")
    page.fill("#name", "Mobilité douce")
    page.fill("#slug", "mobilite")
    page.select_option("#kind", "group")
    page.check("input[name=visibility][value=members]")
    page.select_option("#parents", label=["Conseil Nord", "Conseil Sud"])
    page.click("main form button[type=submit]")
    assert page.url.endswith("/s/mobilite/manage/")
    check("manage overview")

    page.goto(f"{live_url}/s/mobilite/manage/modules")
    check("modules")
    page.click("text=Switch on Alpha")
    assert "Enabled: alpha" in page.content()
    page.goto(f"{live_url}/s/mobilite/manage/modules/alpha/settings")
    check("settings")
    page.fill("#limit", "500")
    page.click("main form button[type=submit]")
    assert page.locator("#limit[aria-invalid=true]").count() == 1
    page.fill("#limit", "12")
    page.click("main form button[type=submit]")
    assert "Settings saved." in page.content()

    for name, path in (("members", "/s/mobilite/manage/members"),
                       ("grants", "/s/mobilite/manage/grants"),
                       ("invitations", "/s/mobilite/manage/invitations"),
                       ("admin spaces", "/admin/spaces"), ("audit", "/admin/audit"),
                       ("space home", "/s/mobilite")):
        page.goto(live_url + path)
        check(name)
    assert "Conseil Nord" in page.content() and "Alpha things" in page.content()
    page.goto(f"{live_url}/s/mobilite/alpha/")
    assert "limit 12" in page.content()
    assert {name: v for name, v in visited.items() if v} == {}
