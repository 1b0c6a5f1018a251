"""In Chromium: commenting and replying work without JavaScript (forms post and redirect to the
comment's anchor) and with it (no full reload), and axe-core finds no serious violation on the
thread or the reply page."""
from __future__ import annotations

import pytest

from placette.testing import axe_violations

pytestmark = pytest.mark.browser


def _sign_in(page, live_url, email):
    page.set_default_timeout(15_000)
    page.goto(f"{live_url}/auth/sign-in")
    form = page.locator('form[action="/auth/password"]')
    form.locator('input[name="pw-email"]').fill(email)
    form.locator('input[name="pw-password"]').fill("a-long-password")
    form.locator('button[type="submit"]').click()
    page.wait_for_load_state()


@pytest.fixture
def writer(make_user, council):
    return make_user(member_of=council, name="Sophie Leroy", email="sophie@example.org",
                     password="a-long-password")


def _send(scope):
    scope.locator('button[type="submit"]:not([name="preview"])').first.click()


def test_comment_and_reply_without_javascript(browser, live_url, meeting, writer):
    context = browser.new_context(locale="fr-FR", java_script_enabled=False)
    page = context.new_page()
    try:
        _sign_in(page, live_url, "sophie@example.org")
        page.goto(live_url + meeting.url)
        assert axe_violations(page) == []     # the page a visitor without JavaScript gets
        form = page.locator("section.discussions form.discussions-form")
        form.locator("textarea[name=body]").fill("Sans JavaScript, ça marche **aussi**.")
        with page.expect_navigation():
            _send(form)
        assert "#comment-" in page.url
        comment = page.locator("article[id^=comment-]").first
        assert "ça marche" in comment.inner_text()
        with page.expect_navigation():
            comment.locator("a.discussions-reply").click()
        assert page.locator("h1").count() == 1
        page.locator("form.discussions-form textarea[name=body]").fill("Une réponse sans JS")
        with page.expect_navigation():
            _send(page.locator("form.discussions-form"))
        reply = page.locator(".discussions-replies article")
        assert reply.count() == 1 and "Une réponse sans JS" in reply.inner_text()
    finally:
        context.close()


def test_topic_follow_preview_and_reply_without_javascript(browser, live_url, council, people,
                                                           writer):
    """On a topic's page, without JavaScript: unfollow and follow again, preview who will be
    told, send the reply; axe finds nothing serious on the page."""
    from placette_plugins.discussions import topics
    topic = topics.create_topic(people["martine"], council, "Mobilité", "Vos idées ?")
    context = browser.new_context(locale="fr-FR", java_script_enabled=False)
    page = context.new_page()
    try:
        _sign_in(page, live_url, "sophie@example.org")
        page.goto(f"{live_url}/s/quartier-nord/discussions/topics/{topic.id}")
        with page.expect_navigation():
            page.get_by_role("button", name="Follow this topic").click()
        assert page.get_by_role("button", name="Unfollow this topic").count() == 1
        page.locator("#reply-body").fill("Merci @Martine Dupont et @Léa Martin")
        with page.expect_navigation():
            page.get_by_role("button", name="Preview").click()
        status = page.locator(".discussions-preview [role=status]").inner_text()
        assert "1 person will be told." in status and "Léa Martin" in status
        assert axe_violations(page) == []
        with page.expect_navigation():
            page.get_by_role("button", name="Send").click()
        assert "#post-" in page.url
        assert "Merci @Martine Dupont" in page.locator("ol.discussions-thread").inner_text()
    finally:
        context.close()


def test_comment_and_reply_with_javascript_without_reloading(page, live_url, meeting, writer):
    _sign_in(page, live_url, "sophie@example.org")
    page.goto(live_url + meeting.url)
    page.evaluate("window.__stayed = true")
    form = page.locator("section.discussions form.discussions-form").last
    form.locator("textarea[name=body]").fill("Avec JavaScript")
    _send(form)
    page.locator("article[id^=comment-]").first.wait_for()
    assert "Avec JavaScript" in page.locator("article[id^=comment-]").first.inner_text()
    assert page.evaluate("window.__stayed === true")            # no full reload
    assert page.evaluate("document.activeElement.id").startswith("comment-")
    page.locator("a.discussions-reply").first.click()
    inline = page.locator("article[id^=comment-] + form.discussions-form")
    inline.wait_for()
    inline.locator("textarea[name=body]").fill("Réponse en place")
    _send(inline)
    page.locator(".discussions-replies article").first.wait_for()
    assert "Réponse en place" in page.locator(".discussions-replies").inner_text()
    assert page.evaluate("window.__stayed === true")
    assert axe_violations(page) == []
    page.goto(live_url + page.locator("a.discussions-reply").first.get_attribute("href"))
    assert page.locator("h1").count() == 1
    assert axe_violations(page) == []                  # the reply page, as without JavaScript


def test_mention_suggestions_with_javascript_are_an_accessible_listbox(
        page, live_url, meeting, writer, people, make_user):
    """"@Mar" lists Martine (a member) but not Marc (who may not see the meeting) in a listbox
    the keyboard drives: arrows move, Enter mentions, Escape closes; a status announces it."""
    make_user(name="Marc Dehors")                                   # not a member
    make_user(name="Marius Voisin", member_of=meeting.space)
    _sign_in(page, live_url, "sophie@example.org")
    page.goto(live_url + meeting.url)
    area = page.locator("section.discussions form.discussions-form textarea[name=body]").last
    area.click()
    area.type("Merci @Mar")
    listbox = page.locator("[role=listbox]")
    listbox.wait_for()
    options = listbox.locator("[role=option]")
    assert options.all_inner_texts() == ["Marius Voisin", "Martine Dupont"]
    assert area.get_attribute("aria-controls") == listbox.get_attribute("id")
    assert "2" in page.locator("[role=status]").last.inner_text()
    assert axe_violations(page) == []                               # with the listbox open
    area.press("ArrowDown")
    assert area.get_attribute("aria-activedescendant") == options.nth(1).get_attribute("id")
    assert options.nth(1).get_attribute("aria-selected") == "true"
    area.press("Enter")
    assert area.input_value() == "Merci @Martine Dupont "          # mentioned, not sent
    assert listbox.is_hidden()
    area.type("et @Ma")
    options.first.wait_for()
    area.press("Escape")
    assert listbox.is_hidden() and area.input_value() == "Merci @Martine Dupont et @Ma"


def test_edit_in_place_with_javascript(page, live_url, meeting, writer, comment_on):
    """"Edit" opens the form where the text was, "Cancel" puts it back, "Save" changes it with
    the "edited" mark -- no full reload, the focus on the edited comment."""
    comment = comment_on(meeting, writer, "Premier jet")
    _sign_in(page, live_url, "sophie@example.org")
    page.goto(live_url + meeting.url)
    page.evaluate("window.__stayed = true")
    article = page.locator(f"#comment-{comment.id}")
    article.locator("a.discussions-edit").click()
    form = article.locator("form.discussions-edit-form")
    form.wait_for()
    assert article.locator(".discussions-body").is_hidden()
    assert page.evaluate("document.activeElement.name") == "body"
    assert axe_violations(page) == []                               # with the form open
    form.locator("a.discussions-cancel").click()
    assert form.count() == 0 and "Premier jet" in article.inner_text()
    article.locator("a.discussions-edit").click()
    form.wait_for()
    form.locator("textarea[name=body]").fill("Version revue")
    form.locator('button[type="submit"]').click()
    page.locator(f"#comment-{comment.id} .discussions-edited").wait_for()
    assert "Version revue" in page.locator(f"#comment-{comment.id}").inner_text()
    assert page.evaluate("window.__stayed === true")                # no full reload
    assert page.evaluate("document.activeElement.id") == f"comment-{comment.id}"


def test_a_long_topic_pages_without_javascript_and_an_older_link_finds_its_reply(
        browser, live_url, council, people, writer):
    """Fifty replies a page, "Next" a plain link; a link written before replies were paged
    (``…/topics/<id>#post-<id>``) to a reply on another page is sent on to it by the script."""
    from placette_plugins.discussions import topics
    topic = topics.create_topic(people["martine"], council, "Plan vélo", "Vos idées ?")
    posts = [topics.reply(people["youssef"], topic, f"Réponse {n}", notify=False)
             for n in range(60)]
    url = f"{live_url}/s/quartier-nord/discussions/topics/{topic.id}"
    plain = browser.new_context(locale="fr-FR", java_script_enabled=False)
    page = plain.new_page()
    try:
        _sign_in(page, live_url, "sophie@example.org")
        page.goto(url)
        assert page.locator("ol.discussions-thread > li").count() == 50
        with page.expect_navigation():
            page.locator('nav.pager a[rel="next"]').click()
        assert page.locator(f"#post-{posts[55].id}").count() == 1
    finally:
        plain.close()
    scripted = browser.new_context(locale="fr-FR")
    page = scripted.new_page()
    try:
        _sign_in(page, live_url, "sophie@example.org")
        page.goto(f"{url}#post-{posts[55].id}")
        page.wait_for_url(f"**/topics/{topic.id}?page=2#post-{posts[55].id}")
        assert page.locator(f"#post-{posts[55].id}").is_visible()
    finally:
        scripted.close()
