"""On a small phone (320 CSS px: WCAG 1.4.10 reflow, also a desktop zoomed to 400 %) no page
scrolls sideways, and on a 375 px phone the header leaves the page's title near the top.

The pages are found the way a visitor finds them: following the links of the demo city from the
front page, signed out and then signed in as the city's administrator (who sees every kind of
page: spaces, agenda, meetings, documents, pages, search, notifications, management, admin),
one page per kind of address.  The test fails if a listed kind was never reached, so a renamed
address cannot silently shrink what is checked.
"""
from __future__ import annotations

import re
from urllib.parse import urlparse

import pytest

pytestmark = pytest.mark.browser

PASSWORD = "demo-password-for-tests"
SKIPPED = re.compile(r"^/(api|static|assets|auth/sign-out|auth/link)|\.(ics|csv|rss|atom|xml|json"
                     r"|pdf|png|jpe?g|odt|docx?)$|/(download|feed|export|raw)(/|$)")


@pytest.fixture
def placette_plugins():
    return ["agenda", "documents", "pages"]


def _kind(path: str) -> str:
    """One address per kind: space slugs and numbers do not make a new kind of page."""
    path = re.sub(r"^/s/[^/]+", "/s/*", path)
    return re.sub(r"/[^/]*\d[^/]*(?=/|$)", "/#", path.rstrip("/")) or "/"


def _crawl(client, start: list[str], limit: int = 90) -> dict[str, str]:
    """``{kind: path}`` of the same-site HTML pages reachable from ``start`` (by GET links)."""
    found: dict[str, str] = {}
    queue = list(start)
    while queue and len(found) < limit:
        path = queue.pop(0)
        kind = _kind(path)
        if kind in found:
            continue
        response = client.get(path)
        if response.status_code != 200 or "text/html" not in response.content_type:
            continue
        found[kind] = path
        for href in re.findall(r'href="([^"#]+)', response.get_data(as_text=True)):
            url = urlparse(href.replace("&amp;", "&"))
            if url.netloc or not url.path.startswith("/") or SKIPPED.search(url.path):
                continue
            target = url.path + (f"?{url.query}" if url.query and "lang=" not in url.query
                                 else "")
            if _kind(target.split("?")[0]) not in found:
                queue.append(target)
    return found


def _overflow(page, url: str) -> str | None:
    page.goto(url)
    width = page.evaluate("document.documentElement.scrollWidth")
    if width <= 320:
        return None
    culprits = page.evaluate("""() => [...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > 320.5)
        .slice(0, 4).map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : '')
                                + ' ' + Math.round(e.getBoundingClientRect().right))""")
    return f"{url}: {width} px wide ({', '.join(culprits)})"


def _sign_in(page, live_url, email):
    page.goto(f"{live_url}/auth/sign-in")
    page.fill("#pw-email", email)
    page.fill("#pw-password", PASSWORD)
    page.locator("#pw-password").press("Enter")
    page.wait_for_url(f"{live_url}/")


def test_no_page_scrolls_sideways_at_320_px(app, client, demo_city, live_url, browser):
    admin = demo_city.accounts["admin"]
    signed_out = _crawl(client, ["/", "/auth/sign-in", "/search?q=conseil"])
    client.post("/auth/password", data={"pw-email": admin.email, "pw-password": PASSWORD})
    signed_in = _crawl(client, ["/", "/search?q=conseil", "/notifications", "/admin",
                                "/profile"])

    visited = " ".join(list(signed_out.values()) + list(signed_in.values()))
    for expected in ("/auth/sign-in", "/s/", "/agenda", "/documents", "/pages/", "/search",
                     "/notifications", "/admin", "/manage"):
        assert expected in visited, f"no page under {expected} was reached: {visited}"

    context = browser.new_context(viewport={"width": 320, "height": 640}, locale="fr-FR")
    page = context.new_page()
    problems = [p for p in (_overflow(page, live_url + path) for path in signed_out.values()) if p]
    _sign_in(page, live_url, admin.email)
    problems += [p for p in (_overflow(page, live_url + path) for path in signed_in.values()) if p]
    context.close()
    assert not problems, "pages wider than 320 px:\n" + "\n".join(problems)


def _header_height(page) -> float:
    """Pixels above the page's main heading (the header, then the title's own margin)."""
    return page.evaluate("document.querySelector('main h1').getBoundingClientRect().top")


def test_the_phone_header_is_folded_and_leaves_the_title_near_the_top(app, demo_city, live_url,
                                                                       browser):
    """At 375 px, signed in (the fullest header), the title starts in the first 160 pixels."""
    admin = demo_city.accounts["admin"]
    context = browser.new_context(viewport={"width": 375, "height": 800}, locale="fr-FR")
    page = context.new_page()
    _sign_in(page, live_url, admin.email)
    top = _header_height(page)
    print(f"title starts at {top:.0f} px at 375 px wide, signed in")
    assert top <= 160, f"the header pushes the title down to {top:.0f} px"

    # Closed, the menu's links are out of the way; opened (no JavaScript needed), they are there.
    menu = page.locator("details.site-menu")
    assert not page.locator(".site-header").get_by_role("link", name="Notifications").is_visible()
    menu.locator("summary").focus()
    page.keyboard.press("Enter")
    assert page.locator(".site-header").get_by_role("link", name="Notifications").is_visible()
    assert page.locator(".site-header").get_by_role("searchbox").is_visible()
    context.close()

    # On a wide screen nothing is folded: the links are in view straight away.
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="fr-FR")
    page = context.new_page()
    _sign_in(page, live_url, admin.email)
    assert page.locator(".site-header").get_by_role("link", name="Notifications").is_visible()
    assert page.locator(".site-header").get_by_role("searchbox").is_visible()
    assert not page.locator("details.site-menu summary").is_visible()
    context.close()
