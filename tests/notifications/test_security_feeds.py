"""Issue 18, point 3: a space's Atom feed fetched with a cookie or a token is personalised, so
no shared cache may keep it; a signed-in member of a non-public space gets their feed (no 500)."""
from __future__ import annotations

import xml.etree.ElementTree as ET

ATOM = "{http://www.w3.org/2005/Atom}"


def titles(body: bytes) -> list[str]:
    return [e.find(f"{ATOM}title").text for e in ET.fromstring(body).iter(f"{ATOM}entry")]


def test_personalised_feed_is_never_cacheable_by_a_shared_cache(client, notes_space, make_user,
                                                               note, happen, sign_in):
    from placette.identity.tokens import create_token
    space = notes_space("place-publique", visibility="public")
    animator = make_user(member_of=space, role="animator", language="en")
    happen("notes.note.created", space, note(space, "Affiche"))
    happen("notes.note.created", space, note(space, "Entre animateurs", visibility="animators"))

    anonymous = client.get("/s/place-publique/activity.atom")
    assert titles(anonymous.data) == ["Nouvelle note: Affiche"]
    assert "public" in anonymous.headers["Cache-Control"]
    vary = anonymous.headers.get("Vary", "")
    assert "Cookie" in vary and "Authorization" in vary

    sign_in(animator)
    with_cookie = client.get("/s/place-publique/activity.atom")
    assert len(titles(with_cookie.data)) == 2  # personalised: the animators' item is there
    cache = with_cookie.headers["Cache-Control"]
    assert "public" not in cache and ("private" in cache or "no-store" in cache)

    client.cookie_jar.clear() if hasattr(client, "cookie_jar") else None
    client.delete_cookie("session") if hasattr(client, "delete_cookie") else None
    token = create_token(animator, "reader")
    with_token = client.get("/s/place-publique/activity.atom",
                            headers={"Authorization": f"Bearer {token}"})
    assert with_token.status_code == 200
    cache = with_token.headers["Cache-Control"]
    assert "public" not in cache and ("private" in cache or "no-store" in cache)


def test_signed_in_member_of_a_network_space_gets_the_feed_without_a_key(client, notes_space,
                                                                          make_user, note,
                                                                          happen, sign_in):
    space = notes_space("conseil", visibility="network")
    member = make_user(member_of=space)
    happen("notes.note.created", space, note(space, "Ordre du jour"))
    sign_in(member)
    response = client.get("/s/conseil/activity.atom")
    assert response.status_code == 200
    assert titles(response.data) == ["Nouvelle note: Ordre du jour"]
    assert "public" not in response.headers["Cache-Control"]
    private = notes_space("groupe", visibility="private")
    sign_in(make_user(member_of=private))
    assert client.get("/s/groupe/activity.atom").status_code == 200
