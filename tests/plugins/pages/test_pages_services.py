"""What the pages plugin gives the kernel's services: resources, search, events, audit, RGPD,
the JSON API, the demo city -- and French for a French reader."""
from __future__ import annotations

import json

import placette
from placette_plugins.pages.models import Page


def test_a_page_is_a_resource_found_by_its_text(client, sign_in, people, council, make_page):
    page = make_page(council, people["animator"], "How we work",
                     "We meet in the **gymnasium** every month.")
    resource = placette.lookup_resource("pages", "page", page.id)
    assert resource.title == "How we work" and resource.url == "/s/quartier-nord/pages/how-we-work"
    assert resource.space_id == council.id and resource.author_id == people["animator"].id
    assert resource.visibility is None  # the space's own
    sign_in(people["member"])
    found = client.get("/search", query_string={"q": "gymnasium"}).get_data(as_text=True)
    assert "How we work" in found and "/s/quartier-nord/pages/how-we-work" in found
    assert "<mark>gymnasium</mark>" in found  # the passage quotes the text, not the title
    api = client.get("/api/v1/search", query_string={"q": "gymnasium"}).get_json()
    assert [hit["title"] for hit in api] == ["How we work"]


def test_the_search_text_is_the_body_without_the_title(people, council, make_page):
    from placette_plugins.pages import plugin
    page = make_page(council, people["animator"], "Charter", "Be **kind**.\n\n- no ads")
    text = plugin.search_documents(placette.lookup_resource("pages", "page", page.id))
    assert text == "Be kind. no ads"


def test_a_changed_page_is_found_by_its_new_text_only(client, sign_in, people, council,
                                                      make_page):
    from placette_plugins.pages import service
    page = make_page(council, people["animator"], "Charter", "About bicycles.")
    service.update_page(page, people["animator"], {"body": "About tramways."})
    sign_in(people["member"])
    assert "Charter" in client.get("/search", query_string={"q": "tramways"}).get_data(
        as_text=True)
    assert "Charter" not in client.get("/search", query_string={"q": "bicycles"}).get_data(
        as_text=True)


def test_writing_and_deleting_are_in_the_audit_log(client, sign_in, people, council,
                                                   make_user):
    sign_in(people["animator"])
    client.post("/s/quartier-nord/pages/new", data={"title": "Charter", "body": "x",
                                                     "visibility": ""})
    client.post("/s/quartier-nord/pages/charter/delete")
    sign_in(make_user(admin=True))
    audit = client.get("/admin/audit").get_data(as_text=True)
    assert "pages.page.create" in audit and "pages.page.delete" in audit
    assert people["animator"].email in audit


def test_data_export_and_erasure_keep_the_pages_without_the_person(
        client, sign_in, people, council, make_page):
    from placette_plugins.pages import service
    karim, martine = people["animator"], people["member"]
    page = make_page(council, karim, "How we work", "Monthly.")
    sign_in(karim)
    mine = json.loads(client.get("/me/data.json").get_data(as_text=True))["plugins"]["pages"]
    assert [p["title"] for p in mine["pages_written"]] == ["How we work"]
    assert mine["pages_written"][0]["url"] == "/s/quartier-nord/pages/how-we-work"
    assert [p["slug"] for p in mine["pages_last_changed"]] == ["how-we-work"]
    sign_in(martine)
    theirs = json.loads(client.get("/me/data.json").get_data(as_text=True))["plugins"]["pages"]
    assert theirs == {"pages_written": [], "pages_last_changed": []}

    sign_in(karim)
    assert client.post("/me/delete", data={"confirm": karim.email}).status_code == 302
    kept = Page.get_by_id(page.id)
    assert kept.body == "Monthly." and kept.author_id is None and kept.updated_by_id is None
    sign_in(martine)
    html = client.get("/s/quartier-nord/pages/how-we-work").get_data(as_text=True)
    assert "by a former member" in html and "Karim" not in html
    assert service.pages_of(council, martine)[0].updated_by_id is None


def test_the_api_lists_pages_and_gives_one_with_its_text(client, sign_in, people, council,
                                                         make_page):
    make_page(council, people["animator"], "Zeta", "# Zeta\n\n<b>bold?</b>", position=2)
    make_page(council, people["animator"], "Alpha", position=1)
    make_page(council, people["animator"], "Staff", visibility="animators")
    sign_in(people["member"])
    listing = client.get("/api/v1/spaces/quartier-nord/pages/pages")
    assert listing.status_code == 200
    assert [(p["slug"], p["position"]) for p in listing.get_json()] == [("alpha", 1),
                                                                         ("zeta", 2)]
    assert listing.get_json()[0]["updated_by"] == {"id": people["animator"].id,
                                                   "display_name": "Karim Animateur"}
    one = client.get("/api/v1/spaces/quartier-nord/pages/pages/zeta").get_json()
    assert one["body"] == "# Zeta\n\n<b>bold?</b>" and one["url"] == "/s/quartier-nord/pages/zeta"
    assert one["html"].startswith("<h2>Zeta</h2>") and "<b>" not in one["html"]
    missing = client.get("/api/v1/spaces/quartier-nord/pages/pages/nope")
    assert missing.status_code == 404 and missing.get_json()["error"]["code"] == "not_found"
    assert client.get("/api/v1/spaces/quartier-nord/pages/pages/staff").status_code == 404


def test_the_api_is_in_the_openapi_document(client):
    paths = client.get("/api/openapi.json").get_json()["paths"]
    assert "get" in paths["/api/v1/spaces/{slug}/pages/pages"]
    assert "get" in paths["/api/v1/spaces/{slug}/pages/pages/{page_slug}"]


def test_publishing_tells_the_members_and_the_demo_seed_does_not(
        client, sign_in, people, council, make_page, events):
    make_page(council, people["animator"], "Quiet")  # notify=False, as the demo seeds
    assert events() == []
    make_page(council, people["animator"], "Loud", notify=True)
    [event] = events()
    assert event["name"] == "pages.page.published" and event["recipients"] is None
    page = Page.get(Page.slug == "loud")
    assert event["resource"] == f"pages.page:{page.id}"


def test_the_demo_city_has_its_charter_accessibility_statement_and_legal_notice(
        demo_city, client, sign_in):
    ville = demo_city.spaces["ville"]
    centre = demo_city.spaces["quartier-centre-ville"]
    assert placette.is_enabled(ville, "pages") and placette.is_enabled(centre, "pages")
    city_pages = [p.title for p in Page.select().where(Page.space == ville.id)
                  .order_by(Page.position)]
    assert city_pages == ["Charte de la participation", "Déclaration d'accessibilité",
                          "Mentions légales"]
    def text(slug):  # as read: Markdown's line breaks inside a paragraph are spaces
        return placette.plain_text(Page.get((Page.space == ville.id) & (Page.slug == slug)).body)
    charter = text("charte-de-la-participation")
    for words in ("Respecter les personnes", "pas d'attaque personnelle", "Pas de publicité",
                  "Signaler ce contenu", "file de modération"):
        assert words in charter, words
    statement = text("declaration-d-accessibilite")
    assert "RGAA), version 4.1" in statement and "partiellement conforme" in statement
    assert "signaler le problème" in statement and "accessibilite@" in statement
    assert "Directrice de la publication" in text("mentions-legales")
    assert Page.get((Page.space == centre.id) & (Page.slug == "notre-fonctionnement")).author_id \
        == demo_city.accounts["animator"].id
    # A visitor finds them from any page, in the footer; the council's page from its menu.
    home = client.get("/", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    footer = home[home.find('<footer class="site-footer"'):]
    assert 'aria-label="À propos du site"' in footer
    assert '/s/ville/pages/declaration-d-accessibilite">Déclaration d&#39;accessibilité</a>' \
        in footer
    assert client.get("/s/ville/pages/mentions-legales").status_code == 200
    assert "<h2>Hébergement</h2>" in client.get("/s/ville/pages/mentions-legales").get_data(
        as_text=True)
    centre_home = client.get("/s/quartier-centre-ville").get_data(as_text=True)
    assert '/s/quartier-centre-ville/pages/"' in centre_home
    assert "Notre fonctionnement" in client.get(
        "/s/quartier-centre-ville/pages/").get_data(as_text=True)


def test_french_for_a_french_reader(client, sign_in, people, council, make_user, make_page):
    make_page(council, people["animator"], "Notre fonctionnement")
    animator = make_user(member_of=council, role="animator", language="fr")
    sign_in(animator)
    listing = client.get("/s/quartier-nord/pages/").get_data(as_text=True)
    assert "Pages du Quartier Nord" in listing and "Écrire une page" in listing
    assert "Mis à jour le" in listing
    form = client.post("/s/quartier-nord/pages/new", data={"title": "", "slug": "Non !",
                                                            "body": "", "visibility": ""})
    html = form.get_data(as_text=True)
    assert "Donnez un titre à la page." in html
    assert "minuscules sans accents" in html
    assert "Adresse de la page (facultatif)" in html and "Qui peut la voir" in html
    page = client.get("/s/quartier-nord/pages/notre-fonctionnement").get_data(as_text=True)
    assert "Modifier cette page" in page and "Supprimer cette page" in page
    sign_in(make_user(member_of=council, language="en"))
    assert "Pages of Quartier Nord" in client.get("/s/quartier-nord/pages/").get_data(
        as_text=True)
