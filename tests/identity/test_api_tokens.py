"""API tokens: created and revoked from the profile, used as `Authorization: Bearer`; a token
that does not work is a 401 JSON error -- never a silent anonymous request."""
from __future__ import annotations

import re

from placette.models import ApiToken

from .web import text


def _create_token(client, name="my script") -> str:
    response = client.post("/me/tokens", data={"name": name})
    assert response.status_code == 200  # shown in the answer itself, once
    page = text(response)
    match = re.search(r"<code>(plc_[A-Za-z0-9_\-]+)</code>", page)
    assert match, page
    return match.group(1)


def test_token_from_the_profile_works_then_is_revoked(app, client, make_user, make_space,
                                                      sign_in):
    space = make_space("quartier-nord")
    user = sign_in(make_user(email="script@example.org", member_of=space))
    token = _create_token(client, "nightly export")
    # Shown once.
    assert token not in text(client.get("/me/"))
    assert "nightly export" in text(client.get("/me/"))

    api = app.test_client()  # no cookie: the token alone
    response = api.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    body = response.get_json()
    assert body["email"] == "script@example.org"
    assert body["memberships"][0]["space"] == "quartier-nord"

    token_id = ApiToken.get(ApiToken.user == user.id).id
    other = make_user()
    sign_in(other)
    assert client.post(f"/me/tokens/{token_id}/revoke").status_code == 404  # not theirs
    assert api.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}
                   ).status_code == 200
    sign_in(user)
    assert client.post(f"/me/tokens/{token_id}/revoke").status_code == 302
    assert "nightly export" not in text(client.get("/me/"))

    response = api.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "invalid_token"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_bad_token_is_401_json_everywhere(client, make_user, make_space):
    make_space("public-council", visibility="public")
    for n, header in enumerate(("Bearer plc_unknown", "Bearer ", "bearer nonsense")):
        for path in ("/api/v1/me", "/api/v1/spaces", "/api/v1/spaces/public-council", "/"):
            response = client.get(path, headers={"Authorization": header},
                                  environ_base={"REMOTE_ADDR": f"10.9.9.{n}"})
            assert response.status_code == 401, (header, path)
            assert response.is_json
            error = response.get_json()["error"]
            assert error["code"] == "invalid_token" and error["message"]
    # Without any token, public data stays public.
    assert client.get("/api/v1/spaces/public-council").status_code == 200


def test_a_suspended_account_token_stops_working(app, make_user):
    from placette.identity.accounts import reinstate, suspend
    from placette.identity.tokens import create_token
    user = make_user()
    token = create_token(user, "cli")
    api = app.test_client()
    assert api.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}
                   ).status_code == 200
    suspend(user, "test")
    response = api.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401 and response.get_json()["error"]["code"] == \
        "invalid_token"
    reinstate(user)
    assert api.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}
                   ).status_code == 200


def test_token_names_are_text(client, make_user, sign_in):
    sign_in(make_user())
    _create_token(client, '<script>alert("x")</script>' + "x" * 300)
    page = text(client.get("/me/"))
    assert '<script>alert("x")' not in page
    assert "&lt;script&gt;" in page
    assert len(ApiToken.get().name) == 100


def test_only_signed_in_people_manage_tokens(client):
    response = client.post("/me/tokens", data={"name": "x"})
    assert response.status_code == 302 and "/auth/sign-in" in response.headers["Location"]
    assert ApiToken.select().count() == 0
