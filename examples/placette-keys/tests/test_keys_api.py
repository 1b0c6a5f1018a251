"""The JSON API of placette-keys: same gate as the pages, JSON errors, listed in OpenAPI."""
import pytest

from placette_keys.models import Handover, Room
from placette_keys.service import hand_over

ROOMS = "/api/v1/spaces/quartier-nord/keys/rooms"


def post_handover(client, room, body, **kwargs):
    return client.post(f"{ROOMS}/{room.id}/handover", json=body, **kwargs)


def test_members_list_rooms_with_their_holder(client, council, people, room, sign_in):
    hand_over(room, council, people["martine"].id, people["animator"])
    sign_in(people["youssef"])
    response = client.get(ROOMS)
    assert response.status_code == 200
    [item] = response.get_json()
    assert item["name"] == "Salle polyvalente" and item["at_desk"] is False
    assert item["holder"] == {"id": people["martine"].id, "display_name": "Martine Membre"}
    assert item["url"] == f"/s/quartier-nord/keys/rooms/{room.id}"


@pytest.mark.parametrize("who", ["anonymous", "stranger"])
def test_outsiders_get_a_json_404(client, council, people, room, sign_in, who):
    if who == "stranger":
        sign_in(people["stranger"])
    for response in (client.get(ROOMS), client.get(f"{ROOMS}/{room.id}/handovers"),
                     post_handover(client, room, {"to": None})):
        assert response.status_code in (401, 404)
        assert response.get_json()["error"]["code"] in ("not_found", "unauthenticated")
    assert client.get(ROOMS).status_code == 404


def test_module_off_answers_404(client, make_space, people, sign_in):
    make_space("quartier-est")
    sign_in(people["animator"])
    assert client.get("/api/v1/spaces/quartier-est/keys/rooms").status_code == 404


def test_an_animator_records_a_hand_over(client, council, people, room, sign_in, events):
    sign_in(people["animator"])
    response = post_handover(client, room, {"to": people["youssef"].id, "note": "ok",
                                            "version": 0})
    assert response.status_code == 201, response.get_json()
    data = response.get_json()
    assert data["room"]["holder"]["id"] == people["youssef"].id and data["room"]["version"] == 1
    assert data["handover"]["from_desk"] is True and data["handover"]["note"] == "ok"
    assert events("keys.key.handed_over")[-1]["recipients"] == [people["youssef"].id]
    log = client.get(f"{ROOMS}/{room.id}/handovers").get_json()
    assert [h["receiver"]["display_name"] for h in log] == ["Youssef Membre"]


def test_refusals_are_clear_json_errors_and_change_nothing(client, council, people, room,
                                                           sign_in):
    sign_in(people["martine"])
    forbidden = post_handover(client, room, {"to": people["martine"].id})
    assert forbidden.status_code == 403 and forbidden.get_json()["error"]["code"] == "forbidden"
    sign_in(people["animator"])
    cases = [
        ({"to": people["stranger"].id}, 422, "not_a_member"),
        ({"to": None}, 409, "already_at_desk"),
        ({"to": people["martine"].id, "colour": "red"}, 422, "invalid_body"),
        ({"to": "Martine"}, 422, "invalid_body"),
        ({"to": people["martine"].id, "note": "x" * 501}, 422, "invalid_body"),
        ({"to": people["martine"].id, "version": 7}, 409, "conflict"),
    ]
    for body, status, code in cases:
        response = post_handover(client, room, body)
        assert (response.status_code, response.get_json()["error"]["code"]) == (status, code), \
            body
    malformed = client.post(f"{ROOMS}/{room.id}/handover", data="{not json",
                            content_type="application/json")
    assert malformed.status_code == 400
    assert malformed.get_json()["error"]["code"] == "malformed_json"
    assert client.post(f"{ROOMS}/999999/handover", json={"to": None}).status_code == 404
    assert Handover.select().count() == 0 and Room.get_by_id(room.id).version == 0


def test_the_openapi_document_lists_the_plugin_paths(client):
    from openapi_spec_validator import validate
    document = client.get("/api/openapi.json").get_json()
    validate(document)
    paths = document["paths"]
    assert "get" in paths["/api/v1/spaces/{slug}/keys/rooms"]
    operation = paths["/api/v1/spaces/{slug}/keys/rooms/{room_id}/handover"]["post"]
    assert operation["tags"] == ["keys"] and "requestBody" in operation
    assert "/api/v1/spaces/{slug}/keys/rooms/{room_id}/handovers" in paths
