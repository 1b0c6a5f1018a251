"""Moderation reaches placette-keys like any plugin: a room is reported from its page (the
kernel's ``resource.footer`` slot), an animator hides it from the review queue, and then it is
gone -- list, page, hand-over form, log, dashboard, API -- for everyone but the person who added
it and the space's animators, until it is restored."""
import re

from placette_keys.service import create_room, hand_over

ROOM = "Salle des jeunes"


def text(response) -> str:
    return response.get_data(as_text=True)


def case_link(client, slug: str) -> str:
    """The review page of the first open case, as an animator finds it in the queue."""
    queue = text(client.get(f"/s/{slug}/moderation"))
    return re.search(r'href="(/moderation/cases/\d+)"', queue).group(1)


def sees(client, sign_in, person, room) -> dict:
    sign_in(person)
    base = f"/s/quartier-nord/keys/rooms/{room.id}"
    api = "/api/v1/spaces/quartier-nord/keys/rooms"
    return {"rooms": ROOM in text(client.get("/s/quartier-nord/keys/")),
            "log": ROOM in text(client.get("/s/quartier-nord/keys/log")),
            "api list": any(r["name"] == ROOM for r in client.get(api).get_json()),
            "page": client.get(base).status_code,
            "hand-over log (API)": client.get(f"{api}/{room.id}/handovers").status_code}


SEEN = {"rooms": True, "log": True, "api list": True, "page": 200, "hand-over log (API)": 200}
GONE = {"rooms": False, "log": False, "api list": False, "page": 404, "hand-over log (API)": 404}


def test_a_reported_room_hidden_by_an_animator_is_gone_for_the_others(
        client, council, people, sign_in, make_user):
    martine, youssef, karim = people["martine"], people["youssef"], people["animator"]
    room = create_room(council, ROOM, "", martine)       # Martine added it
    hand_over(room, council, youssef.id, karim)          # Youssef holds its key
    sign_in(youssef)
    assert ROOM in text(client.get("/"))                  # "keys I hold" on his dashboard
    assert sees(client, sign_in, youssef, room) == SEEN

    reporter = make_user(member_of=council)
    sign_in(reporter)
    page = text(client.get(f"/s/quartier-nord/keys/rooms/{room.id}"))
    report = re.search(r'href="(/report\?resource=keys\.room:\d+)"', page).group(1)
    assert client.post(report, data={"category": "abuse",
                                     "reason": "Nom injurieux"}).status_code == 302
    sign_in(karim)
    case = case_link(client, "quartier-nord")
    assert client.post(case, data={"decision": "hide",
                                   "hide-reason": "Merci de renommer la salle."}
                       ).status_code == 302

    assert sees(client, sign_in, youssef, room) == GONE
    assert ROOM not in text(client.get("/"))
    assert client.get(f"/s/quartier-nord/keys/rooms/{room.id}/handover").status_code == 404
    refused = client.post(f"/api/v1/spaces/quartier-nord/keys/rooms/{room.id}/handover",
                          json={"to": None})
    assert refused.status_code == 404 and refused.get_json()["error"]["code"] == "not_found"
    for insider in (martine, karim):                      # who added it, the animator
        assert sees(client, sign_in, insider, room) == SEEN
        page = text(client.get(f"/s/quartier-nord/keys/rooms/{room.id}"))
        assert "Masquée par les modérateurs" in page and "Merci de renommer la salle." in page

    sign_in(karim)
    assert client.post(case, data={"decision": "restore"}).status_code == 302
    assert sees(client, sign_in, youssef, room) == SEEN
    assert ROOM in text(client.get("/"))
