"""Sign-in attempts are rate limited per client address and per e-mail address: a clear 429 page
for people, JSON under /api."""
from __future__ import annotations

import pytest

from .web import text


def test_sign_in_links_are_limited_per_address(client):
    for n in range(10):  # sign_in_rate_limit: 10 per minute
        response = client.post("/auth/sign-in", data={"email": f"p{n}@example.org"})
        assert response.status_code == 200
    response = client.post("/auth/sign-in", data={"email": "p10@example.org"})
    assert response.status_code == 429
    assert "Too many attempts" in text(response)
    assert "<h1>" in text(response) and response.mimetype == "text/html"
    # Another address is not affected.
    other = client.post("/auth/sign-in", data={"email": "p11@example.org"},
                        environ_base={"REMOTE_ADDR": "10.1.2.3"})
    assert other.status_code == 200


def test_sign_in_links_are_limited_per_email(client, make_user, outbox):
    make_user(email="martine@example.org")
    for n in range(5):  # 5 per hour for one e-mail address, whatever the client address
        response = client.post("/auth/sign-in", data={"email": "martine@example.org"},
                               environ_base={"REMOTE_ADDR": f"10.0.0.{n}"})
        assert response.status_code == 200
    response = client.post("/auth/sign-in", data={"email": "Martine@example.org "},
                           environ_base={"REMOTE_ADDR": "10.0.0.99"})
    assert response.status_code == 429
    assert len(outbox()) == 5  # the inbox is not flooded


def test_passwords_are_limited_per_email(client, make_user):
    user = make_user(email="claire@example.org", password="correct horse battery")
    for n in range(10):
        response = client.post("/auth/password", data={"pw-email": user.email,
                                                       "pw-password": f"guess {n:04}"},
                               environ_base={"REMOTE_ADDR": f"10.0.1.{n}"})
        assert response.status_code == 400
    response = client.post("/auth/password", data={"pw-email": user.email,
                                                   "pw-password": "correct horse battery"},
                           environ_base={"REMOTE_ADDR": "10.0.1.99"})
    assert response.status_code == 429  # even the right password waits


def test_passwords_are_limited_per_address(client):
    for n in range(10):
        client.post("/auth/password", data={"pw-email": f"p{n}@example.org",
                                            "pw-password": "guess guess"})
    response = client.post("/auth/password", data={"pw-email": "p99@example.org",
                                                   "pw-password": "guess guess"})
    assert response.status_code == 429


def test_guessing_api_tokens_is_limited_with_json(client):
    for n in range(10):
        response = client.get("/api/v1/me", headers={"Authorization": f"Bearer plc_guess{n}"})
        assert response.status_code == 401
    response = client.get("/api/v1/me", headers={"Authorization": "Bearer plc_guess-more"})
    assert response.status_code == 429
    assert response.get_json() == {"error": {"code": "rate_limited",
                                             "message": response.get_json()["error"]["message"]}}


class TestTheLimitIsASetting:
    @pytest.fixture
    def placette_settings(self):
        return {"sign_in_rate_limit": "3 per minute"}

    def test_three_per_minute(self, client):
        for n in range(3):
            assert client.post("/auth/sign-in", data={"email": f"p{n}@example.org"}
                               ).status_code == 200
        assert client.post("/auth/sign-in", data={"email": "p4@example.org"}
                           ).status_code == 429
