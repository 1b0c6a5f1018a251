"""Passwords change, reset and "sign out everywhere" end OTHER sessions and keep this one --
checked with two real clients (two browsers, each with its own cookie jar)."""
from __future__ import annotations

import datetime as dt

from placette.db import utcnow
from placette.models import LoginLink, User

from .web import link_path, signed_in, text

PASSWORD = "correct horse battery"


def _two_browsers(app, user, password=PASSWORD):
    browsers = []
    for _ in range(2):
        client = app.test_client()
        response = client.post("/auth/password", data={"pw-email": user.email,
                                                       "pw-password": password})
        assert response.status_code == 302
        browsers.append(client)
    return browsers


def test_changing_the_password_ends_other_sessions_only(app, make_user):
    user = make_user(email="karim@example.org", password=PASSWORD)
    laptop, phone = _two_browsers(app, user)
    assert signed_in(laptop) and signed_in(phone)

    response = laptop.post("/me/password", data={"current_password": PASSWORD,
                                                 "password": "a brand new secret"})
    assert response.status_code == 302
    assert signed_in(laptop)
    assert not signed_in(phone)

    # The new password works, the old one no longer does.
    assert phone.post("/auth/password", data={"pw-email": user.email,
                                              "pw-password": PASSWORD}).status_code == 400
    assert phone.post("/auth/password", data={"pw-email": user.email,
                                              "pw-password": "a brand new secret"}
                      ).status_code == 302


def test_a_too_short_password_is_a_form_error(app, make_user):
    user = make_user(password=PASSWORD)
    laptop, phone = _two_browsers(app, user)
    response = laptop.post("/me/password", data={"current_password": PASSWORD,
                                                 "password": "short"})
    assert response.status_code == 400
    assert "10" in text(response)  # "at least 10 characters"
    assert signed_in(laptop) and signed_in(phone)  # nothing changed
    assert laptop.post("/auth/sign-out").status_code == 302
    assert laptop.post("/auth/password", data={"pw-email": user.email,
                                               "pw-password": PASSWORD}).status_code == 302


def test_sign_out_everywhere(app, make_user):
    user = make_user(password=PASSWORD)
    laptop, phone = _two_browsers(app, user)
    response = laptop.post("/me/sign-out-everywhere")
    assert response.status_code == 302
    assert signed_in(laptop)
    assert not signed_in(phone)


def test_password_reset(app, make_user, outbox):
    user = make_user(email="martine@example.org", password=PASSWORD)
    other_device, = _two_browsers(app, user)[:1]
    client = app.test_client()

    page = client.get("/auth/reset")
    assert page.status_code == 200
    response = client.post("/auth/reset", data={"email": "martine@example.org"})
    assert response.status_code == 200
    client.post("/auth/reset", data={"email": "nobody@example.org"})  # same page, no mail
    mails = outbox()
    assert len(mails) == 1 and mails[0]["To"] == "martine@example.org"
    path = link_path(mails[0])
    assert path.startswith("/auth/reset/")
    link = LoginLink.get(LoginLink.purpose == "reset")
    assert link.expires_at - link.created_at <= dt.timedelta(hours=1, seconds=2)

    # A sign-in link secret is not a reset secret, and the other way round.
    assert client.get(path.replace("/auth/reset/", "/auth/link/")).status_code == 404

    form = client.get(path)
    assert form.status_code == 200 and "martine@example.org" in text(form)
    short = client.post(path, data={"password": "short"})
    assert short.status_code == 400 and not signed_in(client)

    response = client.post(path, data={"password": "my new long secret"})
    assert response.status_code == 302 and signed_in(client)
    assert not signed_in(other_device)  # the other sessions are over
    assert User.get_by_id(user.id).password_hash.startswith("$argon2id$")

    again = client.post(path, data={"password": "yet another secret"})
    assert again.status_code == 410 and "already been used" in text(again)

    fresh = app.test_client()
    assert fresh.post("/auth/password", data={"pw-email": user.email,
                                              "pw-password": "my new long secret"}
                      ).status_code == 302
    assert fresh.post("/auth/password", data={"pw-email": user.email,
                                              "pw-password": PASSWORD}).status_code == 400


def test_expired_reset_link(client, make_user, outbox):
    make_user(email="lea@example.org")
    client.post("/auth/reset", data={"email": "lea@example.org"})
    path = link_path(outbox()[0])
    LoginLink.update(expires_at=utcnow() - dt.timedelta(seconds=1)).execute()
    response = client.post(path, data={"password": "my new long secret"})
    assert response.status_code == 410 and "expired" in text(response)
