"""The JSON API: notifications (paginated, unread filter), marking read, a space's activity."""
from placette.models import Notification


def test_notifications_need_sign_in(client):
    response = client.get("/api/v1/notifications")
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthenticated"


def test_list_paginated_with_unread_filter(client, notes_space, make_user, note, happen,
                                           sign_in):
    space = notes_space("conseil")
    reader = make_user(member_of=space, language="en")
    for n in range(5):
        happen("notes.note.created", space, note(space, f"Note {n}"))
    sign_in(reader)
    response = client.get("/api/v1/notifications?per_page=2")
    body = response.get_json()
    assert response.headers["X-Total-Count"] == "5" and 'rel="next"' in response.headers["Link"]
    assert [n["title"] for n in body] == ["Note 4", "Note 3"]
    first = body[0]
    assert first["event"] == "notes.note.created" and first["label"] == "New note"
    assert first["space"] == {"slug": "conseil", "name": "Conseil"}
    assert first["url"].startswith("http://localhost/s/conseil/notes/")
    assert first["read_at"] is None

    marked = client.post("/api/v1/notifications/read", json={"ids": [first["id"], 999999]})
    assert marked.get_json() == {"marked": 1, "unread": 4}
    unread = client.get("/api/v1/notifications?unread=true").get_json()
    assert len(unread) == 4 and first["id"] not in [n["id"] for n in unread]
    assert client.post("/api/v1/notifications/read", json={"all": True}).get_json() == {
        "marked": 4, "unread": 0}


def test_others_notifications_cannot_be_marked(client, notes_space, make_user, note, happen,
                                               sign_in):
    space = notes_space()
    owner, other = make_user(member_of=space), make_user(member_of=space)
    happen("notes.note.created", space, note(space))
    sign_in(other)
    theirs = Notification.get(Notification.user == owner.id)
    assert client.post("/api/v1/notifications/read",
                       json={"ids": [theirs.id]}).get_json()["marked"] == 0
    assert Notification.get_by_id(theirs.id).read_at is None


def test_bad_input_is_a_clear_4xx(client, make_user, sign_in):
    sign_in(make_user())
    for body in ({}, {"ids": [1], "all": True}, {"ids": "1"}, {"all": True, "extra": 1},
                 {"ids": list(range(501))}):
        response = client.post("/api/v1/notifications/read", json=body)
        assert response.status_code == 422, body
        assert response.get_json()["error"]["code"] == "invalid_body"
    assert client.post("/api/v1/notifications/read", data="x",
                       content_type="application/json").status_code == 400
    assert client.get("/api/v1/notifications?unread=maybe").status_code == 400
    assert client.get("/api/v1/notifications?page=0").status_code == 400


def test_space_activity_api_honours_visibility(client, notes_space, make_user, note, happen,
                                               sign_in):
    public = notes_space("ouvert", visibility="public")
    private = notes_space("ferme", visibility="private")
    happen("notes.note.created", public, note(public, "Visible"))
    happen("notes.note.created", public, note(public, "Membres", visibility="members"))
    happen("notes.note.created", private, note(private, "Secret"))
    body = client.get("/api/v1/spaces/ouvert/activity").get_json()
    assert [a["title"] for a in body] == ["Visible"]
    response = client.get("/api/v1/spaces/ferme/activity")
    assert response.status_code == 404 and response.get_json()["error"]["code"] == "not_found"
    sign_in(make_user(member_of=private))
    assert [a["title"] for a in client.get("/api/v1/spaces/ferme/activity").get_json()] == [
        "Secret"]


def test_paths_are_in_the_openapi_document(client):
    paths = client.get("/api/openapi.json").get_json()["paths"]
    assert "get" in paths["/api/v1/notifications"]
    assert "post" in paths["/api/v1/notifications/read"]
    assert "get" in paths["/api/v1/spaces/{slug}/activity"]


def test_openapi_document_is_valid(client):
    from openapi_spec_validator import validate
    validate(client.get("/api/openapi.json").get_json())
