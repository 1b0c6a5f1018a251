"""The site's footer links to the city's pages -- charter, accessibility statement, legal notice --
on every page (error pages and sign-in included), as each visitor may see them, for one query."""
from __future__ import annotations

import re

import placette
import pytest
from moderation_helpers import hide, resource_of

FOOTER = re.compile(r'<nav class="sub-nav site-pages" aria-label="About this site">(.*?)</nav>',
                    re.DOTALL)


def footer_links(html: str) -> list[tuple[str, str]]:
    """``(href, text)`` of the footer's page links; ``[]`` when the footer has none."""
    start = html.find('<footer class="site-footer"')
    match = FOOTER.search(html[start:] if start >= 0 else html)
    return re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', match.group(1)) if match else []


@pytest.fixture
def city_pages(ville, people, make_page):
    make_page(ville, people["admin"], "Mentions légales", position=30)
    make_page(ville, people["admin"], "Charte de la participation", position=10)
    make_page(ville, people["admin"], "Déclaration d'accessibilité", position=20)
    return [("/s/ville/pages/charte-de-la-participation", "Charte de la participation"),
            ("/s/ville/pages/declaration-d-accessibilite", "Déclaration d&#39;accessibilité"),
            ("/s/ville/pages/mentions-legales", "Mentions légales")]


def test_the_footer_lists_the_citys_pages_on_every_page(client, sign_in, people, council,
                                                        city_pages, make_page):
    make_page(council, people["animator"], "Notre fonctionnement")  # a council's: not there
    anonymous = {"/": 200, "/auth/sign-in": 200, "/spaces": 200, "/no/such/page": 404,
                 "/s/quartier-nord": 404, "/s/ville/pages/": 200,
                 "/s/ville/pages/mentions-legales": 200}
    for path, status in anonymous.items():
        response = client.get(path)
        assert response.status_code == status, path
        assert footer_links(response.get_data(as_text=True)) == city_pages, path
    sign_in(people["member"])
    for path in ("/", "/s/quartier-nord", "/s/quartier-nord/pages/",
                 "/s/quartier-nord/pages/notre-fonctionnement", "/me/"):
        response = client.get(path, follow_redirects=True)
        assert response.status_code == 200, path
        assert footer_links(response.get_data(as_text=True)) == city_pages, path


def test_the_current_page_is_marked_in_the_footer(client, city_pages):
    html = client.get("/s/ville/pages/mentions-legales").get_data(as_text=True)
    footer = html[html.find('<footer class="site-footer"'):]
    assert re.search(r'<a href="/s/ville/pages/mentions-legales" aria-current="page">', footer)
    assert footer.count('aria-current="page"') == 1


def test_the_kept_footer_follows_a_renamed_page_the_language_and_the_page_one_is_on(
        client, city_pages, people):
    """The footer's markup is kept per set of links, language and page of the plugin
    (pages/slots.py): what it is made of changes, what it shows changes at once."""
    from placette_plugins.pages import service
    from placette_plugins.pages.models import Page
    client.get("/spaces")  # rendered (and kept) once
    page = Page.get(Page.title == "Charte de la participation")
    service.update_page(page, people["admin"], {"title": "Charte de la participation 2027"})
    links = footer_links(client.get("/spaces").get_data(as_text=True))
    assert ("/s/ville/pages/charte-de-la-participation", "Charte de la participation 2027") \
        in links
    here = client.get("/s/ville/pages/mentions-legales").get_data(as_text=True)
    there = client.get("/s/ville/pages/charte-de-la-participation").get_data(as_text=True)
    for html, marked in ((here, "mentions-legales"), (there, "charte-de-la-participation")):
        footer = html[html.find('<footer class="site-footer"'):]
        assert footer.count('aria-current="page"') == 1
        assert f'<a href="/s/ville/pages/{marked}" aria-current="page">' in footer
    french = client.get("/spaces", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    english = client.get("/spaces", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert 'aria-label="À propos du site"' in french
    assert 'aria-label="About this site"' in english


def test_the_footer_shows_each_visitor_only_what_they_may_see(
        client, sign_in, people, ville, make_page, make_user):
    make_page(ville, people["admin"], "Charte")
    make_page(ville, people["admin"], "Réservé aux membres", visibility="members")
    make_page(ville, people["admin"], "Brouillon", visibility="animators")
    titles = lambda: [t for _h, t in footer_links(client.get("/").get_data(as_text=True))]
    assert titles() == ["Charte"]
    sign_in(people["stranger"])  # signed in, not a member of the city space
    assert titles() == ["Charte"]
    sign_in(make_user(member_of=ville))
    assert titles() == ["Charte", "Réservé aux membres"]
    sign_in(people["admin"])  # the city space's admin
    assert titles() == ["Brouillon", "Charte", "Réservé aux membres"]


def test_a_private_city_space_keeps_its_pages_out_of_strangers_footers(
        client, sign_in, make_space, make_user, make_page):
    city = make_space("mairie", visibility="private", kind="city", plugins=["pages"])
    clerk = make_user(member_of=city, role="animator")
    make_page(city, clerk, "Règles internes")
    assert footer_links(client.get("/").get_data(as_text=True)) == []
    sign_in(make_user())
    assert footer_links(client.get("/").get_data(as_text=True)) == []
    sign_in(clerk)
    assert footer_links(client.get("/").get_data(as_text=True)) == [
        ("/s/mairie/pages/regles-internes", "Règles internes")]


def test_a_page_hidden_by_moderation_leaves_the_footer(client, sign_in, people, ville,
                                                       make_page, make_user):
    page = make_page(ville, people["admin"], "Mentions légales")
    reporter = make_user(member_of=ville)
    hide(client, sign_in, reporter, people["admin"], resource_of("pages", "page", page.id))
    for person in (None, reporter, people["admin"]):
        if person is not None:
            sign_in(person)
        assert footer_links(client.get("/").get_data(as_text=True)) == [], person


def test_only_the_first_city_space_and_only_where_the_plugin_is_on(
        client, people, ville, make_space, make_user, make_page):
    from placette.modules import set_module
    make_page(ville, people["admin"], "Charte")
    other_city = make_space("autre-ville", visibility="public", kind="city", plugins=["pages"])
    make_page(other_city, make_user(member_of=other_city, role="animator"), "Autre charte")
    assert footer_links(client.get("/").get_data(as_text=True)) == [
        ("/s/ville/pages/charte", "Charte")]
    set_module(ville, "pages", False)  # disabled means gone: the footer too
    assert footer_links(client.get("/").get_data(as_text=True)) == []


def test_no_city_space_no_links_and_no_error(client, make_space, make_user, make_page):
    council = make_space("quartier-sud", visibility="public", plugins=["pages"])
    make_page(council, make_user(member_of=council, role="animator"), "Notre fonctionnement")
    response = client.get("/")
    assert response.status_code == 200
    assert footer_links(response.get_data(as_text=True)) == []


def test_the_footer_costs_one_query_whatever_the_number_of_pages(
        app, client, sign_in, people, ville, council, make_page, count_queries):
    from flask_login import login_user

    def slot_queries(user=None) -> int:
        with app.test_request_context("/"):
            if user is not None:
                login_user(user)
                placette.roles_of(user)  # the request's memo, read by every permission check
            return count_queries(lambda: placette.render_slot("footer"))

    def page_queries(path: str) -> int:
        client.get(path)  # warm
        return count_queries(lambda: client.get(path))

    make_page(ville, people["admin"], "Charte")
    few = {"anonymous": slot_queries(), "member": slot_queries(people["member"]),
           "admin": slot_queries(people["admin"])}
    sign_in(people["member"])
    pages_few = {p: page_queries(p) for p in ("/", "/s/quartier-nord", "/spaces")}
    for number in range(9):
        make_page(ville, people["admin"], f"Page {number}", visibility="members"
                  if number % 3 == 0 else None)
    assert few == {"anonymous": 1, "member": 1, "admin": 1}
    assert {"anonymous": slot_queries(), "member": slot_queries(people["member"]),
            "admin": slot_queries(people["admin"])} == few
    assert {p: page_queries(p) for p in pages_few} == pages_few
    with app.test_request_context("/"):
        assert len(footer_links(str(placette.render_slot("footer")))) == 7


def test_the_footer_never_breaks_a_page(app, monkeypatch, client, ville, people, make_page):
    """A failing query (the database gone, on an error page) leaves the footer without links:
    the slot itself returns nothing instead of raising (the kernel would also skip it)."""
    from types import SimpleNamespace

    from flask_login import AnonymousUserMixin
    from placette_plugins.pages import service, slots
    make_page(ville, people["admin"], "Charte")

    def broken(actor, limit=service.FOOTER_MAX):
        raise RuntimeError("database unavailable")

    monkeypatch.setattr(service, "footer_links", broken)
    with app.test_request_context("/"):
        assert slots.footer(SimpleNamespace(actor=AnonymousUserMixin(), space=None)) is None
    response = client.get("/")
    assert response.status_code == 200 and footer_links(response.get_data(as_text=True)) == []


@pytest.mark.parametrize("placette_plugins", [["pages", "agenda"]])
def test_the_footer_is_there_on_another_plugins_page_where_pages_is_off(
        client, sign_in, people, council, city_pages):
    from placette.modules import set_module
    set_module(council, "agenda", True)
    set_module(council, "pages", False)
    sign_in(people["member"])
    kernel_page = client.get("/s/quartier-nord/activity")  # a kernel page of the space: fine
    assert footer_links(kernel_page.get_data(as_text=True)) == city_pages
    agenda = client.get("/s/quartier-nord/agenda/")  # another plugin's page (g.space is set)
    assert agenda.status_code == 200
    assert footer_links(agenda.get_data(as_text=True)) == city_pages
