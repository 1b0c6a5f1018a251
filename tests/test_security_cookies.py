"""Issue 18, items to settle: the remember cookie is Secure when the site is https, and a new
API token is shown once from the server, never carried in the (signed, readable) session cookie."""
from __future__ import annotations

import base64
import re
import zlib

import pytest

PASSWORD = "correct horse battery"
HTTPS = "https://participation.example.org"


def _cookies(client) -> dict[str, str]:
    return {c.key: c.value for c in client._cookies.values()}


@pytest.fixture
def placette_settings():
    return {"base_url": HTTPS}


def test_remember_cookie_is_secure_behind_https(app):
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["REMEMBER_COOKIE_SECURE"] is True


def _session_payload(client) -> str:
    raw = _cookies(client)["session"]
    compressed = raw.startswith(".")
    data = raw.lstrip(".").split(".")[0]
    data += "=" * (-len(data) % 4)
    decoded = base64.urlsafe_b64decode(data)
    return (zlib.decompress(decoded) if compressed else decoded).decode("utf-8", "replace")


def test_a_new_api_token_is_shown_once_and_never_put_in_the_cookie(app, make_user):
    user = make_user(password=PASSWORD)
    browser = app.test_client()
    browser.post("/auth/password", data={"pw-email": user.email, "pw-password": PASSWORD},
                 base_url=HTTPS)
    response = browser.post("/me/tokens", data={"name": "script"},
                            base_url=HTTPS)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    assert "plc_" not in _session_payload(browser) and "new_token" not in _session_payload(browser)
    page = response.get_data(as_text=True)
    token = re.search(r"<code>([^<]+)</code>", page).group(1)
    assert len(token) > 20
    again = browser.get("/me/", base_url=HTTPS) \
        .get_data(as_text=True)
    assert token not in again  # shown once
    api = app.test_client().get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert api.status_code == 200
