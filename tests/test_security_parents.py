"""Issue 18, point 2: a private space is never offered as a parent to someone who may not see
it, and parents are shown only to those who may see them (header, directory, API)."""
from __future__ import annotations

from placette.models import SpaceParent


def test_space_admin_is_not_offered_a_private_space_as_parent(client, make_space, make_user,
                                                              sign_in):
    secret = make_space("cabinet-secret", visibility="private", name="Cabinet Secret")
    make_space("quartier-sud", visibility="public", name="Quartier Sud")
    atelier = make_space("atelier", visibility="network", kind="group", name="Atelier")
    sign_in(make_user(member_of=atelier, role="admin"))
    page = client.get("/s/atelier/manage/edit")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Quartier Sud" in html and "Cabinet Secret" not in html
    posted = client.post("/s/atelier/manage/edit", data={
        "name": "Atelier", "description": "", "kind": "group", "visibility": "network",
        "parents": [str(secret.id)]})
    assert posted.status_code in (200, 400)
    assert not SpaceParent.select().where(SpaceParent.child == atelier).exists()


def test_a_parent_the_admin_cannot_see_stays_attached_when_they_save(client, make_space,
                                                                     make_user, sign_in):
    secret = make_space("cabinet-secret", visibility="private", name="Cabinet Secret")
    sud = make_space("quartier-sud", visibility="public", name="Quartier Sud")
    atelier = make_space("atelier", visibility="network", kind="group", name="Atelier",
                         parents=[secret])
    sign_in(make_user(member_of=atelier, role="admin"))
    posted = client.post("/s/atelier/manage/edit", data={
        "name": "Atelier", "description": "", "kind": "group", "visibility": "network",
        "parents": [str(sud.id)]})
    assert posted.status_code == 302
    parents = {p.parent_id for p in SpaceParent.select().where(SpaceParent.child == atelier)}
    assert parents == {secret.id, sud.id}


def test_private_parents_are_never_named_to_who_may_not_see_them(client, make_space,
                                                                 make_user, sign_in):
    secret = make_space("cabinet-secret", visibility="private", name="Cabinet Secret")
    sud = make_space("quartier-sud", visibility="public", name="Quartier Sud")
    make_space("atelier", visibility="public", kind="group", name="Atelier",
               parents=[secret, sud])
    for who in ("anonymous", "signed in"):
        if who == "signed in":
            sign_in(make_user())
        for path in ("/s/atelier", "/spaces"):
            html = client.get(path).get_data(as_text=True)
            assert "Quartier Sud" in html, (who, path)
            assert "Cabinet Secret" not in html and "cabinet-secret" not in html, (who, path)
        listed = client.get("/api/v1/spaces").get_json()
        atelier = next(s for s in listed["items"] if s["slug"] == "atelier") \
            if isinstance(listed, dict) else next(s for s in listed if s["slug"] == "atelier")
        assert atelier["parents"] == ["quartier-sud"], who
        assert client.get("/api/v1/spaces/atelier").get_json()["parents"] == ["quartier-sud"]
    sign_in(make_user(member_of=secret))
    assert "Cabinet Secret" in client.get("/s/atelier").get_data(as_text=True)
    assert sorted(client.get("/api/v1/spaces/atelier").get_json()["parents"]) == \
        ["cabinet-secret", "quartier-sud"]
