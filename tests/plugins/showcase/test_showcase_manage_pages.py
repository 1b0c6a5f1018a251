"""The animators' pages: pick from the offers, introduce, order, republish, withdraw; views
per month counted without cookies."""
from __future__ import annotations


def test_animator_picks_through_the_page(client, sign_in, council, people, make_page):
    from placette_plugins.showcase.models import Item
    page = make_page(council, people["animator"], "Bilan de l'année", "Texte du bilan")
    make_page(council, people["animator"], "Notes internes", "Privé", visibility="animators")
    sign_in(people["animator"])
    offers = client.get("/s/quartier-nord/showcase/pick").get_data(as_text=True)
    assert "Bilan de l&#39;année" in offers and "Notes internes" in offers
    response = client.post("/s/quartier-nord/showcase/pick",
                           data={"resource": f"pages.page:{page.id}",
                                 "introduction": "Le bilan, en bref"})
    assert response.status_code == 302
    item = Item.get()
    assert item.introduction == "Le bilan, en bref" and item.picked_by_id == people["animator"].id
    listing = client.get("/s/quartier-nord/showcase/").get_data(as_text=True)
    assert "Bilan de l&#39;année" in listing and "Withdraw" in listing
    # Already shown: no longer offered.
    assert "Bilan de l&#39;année" not in client.get("/s/quartier-nord/showcase/pick").get_data(
        as_text=True)
    bad = client.post("/s/quartier-nord/showcase/pick", data={"resource": "pages.page:99999"})
    assert bad.status_code == 422 and "No such item." in bad.get_data(as_text=True)
    saved = client.post(f"/s/quartier-nord/showcase/items/{item.id}",
                        data={f"i{item.id}-introduction": "Autre intro",
                              f"i{item.id}-position": "1"})
    assert saved.status_code == 302 and Item.get().introduction == "Autre intro"
    client.post(f"/s/quartier-nord/showcase/items/{item.id}/republish")
    assert Item.get().republished_at is not None
    client.post(f"/s/quartier-nord/showcase/items/{item.id}/withdraw")
    assert Item.get().state == "withdrawn"


def test_views_are_counted_per_month_without_cookies(client, sign_in, sign_out, council, people,
                                                     make_page, pick):
    page = make_page(council, people["animator"], "Page lue")
    item = pick(council, people["animator"], f"pages.page:{page.id}")
    body = client.get(f"/vitrine/quartier-nord/{item.id}").get_data(as_text=True)
    assert f"/vitrine/seen/{item.id}.gif" in body
    for _ in range(3):
        response = client.get(f"/vitrine/seen/{item.id}.gif")
        assert response.status_code == 200 and response.mimetype == "image/gif"
        assert response.headers["Cache-Control"] == "no-store"
        assert "Set-Cookie" not in response.headers
    client.get("/vitrine/seen/999999.gif")  # an unknown item counts nothing, breaks nothing
    sign_in(people["animator"])
    stats = client.get("/s/quartier-nord/showcase/stats").get_data(as_text=True)
    assert "Page lue" in stats and "<td>3</td>" in stats
    sign_in(people["member"])
    assert client.get("/s/quartier-nord/showcase/stats").status_code == 404
