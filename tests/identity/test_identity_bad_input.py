"""Bad input on the identity pages: a clear form error (or 4xx page), never a 500; the form keeps
what was typed; HTML is shown as text; nothing half-written."""
from __future__ import annotations

import pytest

from placette.models import Invitation, LoginLink, User

from .web import link_path, signed_in, text

BAD_EMAILS = ["", "not-an-address", "a@b", "x" * 250 + "@example.org",
              "<script>alert(1)</script>@example.org", "martine@exa mple.org",
              "mar\x00tine@example.org"]


@pytest.mark.parametrize("address", BAD_EMAILS, ids=range(len(BAD_EMAILS)))
def test_bad_addresses_on_the_link_and_reset_forms(client, outbox, address):
    for path in ("/auth/sign-in", "/auth/reset"):
        response = client.post(path, data={"email": address})
        assert response.status_code == 400, path
        page = text(response)
        assert 'class="error"' in page and 'aria-invalid="true"' in page
        assert "<script>alert(1)" not in page
        if address and "\x00" not in address:
            # What was typed stays in the field (escaped).
            from markupsafe import escape
            assert f'value="{escape(address)}"' in page
    assert outbox() == []


@pytest.mark.parametrize("data", [
    {"pw-email": "", "pw-password": ""},
    {"pw-email": "not-an-address", "pw-password": "whatever it is"},
    {"pw-email": "a@example.org", "pw-password": "x" * 5000},
    {"pw-email": "a@example.org", "pw-password": "pass\x00word and more"},
])
def test_bad_password_sign_in_input(client, make_user, data):
    make_user(email="a@example.org", password="correct horse battery")
    response = client.post("/auth/password", data=data)
    assert response.status_code == 400
    assert not signed_in(client)


@pytest.mark.parametrize("next_url", ["/\x00evil", "/" + "x" * 5000, "https://evil.example/",
                                      "//evil.example", "/\\evil.example"],
                         ids=["nul", "long", "absolute", "scheme-relative", "backslash"])
def test_bad_next_addresses_fall_back_to_home(client, make_user, outbox, next_url):
    make_user(email="a@example.org")
    response = client.post("/auth/sign-in", data={"email": "a@example.org", "next": next_url})
    assert response.status_code == 200
    assert LoginLink.get().next_url == "/"
    assert client.post(link_path(outbox()[0])).headers["Location"] == "/"


@pytest.mark.parametrize("secret", ["x" * 10000, "%00", "../../etc/passwd", "ü"],
                         ids=["long", "nul", "dots", "unicode"])
def test_strange_link_secrets_are_404(client, secret):
    for path in (f"/auth/link/{secret}", f"/auth/reset/{secret}", f"/invitations/{secret}"):
        assert client.get(path).status_code == 404, path
        assert client.post(path).status_code == 404, path


def test_bad_invitation_acceptance_keeps_what_was_typed(app, client, make_space, make_user,
                                                         sign_in, outbox):
    space = make_space("quartier-nord")
    sign_in(make_user(member_of=space, role="animator"))
    client.post("/s/quartier-nord/manage/invitations", data={"emails": "new@example.org",
                                                             "role": "member"})
    path = link_path(outbox()[0])
    person = app.test_client()
    for name, password, message in (("N" * 121, "", "120"),
                                    ("Nadia\x00", "", "control characters"),
                                    ("Nadia <b>N.</b>", "short", "10")):
        response = person.post(path, data={"display_name": name, "password": password})
        assert response.status_code == 400
        page = text(response)
        assert message in page, page
        assert "<b>N.</b>" not in page
    assert "Nadia &lt;b&gt;N.&lt;/b&gt;" in page  # kept, escaped
    assert User.get_or_none(User.email == "new@example.org") is None
    # A name with HTML is a name like any other.
    assert person.post(path, data={"display_name": "Nadia <b>N.</b>"}).status_code == 302
    assert User.get(User.email == "new@example.org").display_name == "Nadia <b>N.</b>"


@pytest.mark.parametrize("field, value", [("message", "Bonjour\x00"), ("message", "x" * 2001),
                                          ("emails", "a@example.org\n" * 2000),
                                          ("guest_until", "31/12/2099"), ("role", "emperor")])
def test_bad_invitation_forms(client, make_space, make_user, sign_in, outbox, field, value):
    space = make_space("quartier-nord")
    sign_in(make_user(member_of=space, role="animator"))
    data = {"emails": "new@example.org", "role": "member", "message": "Bienvenue"}
    data[field] = value
    response = client.post("/s/quartier-nord/manage/invitations", data=data)
    assert response.status_code == 400
    assert 'class="error"' in text(response)
    assert Invitation.select().count() == 0 and outbox() == []


def test_delete_form_with_junk(client, make_user, sign_in):
    user = sign_in(make_user())
    for junk in ("x" * 1000, "\x00", user.email + "\x00"):
        assert client.post("/me/delete", data={"confirm": junk}).status_code == 400
    assert User.get_or_none(User.id == user.id) is not None


class TestOversizedBodies:
    @pytest.fixture
    def placette_settings(self):
        return {"max_body_bytes": 10_000}

    def test_too_large_is_413_with_a_page(self, client, make_user, sign_in):
        sign_in(make_user())
        response = client.post("/me/", data={"display_name": "x" * 20_000, "language": "fr"})
        assert response.status_code == 413
        assert "too large" in text(response)
        response = client.get("/api/v1/me", data="x" * 20_000)
        assert response.status_code in (200, 413)
