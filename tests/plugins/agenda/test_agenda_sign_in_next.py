"""The way back in (issue 17, point 11): Martine, signed out, follows a link in a mail to a
members-only meeting.  The page answers 404 and names nothing, but offers to sign in; once signed
in -- by password or by the e-mailed link -- she lands on the meeting, not on her dashboard."""
from __future__ import annotations

import html
import re

import pytest

from placette.testing import mail_text

PASSWORD = "a-long-password-1"


@pytest.fixture
def meeting_url(make_space, make_user, make_meeting):
    council = make_space("personnes-handicapees", visibility="members", plugins=["agenda"],
                         name="Conseil des personnes handicapées")
    animator = make_user(member_of=council, role="animator", name="Karim Animateur")
    make_user(email="martine@example.org", name="Martine", member_of=council,
              password=PASSWORD)
    meeting = make_meeting(council, animator, title="Séance plénière de décembre")
    return f"/s/personnes-handicapees/agenda/{meeting.id}"


def _sign_in_page_from_the_404(client, url):
    """Follow the 404 page's offer; return the sign-in page's HTML."""
    page = client.get(url)
    assert page.status_code == 404
    text = page.get_data(as_text=True)
    assert "Séance plénière" not in text and "personnes handicapées" not in text
    offer = re.search(r'<a href="([^"]+)">Sign in to see this page if it is yours</a>', text)
    assert offer, "the 404 page offers no sign-in"
    sign_in = client.get(html.unescape(offer.group(1)))
    assert sign_in.status_code == 200
    return sign_in.get_data(as_text=True)


def _hidden_next(page: str, prefix: str = "") -> str:
    found = re.search(rf'name="{prefix}next" type="hidden" value="([^"]*)"', page) or \
        re.search(rf'type="hidden" name="{prefix}next" value="([^"]*)"', page) or \
        re.search(rf'id="{prefix}next" name="{prefix}next" type="hidden" value="([^"]*)"', page)
    assert found, f"no hidden {prefix}next field"
    return html.unescape(found.group(1))


def test_by_password_she_lands_on_the_meeting(client, meeting_url):
    page = _sign_in_page_from_the_404(client, meeting_url)
    response = client.post("/auth/password", data={
        "pw-email": "martine@example.org", "pw-password": PASSWORD,
        "pw-next": _hidden_next(page, "pw-")})
    assert response.status_code == 302
    assert response.headers["Location"] == meeting_url
    meeting = client.get(meeting_url)
    assert meeting.status_code == 200
    assert "Séance plénière de décembre" in meeting.get_data(as_text=True)


def test_by_e_mailed_link_she_lands_on_the_meeting(client, meeting_url, outbox):
    page = _sign_in_page_from_the_404(client, meeting_url)
    sent = client.post("/auth/sign-in", data={"email": "martine@example.org",
                                              "next": _hidden_next(page)})
    assert sent.status_code == 200
    link = re.search(r"/auth/link/[\w-]+", mail_text(outbox("martine@example.org")[-1])).group(0)
    assert client.get(link).status_code == 200          # "Sign in as Martine?" confirmation
    response = client.post(link)
    assert response.status_code == 302
    assert response.headers["Location"] == meeting_url
    assert "Séance plénière de décembre" in client.get(meeting_url).get_data(as_text=True)


def test_signed_in_strangers_get_the_plain_404(client, meeting_url, make_user, sign_in):
    sign_in(make_user(name="Paul"))
    text = client.get(meeting_url).get_data(as_text=True)
    assert "Sign in to see this page" not in text
    assert "Séance plénière" not in text


def test_the_offer_never_carries_another_site(client):
    text = client.get("//evil.example/x").get_data(as_text=True)
    assert "evil.example" not in text
