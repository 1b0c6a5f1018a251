"""In Chromium: a member selects a passage of a paragraph, comments on it (the small script
fills in the paragraph and the quote; the form posts normally), finds the comment in the margin
with its quote and its state on the paragraph's page; axe-core finds no serious violation on the
draft page and on the paragraph page (the no-JavaScript way to comment); an old "#comment-" link
to the draft page is followed to the comment."""
from __future__ import annotations

import pytest
from drafting_helpers import ids_of

from placette.testing import axe_violations

pytestmark = pytest.mark.browser


@pytest.fixture
def reader(make_user, council):
    return make_user(member_of=council, name="Martine Durand", email="martine@example.org",
                     password="a-long-password")


def _sign_in(page, live_url, email):
    page.set_default_timeout(15_000)
    page.goto(f"{live_url}/auth/sign-in")
    form = page.locator('form[action="/auth/password"]')
    form.locator('input[name="pw-email"]').fill(email)
    form.locator('input[name="pw-password"]').fill("a-long-password")
    form.locator('button[type="submit"]').click()
    page.wait_for_load_state()


SELECT = """([pid, words]) => {
  const body = document.querySelector(`[data-paragraph="${pid}"]`);
  const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
  let node;
  while ((node = walker.nextNode())) {
    const at = node.textContent.indexOf(words);
    if (at >= 0) {
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + words.length);
      const selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      body.dispatchEvent(new MouseEvent("mouseup", {bubbles: true}));
      return true;
    }
  }
  return false;
}"""


def test_commenting_a_selected_passage(page, live_url, reader, make_draft):
    draft = make_draft(state="consultation")
    pid = ids_of(draft)[2]
    _sign_in(page, live_url, "martine@example.org")
    page.goto(f"{live_url}/s/quartier-nord/drafting/{draft.id}")
    assert axe_violations(page) == []
    assert page.evaluate(SELECT, [pid, "trop étroits"])
    button = page.locator("button.drafting-quote-button")
    button.wait_for()
    button.focus()
    page.keyboard.press("Enter")                 # keyboard works as well as a click
    form = page.locator(f"#paragraph-{pid} form.drafting-quote-form")
    form.wait_for()
    assert form.locator("q.drafting-selected").inner_text() == "trop étroits"
    assert page.evaluate("document.activeElement.name") == "body"
    page.keyboard.type("Et pour les fauteuils roulants ?")
    with page.expect_navigation():
        form.locator('button[type="submit"]').click()
    # Back on the paragraph's page, at the comment, with its quote and its state.
    assert f"/paragraphs/{pid}" in page.url and "#comment-" in page.url
    comment_id = page.url.rsplit("#comment-", 1)[1]
    shown = page.locator(f"#comment-{comment_id}")
    assert "Et pour les fauteuils roulants ?" in shown.inner_text()
    assert "trop étroits" in shown.locator("blockquote").inner_text()
    assert "Anchored" in shown.inner_text()
    assert axe_violations(page) == []
    # The draft page sums it up; its paragraph's page is one keyboard step away.
    page.goto(f"{live_url}/s/quartier-nord/drafting/{draft.id}")
    margin = page.locator(f"#paragraph-{pid} .drafting-margin")
    assert "1 comment" in margin.inner_text()
    link = margin.get_by_role("link", name="Discuss paragraph 3")
    link.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(f"/paragraphs/{pid}")
    assert axe_violations(page) == []
    # A link written before comments moved (in an older notification) still lands on it.
    page.goto(f"{live_url}/s/quartier-nord/drafting/{draft.id}#comment-{comment_id}")
    page.wait_for_url(f"**/paragraphs/{pid}#comment-{comment_id}")
    assert "Et pour les fauteuils roulants ?" in page.locator(
        f"#comment-{comment_id}").inner_text()


def test_the_drafting_group_pages_pass_axe(page, live_url, make_user, council, make_draft):
    from drafting_helpers import TEXT
    from placette.spaces import add_member
    from placette_plugins.drafting import service
    writer = make_user(name="Karim Rédacteur", email="karim@example.org",
                       password="a-long-password")
    add_member(council, writer, "animator")
    draft = make_draft(state="consultation")
    service.save(draft, writer, TEXT.replace("avenue Jaurès", "avenue A"), 1, "précision")
    _sign_in(page, live_url, "karim@example.org")
    base = f"{live_url}/s/quartier-nord/drafting/{draft.id}"
    for path in ("/edit", "/versions", "/diff?from=1&to=2"):
        page.goto(base + path)
        assert axe_violations(page) == [], path
    page.goto(base + "/edit")
    page.locator("input[name=base_version]").evaluate("(el) => el.value = '1'")
    page.locator("textarea[name=body]").fill(TEXT.replace("avenue Jaurès", "avenue B"))
    with page.expect_navigation():
        page.get_by_role("button", name="Save a new version").click()
    assert "avenue A" in page.locator("table.drafting-conflict").inner_text()
    assert axe_violations(page) == []
