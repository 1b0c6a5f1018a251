"""The API of issue 19, point 7, exactly as named -- and its bad input: a clear 4xx, nothing
written."""
from __future__ import annotations

from placette_plugins.discussions.models import Comment, Topic

BASE = "/api/v1/spaces/quartier-nord/discussions"


def test_comments_round_trip_in_the_documented_shape(client, people, meeting, sign_in):
    sign_in(people["martine"])
    url = f"{BASE}/comments?resource={meeting.key}"
    created = client.post(url, json={"body": "Bonjour *tous*"})
    assert created.status_code == 201, created.get_json()
    out = created.get_json()
    assert set(out) >= {"id", "author", "body", "body_html", "parent", "stance", "created_at",
                        "edited_at", "resource"}
    assert out["resource"] == meeting.key and out["author"]["name"] == "Martine Dupont"
    assert "<em>tous</em>" in out["body_html"] and out["parent"] is None
    reply = client.post(url, json={"body": "Réponse", "parent": out["id"]}).get_json()
    assert reply["parent"] == out["id"]
    listed = client.get(url).get_json()
    assert [c["id"] for c in listed] == [out["id"], reply["id"]]
    patched = client.patch(f"{BASE}/comments/{out['id']}", json={"body": "Bonjour à tous"})
    assert patched.status_code == 200 and patched.get_json()["edited_at"]
    assert client.delete(f"{BASE}/comments/{out['id']}").status_code == 204
    listed = client.get(url).get_json()
    assert listed[0]["removed"] and listed[0]["body"] == "" and listed[1]["body"] == "Réponse"


def test_bad_input_answers_4xx_and_writes_nothing(
        client, app, council, people, meeting, sign_in, make_space, comment_on, make_user):
    import datetime as dt

    import placette
    from placette_plugins.agenda import service as agenda
    other_space = make_space("centre", visibility="members", plugins=["agenda", "discussions"])
    start = dt.datetime.utcnow() + dt.timedelta(days=3)
    boss = make_user(admin=True)
    hidden = agenda.create_meeting(other_space, boss, {
        "title": "Secret", "starts_at": start, "ends_at": start + dt.timedelta(hours=1)})
    hidden_key = placette.lookup_resource("agenda", "meeting", hidden.id).key
    other = agenda.create_meeting(council, people["karim"], {
        "title": "Autre", "starts_at": start, "ends_at": start + dt.timedelta(hours=1)})
    other_key = placette.lookup_resource("agenda", "meeting", other.id).key
    foreign_parent = comment_on(placette.lookup_resource("agenda", "meeting", other.id),
                                people["karim"], "ailleurs")
    mine = comment_on(meeting, people["karim"], "à moi")
    sign_in(people["martine"])
    url = f"{BASE}/comments?resource={meeting.key}"
    cases = [
        (url, {"body": ""}, 422, "empty_body"),
        (url, {"body": "  \n\t "}, 422, "empty_body"),
        (url, {"body": "x" * 10_001}, 422, "body_too_long"),
        (url, {"body": "ok", "parent": foreign_parent.id}, 422, "invalid_parent"),
        (url, {"body": "ok", "stance": "for"}, 422, "stances_off"),
        (url, {"body": "ok", "colour": "red"}, 422, "invalid_body"),
        (f"{BASE}/comments?resource=agenda.unicorn:1", {"body": "ok"}, 422, "unknown_kind"),
        (f"{BASE}/comments?resource=nonsense", {"body": "ok"}, 422, "invalid_resource"),
        (f"{BASE}/comments?resource=agenda.meeting:999999", {"body": "ok"}, 404, "not_found"),
        (f"{BASE}/comments?resource={hidden_key}", {"body": "ok"}, 404, "not_found"),
        (f"/api/v1/spaces/centre/discussions/comments?resource={hidden_key}", {"body": "ok"},
         404, "not_found"),
        (f"{BASE}/comments?resource={other_key}".replace("quartier-nord", "centre"),
         {"body": "ok"}, 404, "not_found"),
    ]
    before = Comment.select().count()
    for address, body, status, code in cases:
        response = client.post(address, json=body)
        assert response.status_code == status, (body, response.get_json())
        assert response.get_json()["error"]["code"] == code, (body, response.get_json())
    assert client.patch(f"{BASE}/comments/{mine.id}", json={"body": "pirate"}).status_code == 403
    assert client.delete(f"{BASE}/comments/{mine.id}").status_code == 403
    assert client.patch(f"{BASE}/comments/{2**63}", json={"body": "x"}).status_code == 404
    assert Comment.select().count() == before
    assert Comment.get_by_id(mine.id).body == "à moi" and Comment.get_by_id(mine.id).removed_at is None


def test_editing_a_comment_on_a_hidden_item_is_a_404(client, people, meeting, sign_in,
                                                     comment_on):
    mine = comment_on(meeting, people["martine"], "texte")
    sign_in(people["lea"])
    assert client.patch(f"{BASE}/comments/{mine.id}", json={"body": "x"}).status_code == 404
    assert client.delete(f"{BASE}/comments/{mine.id}").status_code == 404


def test_topics_in_several_spaces_are_listed_in_each(
        client, council, people, sign_in, make_space, make_user):
    mobility = make_space("mobilite", visibility="members", plugins=["discussions"],
                          name="Mobilité")
    secret = make_space("secret", visibility="private", plugins=["discussions"], name="Secret")
    both = make_user(name="Nadia", member_of=[council, mobility])
    sign_in(both)
    created = client.post(f"{BASE}/topics", json={"title": "Vélos", "body": "Parlons-en",
                                                  "spaces": ["mobilite"]})
    assert created.status_code == 201, created.get_json()
    topic = created.get_json()
    assert sorted(topic["spaces"]) == ["mobilite", "quartier-nord"]
    refused = client.post(f"{BASE}/topics", json={"title": "X", "body": "Y",
                                                  "spaces": ["secret"]})
    nowhere = client.post(f"{BASE}/topics", json={"title": "X", "body": "Y",
                                                  "spaces": ["n-existe-pas"]})
    assert refused.status_code == nowhere.status_code == 422
    assert refused.get_json()["error"]["code"] == nowhere.get_json()["error"]["code"]
    bad_title = client.post(f"{BASE}/topics", json={"title": "a\nb", "body": "Y"})
    assert bad_title.status_code == 422 and bad_title.get_json()["error"]["code"] == "invalid_body"
    huge_parent = client.post(f"{BASE}/comments?resource=x.y:1", json={"body": "Y",
                                                                       "parent": 2 ** 64})
    assert huge_parent.status_code == 422
    assert Topic.select().count() == 1
    sign_in(people["martine"])               # reads Quartier Nord only
    listed = client.get(f"{BASE}/topics").get_json()
    assert [t["title"] for t in listed] == ["Vélos"] and listed[0]["unread"]
    detail = client.get(f"{BASE}/topics/{topic['id']}").get_json()
    assert detail["spaces"] == ["quartier-nord"]          # Mobilité is not named to her
    assert client.get(f"/api/v1/spaces/mobilite/discussions/topics/{topic['id']}"
                      ).status_code == 404
    assert client.get(f"{BASE}/topics/{2**64}").status_code == 404
    assert secret.slug not in client.get(f"{BASE}/topics").get_data(as_text=True)


def test_the_endpoints_are_in_the_openapi_document(client):
    paths = client.get("/api/openapi.json").get_json()["paths"]
    for path in ("/api/v1/spaces/{slug}/discussions/topics",
                 "/api/v1/spaces/{slug}/discussions/topics/{topic_id}",
                 "/api/v1/spaces/{slug}/discussions/comments",
                 "/api/v1/spaces/{slug}/discussions/comments/{comment_id}"):
        assert path in paths, sorted(p for p in paths if "discussions" in p)
    assert set(paths["/api/v1/spaces/{slug}/discussions/comments/{comment_id}"]) >= {
        "patch", "delete"}


def test_mention_suggestions_name_only_people_who_may_see_the_item(
        client, people, meeting, sign_in, make_user, make_space):
    """``@Ma`` suggests Martine (a member of the members-only council) but never Marc, who may
    not see its meeting; at most 8 people; a 404 for an item one may not see; OpenAPI-listed."""
    import placette
    council = placette.Space.get(placette.Space.slug == "quartier-nord")
    make_user(name="Marc Dehors")                                    # not a member
    for n in range(10):
        make_user(name=f"Mathis {n:02d}", member_of=council)
    sign_in(people["youssef"])
    url = f"{BASE}/mentions?resource={meeting.key}"
    names = [p["name"] for p in client.get(f"{url}&q=ma").get_json()]
    assert len(names) == 8 and "Martine Dupont" in names and "Marc Dehors" not in names
    assert [p["name"] for p in client.get(f"{url}&q=dup").get_json()] == ["Martine Dupont"]
    assert client.get(f"{url}&q=l%C3%A9a").get_json() == []           # Léa may not see it
    bad = client.get(f"{url}&q=%25")
    assert bad.status_code == 422 and bad.get_json()["error"]["code"] == "invalid_prefix"
    assert client.get(f"{url}&q=").status_code == 422
    sign_in(people["lea"])                                           # may not see the meeting
    hidden = client.get(f"{url}&q=ma")
    assert hidden.status_code == 404 and "Martine" not in hidden.get_data(as_text=True)
    client.get("/logout")
    assert client.get(f"{url}&q=ma").status_code in (401, 404)        # signed out
    spec = client.get("/api/openapi.json").get_json()
    assert "/api/v1/spaces/{slug}/discussions/mentions" in spec["paths"]
