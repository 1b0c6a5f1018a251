"""Moderation and search as people meet them: in the demo city, and in a real browser."""
from __future__ import annotations

import pytest

from placette.models import ModerationCase, Resource, User
from placette.notes import publish_note
from placette.testing import axe_violations

from search_helpers import titles


def test_the_demo_city_has_a_moderation_queue_and_searchable_notes(app, client, sign_in):
    from placette.demo.city import seed
    seed("demo-password", log=lambda *_: None)
    animator = User.get(User.email == "animatrice@example.org")
    sign_in(animator)
    queue = client.get("/s/quartier-centre-ville/moderation").get_data(as_text=True)
    assert "Promo exceptionnelle" in queue and "Les élus ne servent à rien" in queue
    assert Resource.select().where(Resource.state == "hidden").count() >= 1
    assert Resource.select().where(Resource.state == "pending").count() >= 1
    assert ModerationCase.select().where(ModerationCase.open == True).count() >= 3  # noqa: E712
    assert "Compte rendu de la réunion du conseil de quartier" in titles(client, "reunions")
    member = User.get(User.email == "membre@example.org")
    sign_in(member)
    assert titles(client, "promo cuisines") == []   # hidden by three reports


@pytest.mark.browser
def test_search_and_queue_pages_are_accessible(app, live_url, page, make_space, make_user):
    space = make_space("centre", visibility="network")
    make_user(email="karim@example.org", member_of=space, role="animator",
                         password="un-mot-de-passe-solide")
    author = make_user(member_of=space)
    reporter = make_user(member_of=space)
    note = publish_note(space, author, "Réunion <du> conseil", "La réunion aura lieu mardi.")
    from placette.moderation.service import report
    report(reporter, note, "Date fausse", "other")

    page.goto(f"{live_url}/auth/sign-in")
    page.locator("form[action$='/auth/password'] input[type=email]").fill("karim@example.org")
    page.locator("form[action$='/auth/password'] input[type=password]").fill(
        "un-mot-de-passe-solide")
    with page.expect_navigation():
        page.locator("form[action$='/auth/password'] button[type=submit]").click()

    page.goto(f"{live_url}/")
    page.fill("#site-search", "reunions")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("h3.result-title mark").first.inner_text() == "Réunion"
    assert page.locator("h3.result-title").inner_text() == "Réunion <du> conseil"
    assert axe_violations(page) == []

    page.goto(f"{live_url}/s/centre/moderation")
    assert "Date fausse" in page.locator("table.moderation-queue").inner_text()
    assert axe_violations(page) == []
    with page.expect_navigation():
        page.locator("table.moderation-queue a", has_text="Review").first.click()
    page.fill("textarea[name='hide-reason']", "Merci de vérifier la date.")
    with page.expect_navigation():
        page.locator("button[value=hide]").click()
    assert "The author can read your reason" in page.locator("main").inner_text()
    assert Resource.get_by_id(note.id).state == "hidden"
    assert axe_violations(page) == []
