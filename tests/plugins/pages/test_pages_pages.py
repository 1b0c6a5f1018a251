"""The pages as people use them: an animator writes, changes and deletes a page; members read it;
whoever may not see it gets 404; bad input gives a message next to its field and loses nothing."""
from __future__ import annotations

import re

from placette_plugins.pages.models import Page

FORM = "/s/quartier-nord/pages/new"
MENU = re.compile(r'<li><a href="/s/quartier-nord/pages/"\s*(aria-current="page")?>Pages</a></li>')


def _field_errors(html: str, field: str) -> list[str]:
    """The error messages shown next to one field (inside its ``div.field``)."""
    match = re.search(rf'<div class="field has-error">\s*<label for="{field}">.*?</div>', html,
                      re.DOTALL)
    return re.findall(r'<p class="error" role="alert">(.*?)</p>', match.group(0)) if match \
        else []


def test_an_animator_writes_a_page_members_read_it(client, sign_in, people, events):
    sign_in(people["animator"])
    form = client.get(FORM)
    assert form.status_code == 200
    html = form.get_data(as_text=True)
    for name in ("title", "slug", "body", "visibility", "position"):
        assert f'<label for="{name}">' in html
    response = client.post(FORM, data={
        "title": "How we work", "slug": "",
        "body": "# Meetings\n\nOnce a **month**.\n\n<script>alert(1)</script>",
        "visibility": "", "position": "5"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/s/quartier-nord/pages/how-we-work")
    [event] = events("pages.page.published")
    assert event["space"] == "quartier-nord" and event["data"]["title"] == "How we work"

    sign_in(people["member"])
    page = client.get("/s/quartier-nord/pages/how-we-work")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert '<h1 id="page-title">How we work</h1>' in text
    assert "<h2>Meetings</h2>" in text and "<strong>month</strong>" in text  # h1: the title
    assert "<script>alert(1)</script>" not in text and "&lt;script&gt;" in text
    assert re.search(r"Updated on <time datetime=\"[\d\-T:]+Z\">[^<]+</time> by Karim "
                     r"Animateur", text)
    assert "Report this content" in text  # the resource.footer slot, for members
    assert "/how-we-work/edit" not in text  # no change button for a member
    listing = client.get("/s/quartier-nord/pages/").get_data(as_text=True)
    assert 'href="/s/quartier-nord/pages/how-we-work">How we work</a>' in listing
    assert MENU.search(listing)  # the space's menu


def test_an_animator_changes_a_page_and_chooses_to_tell_the_members(
        client, sign_in, people, council, make_page, events):
    make_page(council, people["animator"], "How we work", "Monthly meetings.")
    sign_in(people["animator"])
    edit = client.get("/s/quartier-nord/pages/how-we-work/edit").get_data(as_text=True)
    assert 'value="How we work"' in edit and "Monthly meetings." in edit
    response = client.post("/s/quartier-nord/pages/how-we-work/edit", data={
        "title": "How the council works", "slug": "how-it-works", "body": "Weekly now.",
        "visibility": "", "position": "0"})
    assert response.status_code == 302
    assert client.get("/s/quartier-nord/pages/how-we-work").status_code == 404
    moved = client.get("/s/quartier-nord/pages/how-it-works").get_data(as_text=True)
    assert "How the council works" in moved and "Weekly now." in moved
    assert events("pages.page.updated") == []  # a change is not announced unless asked
    client.post("/s/quartier-nord/pages/how-it-works/edit", data={
        "title": "How the council works", "slug": "how-it-works", "body": "Every Monday.",
        "visibility": "", "position": "0", "notify": "y"})
    [event] = events("pages.page.updated")
    assert event["data"]["slug"] == "how-it-works" and event["actor"] == people["animator"].id


def test_an_animator_deletes_a_page_after_confirming(client, sign_in, people, council,
                                                     make_page):
    import placette
    page = make_page(council, people["animator"], "Old page", "Outdated text about wombats.")
    sign_in(people["animator"])
    confirm = client.get("/s/quartier-nord/pages/old-page/delete")
    assert confirm.status_code == 200
    assert "Delete the page Old page" in confirm.get_data(as_text=True)
    assert Page.get_or_none(Page.id == page.id) is not None  # asking is not deleting
    response = client.post("/s/quartier-nord/pages/old-page/delete")
    assert response.status_code == 302
    assert client.get("/s/quartier-nord/pages/old-page").status_code == 404
    assert Page.get_or_none(Page.id == page.id) is None
    assert placette.lookup_resource("pages", "page", page.id) is None
    search = client.get("/search", query_string={"q": "wombats"}).get_data(as_text=True)
    assert "Old page" not in search


def test_a_member_may_read_but_not_write_change_or_delete(client, sign_in, people, council,
                                                          make_page):
    make_page(council, people["animator"], "Charter", "Be kind.")
    sign_in(people["member"])
    assert client.get(FORM).status_code == 403
    assert client.post(FORM, data={"title": "Mine"}).status_code == 403
    assert client.get("/s/quartier-nord/pages/charter/edit").status_code == 403
    assert client.post("/s/quartier-nord/pages/charter/edit",
                       data={"title": "Changed", "body": ""}).status_code == 403
    assert client.post("/s/quartier-nord/pages/charter/delete").status_code == 403
    assert Page.get().title == "Charter" and Page.select().count() == 1
    listing = client.get("/s/quartier-nord/pages/").get_data(as_text=True)
    assert "/pages/new" not in listing and "/charter/edit" not in listing


def test_visitors_who_are_not_signed_in_read_public_pages_and_are_sent_to_sign_in_to_write(
        client, ville, council, people, make_page):
    make_page(ville, people["admin"], "Charter", "Be kind.")
    make_page(council, people["animator"], "Ours")
    assert "Be kind." in client.get("/s/ville/pages/charter").get_data(as_text=True)
    for path in ("/s/ville/pages/new", "/s/ville/pages/charter/edit",
                 "/s/ville/pages/charter/delete"):
        response = client.get(path)
        assert response.status_code == 302 and "sign-in" in response.headers["Location"], path
    assert client.post("/s/ville/pages/charter/delete").status_code == 302
    assert Page.select().count() == 2
    assert client.get("/s/quartier-nord/pages/ours").status_code == 404  # a network space


def test_a_private_groups_pages_do_not_exist_for_outsiders(client, sign_in, make_space,
                                                           make_user, make_page, council):
    group = make_space("avis-budget", visibility="private", plugins=["pages"],
                       parents=[council])
    insider = make_user(member_of=group, role="animator")
    make_page(group, insider, "Drafting rules", "Confidential zeppelin notes.")
    outsider = make_user(member_of=council)
    sign_in(outsider)
    for path in ("/s/avis-budget/pages/", "/s/avis-budget/pages/drafting-rules",
                 "/s/avis-budget/pages/drafting-rules/edit", "/s/avis-budget/pages/new",
                 "/s/avis-budget/pages/drafting-rules/delete"):
        assert client.get(path).status_code == 404, path
    assert client.post("/s/avis-budget/pages/drafting-rules/delete").status_code == 404
    api = client.get("/api/v1/spaces/avis-budget/pages/pages/drafting-rules")
    assert api.status_code == 404 and api.get_json()["error"]["code"] == "not_found"
    assert client.get("/api/v1/spaces/avis-budget/pages/pages").status_code == 404
    search = client.get("/search", query_string={"q": "zeppelin"}).get_data(as_text=True)
    assert "Drafting rules" not in search
    assert client.get("/api/v1/search", query_string={"q": "zeppelin"}).get_json() == []
    sign_in(insider)  # the same addresses, for a member of the group
    assert client.get("/s/avis-budget/pages/drafting-rules").status_code == 200
    assert "Drafting rules" in client.get("/search", query_string={"q": "zeppelin"}).get_data(
        as_text=True)


def test_a_page_narrower_than_its_space_is_404_for_those_below(client, sign_in, people,
                                                               council, make_page):
    make_page(council, people["animator"], "Draft", "Not yet.", visibility="animators")
    make_page(council, people["animator"], "Open")
    sign_in(people["member"])
    assert client.get("/s/quartier-nord/pages/draft").status_code == 404
    assert client.get("/api/v1/spaces/quartier-nord/pages/pages/draft").status_code == 404
    listing = client.get("/s/quartier-nord/pages/").get_data(as_text=True)
    assert "Draft" not in listing and "Open" in listing
    sign_in(people["animator"])
    page = client.get("/s/quartier-nord/pages/draft").get_data(as_text=True)
    assert "Not yet." in page and "vis-animators" in page


def test_pages_off_in_a_space_means_gone(client, sign_in, people, council, make_page):
    from placette.modules import set_module
    make_page(council, people["animator"], "Charter")
    set_module(council, "pages", False)
    sign_in(people["animator"])
    assert client.get("/s/quartier-nord/pages/").status_code == 404
    assert client.get("/s/quartier-nord/pages/charter").status_code == 404
    assert client.get("/api/v1/spaces/quartier-nord/pages/pages").status_code == 404
    home = client.get("/s/quartier-nord").get_data(as_text=True)
    assert "/s/quartier-nord/pages/" not in home


def test_the_menu_entry_shows_when_there_is_something_to_read_or_to_write(
        client, sign_in, people, council, make_page):
    def menu():
        return MENU.search(client.get("/s/quartier-nord").get_data(as_text=True))
    sign_in(people["member"])
    assert not menu()
    sign_in(people["animator"])  # nothing yet, but they may write the first page
    assert menu()
    make_page(council, people["animator"], "Draft", visibility="animators")
    sign_in(people["member"])  # a page exists, but not for them
    assert not menu()
    make_page(council, people["animator"], "Charter")
    assert menu()


def test_bad_input_gives_a_message_next_to_the_field_and_saves_nothing(
        client, sign_in, people, council, make_page):
    make_page(council, people["animator"], "Charter", slug="charter")
    sign_in(people["animator"])
    base = {"title": "Typed title kept", "slug": "", "body": "Typed text kept",
            "visibility": "", "position": ""}
    cases = [
        ({"slug": "charter"}, "slug", "Another page of this space already has this address"),
        ({"slug": "Bad Slug!"}, "slug", "lower-case letters without accents"),
        ({"slug": "café"}, "slug", "lower-case letters without accents"),
        ({"slug": "-edge-"}, "slug", "lower-case letters without accents"),
        ({"slug": "new"}, "slug", "This address is reserved"),
        ({"slug": "a" * 81}, "slug", "The address is too long"),
        ({"title": ""}, "title", "Give the page a title."),
        ({"title": "   "}, "title", "Give the page a title."),
        ({"title": "T" * 201}, "title", "The title is too long"),
        ({"body": "x" * 100_001}, "body",
         "The text is too long: 100\u202f000 characters at most (it has 100\u202f001)."),
        ({"title": "Escape\x1b[31m"}, "title", "Remove the invisible control characters."),
        ({"body": "Bell\x07"}, "body", "Remove the invisible control characters."),
        ({"position": "first"}, "position", "Not a valid integer value."),
        ({"position": "-1"}, "position", "The position is a whole number from 0 to 9999."),
        ({"visibility": "everyone"}, "visibility", "Choose who can see the page"),
        ({"visibility": "public"}, "visibility", "Choose who can see the page"),  # wider
    ]
    for change, field, message in cases:
        data = {**base, **change}
        response = client.post(FORM, data=data)
        html = response.get_data(as_text=True)
        assert response.status_code == 422, change
        assert any(message in e for e in _field_errors(html, field)), (change, html[
            html.find('class="error"'):][:600])
        assert "nothing was saved" in html
        if "title" not in change:
            assert 'value="Typed title kept"' in html, change
        if "body" not in change:
            assert "Typed text kept</textarea>" in html, change
    assert Page.select().count() == 1


def test_every_problem_is_shown_at_once(client, sign_in, people, council):
    sign_in(people["animator"])
    html = client.post(FORM, data={"title": "", "slug": "Nope!", "body": "y" * 100_001,
                                   "visibility": ""}).get_data(as_text=True)
    assert _field_errors(html, "title") == ["Give the page a title."]
    assert _field_errors(html, "slug") and _field_errors(html, "body")
    assert Page.select().count() == 0


def test_addresses_are_made_from_titles_and_never_collide(client, sign_in, people, council):
    sign_in(people["animator"])
    for _ in range(2):
        client.post(FORM, data={"title": "Déclaration d'accessibilité", "body": "",
                                "visibility": ""})
    client.post(FORM, data={"title": "New", "body": "", "visibility": ""})
    client.post(FORM, data={"title": "!!!", "body": "", "visibility": ""})
    slugs = [p.slug for p in Page.select().order_by(Page.id)]
    assert slugs == ["declaration-d-accessibilite", "declaration-d-accessibilite-2",
                     "new-page", "page"]
    assert client.get("/s/quartier-nord/pages/new-page").status_code == 200
    assert client.get("/s/quartier-nord/pages/declaration-d-accessibilite-2").status_code == 200


def test_odd_addresses_answer_404_not_500(client, sign_in, people, council, make_page):
    make_page(council, people["animator"], "Charter")
    sign_in(people["animator"])
    for path in ("/s/quartier-nord/pages/Charter", "/s/quartier-nord/pages/" + "x" * 5000,
                 "/s/quartier-nord/pages/%C3%A9t%C3%A9", "/s/quartier-nord/pages/charter%00",
                 "/s/quartier-nord/pages/nope/edit", "/s/quartier-nord/pages/nope/delete"):
        assert client.get(path).status_code == 404, path


def test_changing_keeps_the_address_when_it_is_emptied_and_refuses_anothers(
        client, sign_in, people, council, make_page):
    make_page(council, people["animator"], "Charter")
    make_page(council, people["animator"], "Rules")
    sign_in(people["animator"])
    kept = client.post("/s/quartier-nord/pages/rules/edit", data={
        "title": "Rules", "slug": "", "body": "New text", "visibility": ""})
    assert kept.status_code == 302 and kept.headers["Location"].endswith("/pages/rules")
    taken = client.post("/s/quartier-nord/pages/rules/edit", data={
        "title": "Rules", "slug": "charter", "body": "Other text", "visibility": ""})
    assert taken.status_code == 422
    assert "Another page of this space" in _field_errors(taken.get_data(as_text=True),
                                                         "slug")[0]
    assert Page.get(Page.slug == "rules").body == "New text"


def test_forms_refuse_a_forged_post(csrf_app, client, sign_in, people, council):
    sign_in(people["animator"])
    response = client.post(FORM, data={"title": "Forged", "body": "", "visibility": ""})
    assert response.status_code == 400
    assert Page.select().count() == 0
