"""Signing in: e-mailed single-use links (GET shows a button, POST consumes), passwords
(argon2), suspended accounts, sign-out -- as a person in a browser would meet them."""
from __future__ import annotations

import datetime as dt

import pytest

from placette.db import utcnow
from placette.models import LoginLink, User

from .web import link_path, signed_in, text


def test_sign_in_by_link_round_trip(client, make_user, outbox):
    user = make_user(email="martine@example.org", name="Martine")
    page = client.get("/auth/sign-in")
    assert page.status_code == 200 and 'name="email"' in text(page)

    response = client.post("/auth/sign-in", data={"email": "Martine@Example.org"})
    assert response.status_code == 200
    assert "Martine@Example.org" in text(response)  # "check your e-mail"
    mails = outbox("martine@example.org")
    assert len(mails) == 1

    # Valid 15 minutes.
    link = LoginLink.get(LoginLink.user == user)
    assert link.expires_at - link.created_at == pytest.approx(dt.timedelta(minutes=15),
                                                              abs=dt.timedelta(seconds=2))

    path = link_path(mails[0])
    # Opening the link (or a mail scanner fetching it) does not consume it nor sign in.
    for _ in range(2):
        confirm = client.get(path)
        assert confirm.status_code == 200
        assert "Martine" in text(confirm) and '<button type="submit"' in text(confirm)
    assert not signed_in(client)

    response = client.post(path)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert signed_in(client)

    # Single use: a second click is a clear page, not a sign-in.
    client.post("/auth/sign-out")
    assert not signed_in(client)
    for method in (client.get, client.post):
        again = method(path)
        assert again.status_code == 410
        assert "already been used" in text(again) and 'href="/auth/sign-in"' in text(again)
    assert not signed_in(client)


def test_unknown_and_expired_links(client, make_user, outbox):
    make_user(email="karim@example.org")
    response = client.get("/auth/link/not-a-real-secret")
    assert response.status_code == 404 and "not valid" in text(response)
    assert client.post("/auth/link/not-a-real-secret").status_code == 404

    client.post("/auth/sign-in", data={"email": "karim@example.org"})
    path = link_path(outbox("karim@example.org")[0])
    LoginLink.update(expires_at=utcnow() - dt.timedelta(seconds=1)).execute()
    for method in (client.get, client.post):
        response = method(path)
        assert response.status_code == 410
        assert "expired" in text(response) and "15 minutes" in text(response)
    assert not signed_in(client)


def test_no_page_tells_whether_an_address_has_an_account(client, make_user, outbox):
    make_user(email="known@example.org")
    known = client.post("/auth/sign-in", data={"email": "known@example.org"})
    unknown = client.post("/auth/sign-in", data={"email": "unknown@example.org"})
    assert known.status_code == unknown.status_code == 200
    assert text(known).replace("known@", "X@") == text(unknown).replace("unknown@", "X@")
    assert len(outbox()) == 1


def test_the_link_brings_back_to_the_page_asked_for(client, make_user, make_space, outbox):
    space = make_space("quartier-nord")
    make_user(email="youssef@example.org", member_of=space)
    client.post("/auth/sign-in?next=/s/quartier-nord",
                data={"email": "youssef@example.org", "next": "/s/quartier-nord"})
    response = client.post(link_path(outbox()[0]))
    assert response.headers["Location"] == "/s/quartier-nord"

    # Never to another site.
    client.post("/auth/sign-out")
    client.post("/auth/sign-in", data={"email": "youssef@example.org",
                                       "next": "//evil.example/phish"})
    response = client.post(link_path(outbox()[-1]))
    assert response.headers["Location"] == "/"


def test_password_sign_in(client, make_user):
    user = make_user(email="claire@example.org", password="correct horse battery")
    assert User.get_by_id(user.id).password_hash.startswith("$argon2id$")

    wrong = client.post("/auth/password", data={"pw-email": "claire@example.org",
                                                "pw-password": "wrong password!"})
    assert wrong.status_code == 400
    assert "Wrong e-mail address or password." in text(wrong)
    assert 'value="claire@example.org"' in text(wrong)  # what was typed is kept
    assert not signed_in(client)

    unknown = client.post("/auth/password", data={"pw-email": "nobody@example.org",
                                                  "pw-password": "whatever it is"})
    assert unknown.status_code == 400 and "Wrong e-mail address or password." in text(unknown)

    no_password = make_user(email="linkonly@example.org")
    response = client.post("/auth/password", data={"pw-email": no_password.email,
                                                    "pw-password": "anything at all"})
    assert response.status_code == 400

    right = client.post("/auth/password", data={"pw-email": "CLAIRE@example.org",
                                                "pw-password": "correct horse battery"})
    assert right.status_code == 302
    assert signed_in(client)


def test_suspended_accounts_cannot_sign_in(client, make_user, outbox):
    from placette.identity.accounts import suspend
    user = make_user(email="paul@example.org", password="correct horse battery")
    # A link asked for before the suspension...
    client.post("/auth/sign-in", data={"email": "paul@example.org"})
    early_link = link_path(outbox()[0])
    # ...and a session opened before it.
    client.post("/auth/password", data={"pw-email": user.email,
                                        "pw-password": "correct horse battery"})
    assert signed_in(client)

    suspend(User.get_by_id(user.id), "Propos injurieux répétés")
    assert not signed_in(client)  # the open session ends at once

    # No new link is sent (and the page says the same as for anyone).
    response = client.post("/auth/sign-in", data={"email": "paul@example.org"})
    assert response.status_code == 200 and len(outbox()) == 1

    response = client.post(early_link)
    assert response.status_code == 403
    assert "suspended" in text(response) and "Propos injurieux" in text(response)
    assert not signed_in(client)

    # The right password says "suspended"; a wrong one says nothing more than usual.
    response = client.post("/auth/password", data={"pw-email": user.email,
                                                   "pw-password": "correct horse battery"})
    assert response.status_code == 403 and "suspended" in text(response)
    response = client.post("/auth/password", data={"pw-email": user.email,
                                                   "pw-password": "not the password"})
    assert response.status_code == 400 and "suspended" not in text(response)
    assert not signed_in(client)

    # Reinstated: signing in works again.
    from placette.identity.accounts import reinstate
    reinstate(User.get_by_id(user.id))
    client.post("/auth/password", data={"pw-email": user.email,
                                        "pw-password": "correct horse battery"})
    assert signed_in(client)


def test_sign_out(client, make_user, sign_in):
    sign_in(make_user())
    assert signed_in(client)
    response = client.post("/auth/sign-out")
    assert response.status_code == 302
    assert not signed_in(client)


def test_sign_out_needs_the_form_token(csrf_app, make_user):
    """A forged cross-site post cannot sign people out (or in)."""
    client = csrf_app.test_client()
    user = make_user(password="correct horse battery")
    response = client.post("/auth/password", data={"pw-email": user.email,
                                                   "pw-password": "correct horse battery"})
    assert response.status_code == 400 and "expired" in text(response)
    assert not signed_in(client)


@pytest.mark.parametrize("typed", ["/login", "/connexion"])
def test_habitual_sign_in_addresses_lead_to_the_sign_in_page(client, typed):
    plain = client.get(typed)
    assert plain.status_code == 301 and plain.headers["Location"] == "/auth/sign-in"
    onward = client.get(typed, query_string={"next": "/s/centre"})
    assert onward.headers["Location"] == "/auth/sign-in?next=/s/centre"
    elsewhere = client.get(typed, query_string={"next": "//evil.example"})
    assert "evil" not in elsewhere.headers["Location"]


def test_the_headers_sign_in_link_brings_back_to_the_page_one_was_on(client, make_user,
                                                                      make_space, outbox):
    """A visitor reading a public page clicks "Sign in" in the header: once signed in they are
    back on that page (query string included), not on the dashboard."""
    import html as html_lib
    import re
    make_space("quartier-nord", visibility="public")
    make_user(email="youssef@example.org")
    page = client.get("/s/quartier-nord/activity?page=1").get_data(as_text=True)
    href = html_lib.unescape(re.search(r'<a href="([^"]*)">Sign in</a>', page).group(1))
    assert href == "/auth/sign-in?next=/s/quartier-nord/activity?page%3D1"
    form = client.get(href).get_data(as_text=True)
    kept = html_lib.unescape(re.search(r'name="next"[^>]*value="([^"]*)"', form).group(1))
    assert kept == "/s/quartier-nord/activity?page=1"
    own = re.search(r'<a href="([^"]*)">Sign in</a>', form).group(1)
    assert "next" not in own                     # the sign-in page does not send back to itself
    client.post(href, data={"email": "youssef@example.org", "next": kept})
    response = client.post(link_path(outbox()[0]))
    assert response.headers["Location"] == "/s/quartier-nord/activity?page=1"
