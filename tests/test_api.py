"""The JSON API under /api/v1, as an integrator uses it: sessions or bearer tokens, JSON errors
for every mistake, what each caller may see, and one valid OpenAPI document with plugin paths."""
from __future__ import annotations

import datetime as dt

import pytest

from placette.db import utcnow
from placette.identity.tokens import create_token
from placette.models import Module

from gate_plugins import alpha_plugin, beta_plugin


@pytest.fixture
def placette_extra_plugins():
    return {"alpha": alpha_plugin(), "beta": beta_plugin()}


@pytest.fixture
def city(make_space, make_user):
    council = make_space("nord", visibility="public", name="Conseil Nord", plugins=["alpha"])
    group = make_space("velo", visibility="network", kind="group", parents=[council],
                       name="Vélo")
    closed = make_space("club", visibility="members", name="Club")
    secret = make_space("secret", visibility="private", name="Secret")
    admin = make_user("admin@example.org", admin=True)
    animator = make_user("karim@example.org", member_of=council, role="animator")
    member = make_user("martine@example.org", member_of=[council, secret])
    guest = make_user("expert@example.org", member_of=group, role="guest",
                      expires_at=utcnow() + dt.timedelta(days=10))
    return {"council": council, "group": group, "closed": closed, "secret": secret,
            "admin": admin, "animator": animator, "member": member, "guest": guest}


def assert_json_error(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    error = response.get_json()["error"]
    assert set(error) >= {"code", "message"} and error["message"]
    if code:
        assert error["code"] == code, error
    return error


# -- errors are always JSON ---------------------------------------------------------------------

def test_every_mistake_answers_json(client, city, sign_in):
    sign_in(city["admin"])
    assert_json_error(client.get("/api/v1/nothing-here"), 404, "not_found")
    assert_json_error(client.get("/api/v1/"), 404, "not_found")
    error = client.post("/api/v1/spaces", json={})
    assert_json_error(error, 405, "method_not_allowed")
    assert "GET" in error.headers["Allow"]
    put = "/api/v1/spaces/nord/modules/alpha"
    assert_json_error(client.put(put, data="{not json", content_type="application/json"),
                      400, "malformed_json")
    assert_json_error(client.put(put, data="[true]", content_type="application/json"),
                      422, "invalid_body")
    unknown = assert_json_error(client.put(put, json={"enabled": True, "colour": "red"}), 422,
                                "invalid_body")
    assert "colour" in unknown["message"]
    for wrong in ({"enabled": "yes"}, {"enabled": 1}, {"enabled": None}, {},
                  {"enabled": True, "settings": [1]}, {"enabled": True, "cascade": "no"}):
        assert_json_error(client.put(put, json=wrong), 422, "invalid_body")
    assert_json_error(client.put(put, data="enabled=1",
                                 content_type="application/x-www-form-urlencoded"),
                      415, "unsupported_media_type")
    assert_json_error(client.put(put, data='{"enabled": true}', content_type="text/plain"),
                      415)
    for query in ("page=0", "page=abc", "per_page=0", "per_page=501", "page=-1",
                  "per_page=1e3"):
        assert_json_error(client.get(f"/api/v1/spaces?{query}"), 400, "invalid_parameter")
    assert_json_error(client.get("/api/v1/spaces/nord/members?page=x"), 400)
    assert Module.get(space=city["council"], plugin="alpha").enabled  # nothing changed


def test_an_oversized_body_is_413_json(client, city, sign_in):
    sign_in(city["admin"])
    big = '{"enabled": true, "settings": {"label": "' + "x" * (2 * 1024 * 1024) + '"}}'
    assert_json_error(client.put("/api/v1/spaces/nord/modules/alpha", data=big,
                                 content_type="application/json"), 413, "body_too_large")


@pytest.mark.parametrize("placette_settings", [{"max_body_bytes": 4096}])
def test_a_body_over_the_instance_limit_is_413_json(client, city, sign_in, placette_settings):
    sign_in(city["admin"])
    body = '{"enabled": true, "settings": {"label": "' + "x" * 8000 + '"}}'
    assert_json_error(client.put("/api/v1/spaces/nord/modules/alpha", data=body,
                                 content_type="application/json"), 413, "body_too_large")


def test_me_needs_a_caller(client):
    assert_json_error(client.get("/api/v1/me"), 401, "unauthenticated")
    assert_json_error(client.get("/api/v1/me", headers={"Authorization": "Bearer nope"}), 401)


# -- authentication -----------------------------------------------------------------------------

def test_bearer_token_and_session_give_the_same_answers(client, city, sign_in):
    token = create_token(city["member"], "script")
    headers = {"Authorization": f"Bearer {token}"}
    by_token = client.get("/api/v1/me", headers=headers).get_json()
    sign_in(city["member"])
    by_session = client.get("/api/v1/me").get_json()
    assert by_token == by_session
    assert by_token["email"] == "martine@example.org"
    assert {(m["space"], m["role"], m["expires_at"]) for m in by_token["memberships"]} == \
        {("nord", "member", None), ("secret", "member", None)}


def test_a_bearer_token_wins_over_the_session_cookie(client, city, sign_in):
    sign_in(city["member"])
    token = create_token(city["guest"])
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).get_json()
    assert me["email"] == "expert@example.org"
    assert_json_error(client.get("/api/v1/me", headers={"Authorization": "Bearer wrong"}), 401)
    assert client.get("/api/v1/me").get_json()["email"] == "martine@example.org"


def test_me_shows_a_guest_s_expiry(client, city, sign_in):
    sign_in(city["guest"])
    (membership,) = client.get("/api/v1/me").get_json()["memberships"]
    assert membership["space"] == "velo" and membership["role"] == "guest"
    assert membership["expires_at"] is not None


# -- what each caller may see -------------------------------------------------------------------

def slugs(response) -> list[str]:
    assert response.status_code == 200
    return sorted(s["slug"] for s in response.get_json())


def test_spaces_lists_what_the_caller_may_see(client, city, make_user, sign_in):
    assert slugs(client.get("/api/v1/spaces")) == ["nord"]
    sign_in(make_user())
    assert slugs(client.get("/api/v1/spaces")) == ["club", "nord", "velo"]
    sign_in(city["member"])
    assert slugs(client.get("/api/v1/spaces")) == ["club", "nord", "secret", "velo"]
    sign_in(city["admin"])
    assert slugs(client.get("/api/v1/spaces")) == ["club", "nord", "secret", "velo"]
    by_slug = {s["slug"]: s for s in client.get("/api/v1/spaces").get_json()}
    velo = by_slug["velo"]
    assert {k: velo[k] for k in ("slug", "name", "kind", "visibility", "parents", "modules")} == \
        {"slug": "velo", "name": "Vélo", "kind": "group", "visibility": "network",
         "parents": ["nord"], "modules": []}
    assert by_slug["nord"]["modules"] == ["alpha"]
    assert slugs(client.get("/api/v1/spaces?kind=group")) == ["velo"]


def test_spaces_are_paginated(client, city, sign_in):
    sign_in(city["admin"])
    first = client.get("/api/v1/spaces?per_page=3")
    assert len(first.get_json()) == 3 and first.headers["X-Total-Count"] == "4"
    assert 'rel="next"' in first.headers["Link"]
    second = client.get("/api/v1/spaces?per_page=3&page=2")
    assert len(second.get_json()) == 1 and 'rel="prev"' in second.headers["Link"]
    names = [s["slug"] for s in first.get_json() + second.get_json()]
    assert len(set(names)) == 4


def test_space_detail_and_members_answer_404_to_who_may_not_see(client, city, make_user,
                                                                sign_in):
    assert client.get("/api/v1/spaces/nord").get_json()["name"] == "Conseil Nord"
    for slug in ("velo", "club", "secret", "nowhere"):
        assert_json_error(client.get(f"/api/v1/spaces/{slug}"), 404, "not_found")
    # Members: guests and up; a visitor of a public space gets the same 404 as a stranger.
    assert_json_error(client.get("/api/v1/spaces/nord/members"), 404)
    stranger = sign_in(make_user())
    assert client.get("/api/v1/spaces/club").status_code == 200  # listed: may ask to join
    for slug in ("club", "secret", "nord"):
        assert_json_error(client.get(f"/api/v1/spaces/{slug}/members"), 404)
    assert_json_error(client.get("/api/v1/spaces/secret"), 404)
    sign_in(city["member"])
    members = client.get("/api/v1/spaces/nord/members").get_json()
    assert {m["display_name"] for m in members} >= {"Person 1"} or len(members) == 2
    assert all(m["email"] is None for m in members)  # e-mails are for those who manage
    sign_in(city["animator"])
    members = client.get("/api/v1/spaces/nord/members").get_json()
    assert {m["email"] for m in members} == {"karim@example.org", "martine@example.org"}
    assert stranger  # (used above)


def test_put_module_is_for_admins(client, city, make_user, sign_in, sign_out):
    url = "/api/v1/spaces/nord/modules/beta"
    assert_json_error(client.put(url, json={"enabled": True}), 401)
    sign_in(city["member"])
    assert_json_error(client.put(url, json={"enabled": True}), 403, "forbidden")
    sign_in(city["animator"])
    assert_json_error(client.put(url, json={"enabled": True}), 403)
    sign_in(make_user())
    assert_json_error(client.put("/api/v1/spaces/secret/modules/beta", json={"enabled": True}),
                      404)
    space_admin = make_user(member_of=city["council"], role="admin")
    token = create_token(space_admin)
    sign_out()
    response = client.put(url, json={"enabled": True},
                          headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    body = response.get_json()
    assert body["plugin"] == "beta" and body["enabled"] is True
    assert body["changes"] == {"enabled": ["beta"], "disabled": [], "configured": []}
    assert client.get("/api/v1/spaces/nord").get_json()["modules"] == ["alpha", "beta"]


# -- cross-site forgery -------------------------------------------------------------------------

def test_session_calls_cannot_be_forged_by_a_form(client, city, sign_in):
    sign_in(city["admin"])
    url = "/api/v1/spaces/nord/modules/alpha"
    for content_type, data in (("application/x-www-form-urlencoded", "enabled=false"),
                               ("multipart/form-data; boundary=x",
                                '--x\r\nContent-Disposition: form-data; name="enabled"\r\n\r\n'
                                'false\r\n--x--\r\n'),
                               ("text/plain", '{"enabled": false, "x": "="}')):
        for method in (client.put, client.post):
            response = method(url, data=data, content_type=content_type)
            assert response.status_code in (405, 415), (content_type, response.status_code)
    assert Module.get(space=city["council"], plugin="alpha").enabled
    # A bearer token (never sent by a browser on its own) is fine without JSON on bodiless calls.
    assert "SameSite=Lax" in _session_cookie(client)


def test_plugin_calls_without_json_need_a_csrf_header_from_a_session(app_factory):
    """A plugin endpoint taking no body, or a multipart upload, is protected the same way: a
    session caller sends JSON or our pages' CSRF token; a bearer token needs neither."""
    import re
    from gate_plugins import make_plugin
    hits = []

    def register_api(api):
        @api.space_route("ping", "/ring", methods=["POST", "DELETE"], summary="Ring")
        def ring(space):
            hits.append(space.slug)
            return {"rung": True}
    app = app_factory({"ping": make_plugin("ping", register_api=register_api)})
    app.config["WTF_CSRF_ENABLED"] = True
    with app.app_context():
        from placette.modules import set_module
        from placette.spaces import create_space
        from placette.identity.accounts import create_user
        space = create_space("bell", "Bell", "neighbourhood", "public")
        set_module(space, "ping", True)
        user = create_user("ringer@example.org", "Ringer")
        token = create_token(user)
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
    url = "/api/v1/spaces/bell/ping/ring"
    assert client.post(url).status_code == 415  # what a no-cors fetch can send
    assert client.post(url, data="a=b",
                       content_type="application/x-www-form-urlencoded").status_code == 415
    assert client.post(url, data={"a": "b"},
                       content_type="multipart/form-data").status_code == 415
    assert client.post(url, headers={"X-CSRFToken": "forged"}).status_code == 415
    assert hits == []
    assert client.post(url, json={}).status_code == 200
    page = client.get("/s/bell").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    assert client.post(url, data={"a": "b"}, content_type="multipart/form-data",
                       headers={"X-CSRFToken": csrf}).status_code == 200
    assert client.delete(url).status_code == 200  # DELETE always needs a CORS preflight
    fresh = app.test_client()
    assert fresh.post(url, headers={"Authorization": f"Bearer {token}"}).status_code == 200
    assert hits == ["bell"] * 4


def _session_cookie(client) -> str:
    response = client.post("/s/nord/join", data={"message": ""})
    return "; ".join(v for k, v in response.headers.items() if k == "Set-Cookie")


# -- the one OpenAPI document -------------------------------------------------------------------

def test_openapi_document_is_valid_and_includes_plugin_paths(client):
    from openapi_spec_validator import validate
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    document = response.get_json()
    validate(document)
    paths = document["paths"]
    for path in ("/api/v1/me", "/api/v1/spaces", "/api/v1/spaces/{slug}",
                 "/api/v1/spaces/{slug}/members", "/api/v1/spaces/{slug}/modules/{name}",
                 "/api/v1/spaces/{slug}/alpha/items"):
        assert path in paths, path
    assert paths["/api/v1/spaces/{slug}/alpha/items"]["get"]["tags"] == ["alpha"]
    put = paths["/api/v1/spaces/{slug}/modules/{name}"]["put"]
    assert put["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "ModuleIn")
    assert "ModuleIn" in document["components"]["schemas"]
    # Errors are listed one by one, as the endpoint can answer them (no "4XX" catch-all).
    assert set(put["responses"]) == {"200", "400", "401", "403", "404", "409", "413", "415",
                                     "422", "503"}
    assert put["responses"]["404"]["$ref"] == "#/components/responses/NotFound"
    assert set(paths["/api/v1/spaces"]["get"]["responses"]) == {"200", "400", "404"}
    assert set(paths["/api/v1/reports"]["post"]["responses"]) >= {"201", "401", "429"}
    member = paths["/api/v1/spaces/{slug}/members"]["get"]["responses"]["200"]
    assert member["content"]["application/json"]["schema"]["items"]["$ref"].endswith(
        "MemberOut")
    assert document["components"]["schemas"]["MemberOut"]["properties"]["since"][
        "format"] == "date-time"


# -- one date format ----------------------------------------------------------------------------

ISO_8601 = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?[+-]\d\d:\d\d"


def test_every_kernel_date_is_iso_8601_with_an_offset(client, city, sign_in):
    """Members' ``since`` and ``expires_at``, ``me``'s memberships: ISO 8601 in UTC, the instant
    the database holds (not ``Sun, 06 Dec 2026 06:50:43 GMT``)."""
    import re
    from placette.models import Membership
    sign_in(city["admin"])
    members = client.get("/api/v1/spaces/velo/members").get_json()
    guest = next(m for m in members if m["id"] == city["guest"].id)
    for field in ("since", "expires_at"):
        assert re.fullmatch(ISO_8601, guest[field]), guest[field]
        assert guest[field].endswith("+00:00")
    stored = Membership.get(user=city["guest"].id, space=city["group"].id)
    assert dt.datetime.fromisoformat(guest["since"]) == stored.created_at.replace(
        tzinfo=dt.UTC)
    sign_in(city["guest"])
    membership = client.get("/api/v1/me").get_json()["memberships"][0]
    assert dt.datetime.fromisoformat(membership["expires_at"]) == stored.expires_at.replace(
        tzinfo=dt.UTC)


def test_dates_a_plugin_returns_come_out_as_iso_8601(app_factory):
    """A view returning a dict of datetimes and dates, as they come from the database, answers
    what its OpenAPI ``format: date-time`` / ``date`` says: no author can get it wrong."""
    from pydantic import BaseModel
    from gate_plugins import make_plugin
    from placette.spaces import create_space

    class ClockOut(BaseModel):
        naive: dt.datetime
        aware: dt.datetime
        day: dt.date
        nested: list[dict[str, dt.datetime]]

    moment = dt.datetime(2026, 12, 6, 6, 50, 43)

    def register_api(api):
        @api.space_route("clock", "/now", response=ClockOut, summary="What time")
        def now(space):
            paris = dt.timezone(dt.timedelta(hours=1))
            return {"naive": moment, "aware": moment.replace(tzinfo=dt.UTC).astimezone(paris),
                    "day": moment.date(), "nested": [{"at": moment}]}
    app = app_factory({"clock": make_plugin("clock", register_api=register_api)})
    with app.app_context():
        from placette.modules import set_module
        set_module(create_space("horloge", "Horloge", "neighbourhood", "public"), "clock", True)
    body = app.test_client().get("/api/v1/spaces/horloge/clock/now").get_json()
    assert body == {"naive": "2026-12-06T06:50:43+00:00", "aware": "2026-12-06T07:50:43+01:00",
                    "day": "2026-12-06", "nested": [{"at": "2026-12-06T06:50:43+00:00"}]}
    document = app.test_client().get("/api/openapi.json").get_json()
    answer = document["paths"]["/api/v1/spaces/{slug}/clock/now"]["get"]["responses"]["200"]
    schema = answer["content"]["application/json"]["schema"]
    assert schema["properties"]["naive"]["format"] == "date-time"
    assert schema["properties"]["day"]["format"] == "date"
