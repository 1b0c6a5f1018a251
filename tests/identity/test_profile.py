"""A person's profile: display name, language, phone -- validated, escaped, never a 500, and a
form that fails keeps what was typed."""
from __future__ import annotations

import pytest

from placette.models import User

from .web import text


def test_profile_is_saved(client, make_user, sign_in):
    user = sign_in(make_user(email="youssef@example.org", name="Youssef"))
    page = client.get("/me/")
    assert page.status_code == 200 and "youssef@example.org" in text(page)
    response = client.post("/me/", data={"display_name": "  Youssef   B. ", "language": "en",
                                         "phone": "+33 6 12 34 56 78"})
    assert response.status_code == 302
    saved = User.get_by_id(user.id)
    assert (saved.display_name, saved.language, saved.phone) == \
        ("Youssef B.", "en", "+33 6 12 34 56 78")
    assert '<html lang="en">' in text(client.get("/me/"))  # the chosen language is used
    client.post("/me/", data={"display_name": "Youssef B.", "language": "fr", "phone": ""})
    assert User.get_by_id(user.id).phone is None


@pytest.mark.parametrize("field, value, message", [
    ("phone", "call me maybe", "phone number"),
    ("phone", "+33 6 12 34 56 78 90 12 34", "phone number"),
    ("display_name", "x" * 121, "120"),
    ("display_name", "   ", "required"),
    ("display_name", "Mart\x00ine", "control characters"),
    ("display_name", "Mart\x1bine", "control characters"),
    ("language", "de", "Not a valid choice"),
])
def test_bad_profile_input_is_a_form_error(client, make_user, sign_in, field, value, message):
    user = sign_in(make_user(name="Martine", phone="+33 6 00 00 00 00", language="en"))
    data = {"display_name": "Martine D.", "language": "en", "phone": "+33 6 11 11 11 11"}
    data[field] = value
    response = client.post("/me/", data=data)
    assert response.status_code == 400
    page = text(response)
    assert message in page
    assert 'aria-invalid="true"' in page
    if field != "display_name":
        assert 'value="Martine D."' in page  # the rest of what was typed stays
    saved = User.get_by_id(user.id)
    assert (saved.display_name, saved.phone) == ("Martine", "+33 6 00 00 00 00")


def test_html_in_a_name_is_shown_as_text(client, make_user, sign_in, make_space):
    space = make_space("quartier-nord")
    user = sign_in(make_user(member_of=space))
    name = '<img src=x onerror="alert(1)">Zoé'
    assert client.post("/me/", data={"display_name": name, "language": "fr"}
                       ).status_code == 302
    assert User.get_by_id(user.id).display_name == name
    for path in ("/me/", "/", "/s/quartier-nord/members"):
        page = text(client.get(path))
        assert "<img src=x" not in page, path
        assert "&lt;img src=x onerror=" in page, path


def test_the_profile_needs_a_signed_in_person(client):
    response = client.get("/me/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/sign-in")
    assert client.get("/me/data.json").status_code == 302
    assert client.post("/me/delete").status_code == 302
