"""The showcase API as a client sees it, and every permission rule from the outside."""
from __future__ import annotations

BASE = "/api/v1/spaces/quartier-nord/showcase"


def code(response):
    return response.get_json()["error"]["code"]


def test_pick_patch_republish_delete(client, sign_in, council, people, make_page):
    page = make_page(council, people["animator"], "Compte rendu de novembre", "Texte")
    sign_in(people["animator"])
    made = client.post(f"{BASE}/items", json={"resource": f"pages.page:{page.id}",
                                              "introduction": "À lire"})
    assert made.status_code == 201, made.get_json()
    item = made.get_json()
    assert item["state"] == "shown" and item["atom_id"].startswith("urn:uuid:")
    assert item["published_at"].endswith("+00:00")
    assert item["url"] == f"http://localhost/vitrine/quartier-nord/{item['id']}"
    assert [i["id"] for i in client.get(f"{BASE}/items").get_json()] == [item["id"]]
    patched = client.patch(f"{BASE}/items/{item['id']}", json={"introduction": "Nouvelle"})
    assert patched.get_json()["introduction"] == "Nouvelle"
    again = client.post(f"{BASE}/items/{item['id']}/republish")
    assert again.status_code == 200 and again.get_json()["republished_at"]
    gone = client.delete(f"{BASE}/items/{item['id']}")
    assert gone.get_json()["state"] == "withdrawn" and gone.get_json()["url"] is None
    assert code(client.patch(f"{BASE}/items/{item['id']}", json={"position": 1})) == "withdrawn"
    assert client.post(f"{BASE}/items/{item['id']}/republish").status_code == 409
    assert "/api/v1/spaces/{slug}/showcase/items/{item_id}/republish" in \
        client.get("/api/openapi.json").get_json()["paths"]


def test_bad_input_is_a_clear_4xx_and_publishes_nothing(client, sign_in, council, group,
                                                        people, make_page):
    from placette_plugins.showcase.models import Item
    secret = make_page(group, people["group_animator"], "Plan confidentiel du groupe")
    sign_in(people["animator"])
    cases = [({"resource": "pages.page"}, 422, "invalid_resource"),
             ({"resource": "nothing.thing:3"}, 422, "unknown_kind"),
             ({"resource": f"pages.page:{secret.id}"}, 404, "not_found"),
             ({"resource": "pages.page:1", "introduction": "x" * 2001}, 400, None),
             ({"resource": "pages.page:1", "extra": 1}, 400, None),
             ({}, 400, None)]
    for body, status, expected in cases:
        response = client.post(f"{BASE}/items", json=body)
        assert response.status_code in (status, 422), (body, response.get_json())
        error = response.get_json()["error"]
        assert error["message"] and error["code"]
        if expected:
            assert error["code"] == expected
        assert "Plan confidentiel" not in response.get_data(as_text=True)
    assert client.patch(f"{BASE}/items/999999", json={}).status_code == 404
    assert Item.select().count() == 0


def test_who_may_not_manage_gets_404(client, sign_in, sign_out, council, group, people,
                                     make_page, pick):
    page = make_page(council, people["animator"], "Page montrée")
    item = pick(council, people["animator"], f"pages.page:{page.id}")
    for who in ("member", "group_animator", None):
        sign_out()
        if who:
            sign_in(people[who])
        assert client.get(f"{BASE}/items").status_code in (401, 404)
        assert client.delete(f"{BASE}/items/{item.id}").status_code in (401, 404)
        assert client.get("/s/quartier-nord/showcase/").status_code in (302, 404)
        assert client.get("/s/quartier-nord/showcase/pick").status_code in (302, 404)
        assert client.post(f"/s/quartier-nord/showcase/items/{item.id}/withdraw"
                           ).status_code in (302, 400, 404)
    assert client.get(f"/vitrine/quartier-nord/{item.id}").status_code == 200  # still shown
    # The group's window was never used: the group is not named anywhere public.
    sign_out()
    for path in ("/vitrine/", "/vitrine/groupe-secret/", "/vitrine/embed/groupe-secret",
                 "/vitrine/groupe-secret/feed.atom", "/vitrine/data/catalog.jsonld"):
        response = client.get(path)
        assert "Groupe Confidentiel" not in response.get_data(as_text=True), path
    assert client.get("/vitrine/groupe-secret/").status_code == 404
    sign_in(people["admin"])  # an administrator withdraws anything
    assert client.delete(f"{BASE}/items/{item.id}").get_json()["state"] == "withdrawn"
