"""Issue 18, point 5 and the session items to settle: signing out ends that session on the
server (a saved cookie no longer opens anything), "sign out everywhere" still ends the others,
changing the password needs the current one, the remember cookie follows https, and a new API
token is not kept in the (readable) session cookie."""
from __future__ import annotations

import re

from placette.testing import mail_text

PASSWORD = "correct horse battery"


def signed_in(client) -> bool:
    return client.get("/me/").status_code == 200


def _browser(app, user, password=PASSWORD):
    client = app.test_client()
    response = client.post("/auth/password", data={"pw-email": user.email,
                                                   "pw-password": password})
    assert response.status_code == 302
    return client


def _cookies(client) -> dict[str, str]:
    return {c.key: c.value for c in client._cookies.values()}


def _replay(app, cookies: dict[str, str]):
    thief = app.test_client()
    for name, value in cookies.items():
        thief.set_cookie(name, value)
    return thief


def test_a_cookie_saved_before_sign_out_no_longer_opens_anything(app, make_user):
    user = make_user(password=PASSWORD)
    browser = _browser(app, user)
    saved = _cookies(browser)
    assert "session" in saved and signed_in(_replay(app, saved))
    assert browser.post("/auth/sign-out").status_code == 302
    assert not signed_in(browser)
    assert not signed_in(_replay(app, saved))  # the session cookie alone
    assert not signed_in(_replay(app, {k: v for k, v in saved.items() if k != "session"}))


def test_sign_out_ends_only_this_session(app, make_user):
    user = make_user(password=PASSWORD)
    laptop, phone = _browser(app, user), _browser(app, user)
    laptop.post("/auth/sign-out")
    assert not signed_in(laptop) and signed_in(phone)


def test_sign_out_everywhere_ends_every_other_session_and_keeps_this_one(app, make_user):
    user = make_user(password=PASSWORD)
    laptop, phone = _browser(app, user), _browser(app, user)
    saved_phone = _cookies(phone)
    assert laptop.post("/me/sign-out-everywhere").status_code == 302
    assert signed_in(laptop)
    assert not signed_in(phone) and not signed_in(_replay(app, saved_phone))


def test_changing_the_password_needs_the_current_one(app, make_user):
    user = make_user(password=PASSWORD)
    thief = _browser(app, user)
    refused = thief.post("/me/password", data={"password": "a thief's new secret"})
    assert refused.status_code == 400
    wrong = thief.post("/me/password", data={"current_password": "not it at all",
                                             "password": "a thief's new secret"})
    assert wrong.status_code == 400
    owner = app.test_client()
    assert owner.post("/auth/password", data={"pw-email": user.email,
                                              "pw-password": PASSWORD}).status_code == 302
    changed = owner.post("/me/password", data={"current_password": PASSWORD,
                                               "password": "a brand new secret"})
    assert changed.status_code == 302 and signed_in(owner)


def test_without_a_password_one_is_chosen_through_an_e_mailed_link(app, client, make_user,
                                                                   sign_in, outbox):
    user = make_user(email="sans@example.org")  # signs in by e-mailed links only
    sign_in(user)
    assert "current_password" not in client.get("/me/").get_data(as_text=True)
    response = client.post("/me/password", data={"password": "a thief's new secret"})
    assert response.status_code == 302
    from placette.models import User
    assert User.get_by_id(user.id).password_hash is None  # nothing set from the session alone
    mails = outbox(to="sans@example.org")
    assert mails and re.search(r"/auth/reset/[\w-]+", mail_text(mails[-1]))


def test_a_rotated_secret_key_keeps_sessions_signed_with_the_old_one_and_refuses_others(
        app, make_user):
    """The session serializer is built once per set of keys (placette.web.session): rotating
    the key, the old one kept in ``SECRET_KEY_FALLBACKS``, keeps people signed in; a cookie
    signed with a key the site does not know opens nothing."""
    user = make_user(password=PASSWORD)
    saved = _cookies(_browser(app, user))
    old_key = app.secret_key
    try:
        app.secret_key = "a-new-key-" + "x" * 32
        app.config["SECRET_KEY_FALLBACKS"] = [old_key]
        assert signed_in(_replay(app, saved))
        app.config["SECRET_KEY_FALLBACKS"] = []
        assert not signed_in(_replay(app, saved))  # signed with a key the site forgot
    finally:
        app.secret_key = old_key
        app.config["SECRET_KEY_FALLBACKS"] = []
    assert signed_in(_replay(app, saved))
