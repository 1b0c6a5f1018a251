"""Every kernel mail (sign-in link, password reset, invitation) has a text and an HTML part, is in
the recipient's language (French by default, English when chosen) and links back to the site at
the instance's ``base_url``."""
from __future__ import annotations

import datetime as dt
import re

import pytest

from placette.db import utcnow
from placette.testing import mail_html, mail_text

from .web import link_path, signed_in

BASE = "https://participation.ville-test.fr"


@pytest.fixture
def placette_settings():
    return {"base_url": BASE, "city": "Ville-Test"}



@pytest.fixture
def placette_language():
    """These tests are about mails in the city's language: French, the product default."""
    return "fr"

def _links(message) -> list[str]:
    return re.findall(r'href="([^"]+)"', mail_html(message))


def _check_parts(message, language: str):
    assert message.is_multipart()
    text, html = mail_text(message), mail_html(message)
    assert text and html
    assert message["Content-Language"] == language
    assert f'<html lang="{language}">' in html
    # Links go back to the site, at its public address.
    site_links = [u for u in re.findall(r"https?://\S+", text)]
    assert site_links and all(u.startswith(BASE + "/") or u == BASE for u in site_links)
    assert all(h.startswith(BASE) for h in _links(message))
    return text, html


def _sign_in_mail(client, outbox, user):
    client.post("/auth/sign-in", data={"email": user.email})
    return outbox(user.email)[-1]


def test_sign_in_link_mail_in_french_by_default(client, make_user, outbox):
    user = make_user(email="martine@example.org", name="Martine")
    message = _sign_in_mail(client, outbox, user)
    assert message["Subject"] == "Votre lien de connexion à Ville-Test"
    text, html = _check_parts(message, "fr")
    assert "Bonjour Martine," in text and "15 minutes" in text
    assert "Me connecter" in html
    path = link_path(message)
    assert path.startswith("/auth/link/") and f"{BASE}{path}" in _links(message)
    # The link in the mail is the one that works.
    client.post(path)
    assert signed_in(client)


def test_sign_in_link_mail_in_english_when_chosen(client, make_user, outbox):
    user = make_user(email="youssef@example.org", name="Youssef", language="en")
    message = _sign_in_mail(client, outbox, user)
    assert message["Subject"] == "Your sign-in link for Ville-Test"
    text, html = _check_parts(message, "en")
    assert "Hello Youssef," in text and "Sign me in" in html


def test_the_visitor_page_language_does_not_change_the_mail(client, make_user, outbox):
    """An English-speaking browser asks for the link of a French-speaking person: French mail."""
    user = make_user(email="martine@example.org", language="fr")
    client.post("/auth/sign-in?lang=en", data={"email": user.email},
                headers={"Accept-Language": "en"})
    assert outbox()[0]["Content-Language"] == "fr"


def test_password_reset_mail(client, make_user, outbox):
    for language, subject, hello in (("fr", "Choisissez un nouveau mot de passe pour Ville-Test",
                                      "Bonjour"),
                                     ("en", "Choose a new password for Ville-Test", "Hello")):
        user = make_user(language=language)
        client.post("/auth/reset", data={"email": user.email})
        message = outbox(user.email)[-1]
        assert message["Subject"] == subject
        text, html = _check_parts(message, language)
        assert hello in text
        assert link_path(message).startswith("/auth/reset/")


def test_invitation_mail(client, make_space, make_user, sign_in, outbox):
    space = make_space("quartier-nord", name="Quartier Nord")
    sign_in(make_user(name="Karim Animateur", member_of=space, role="animator"))
    make_user(email="english@example.org", language="en")
    end = (utcnow() + dt.timedelta(days=30)).date()
    client.post("/s/quartier-nord/manage/invitations", data={
        "emails": "nouveau@example.org english@example.org", "role": "guest",
        "guest_until": end.isoformat(), "message": "Venez !"})

    new = outbox("nouveau@example.org")[0]  # no account yet: the city's language
    assert new["Subject"] == "Karim Animateur vous invite à rejoindre le Quartier Nord"
    text, html = _check_parts(new, "fr")
    assert "Venez !" in text and "14 jours" in text
    assert "votre accès prend fin le" in text
    assert link_path(new).startswith("/invitations/")

    existing = outbox("english@example.org")[0]  # an account: its language
    assert existing["Subject"] == "Karim Animateur invites you to Quartier Nord"
    text, _html = _check_parts(existing, "en")
    assert "your access ends on" in text


def test_names_in_mails_are_escaped_in_html(client, make_space, make_user, sign_in, outbox):
    space = make_space("quartier-nord", name="Quartier <b>Nord</b>")
    sign_in(make_user(name='<script>alert("x")</script>', member_of=space, role="animator"))
    client.post("/s/quartier-nord/manage/invitations", data={
        "emails": "nouveau@example.org", "role": "member", "message": "<img src=x>"})
    message = outbox()[0]
    html = mail_html(message)
    assert "<script>" not in html and "<img src=x>" not in html and "<b>Nord" not in html
    assert "&lt;script&gt;" in html
    # The text part is plain text: shown as typed.
    assert '<script>alert("x")</script>' in mail_text(message)


def test_mails_can_be_composed_outside_a_request(app, make_user, outbox):
    """Tasks and commands send mails too (no request): same rendering, same links."""
    from placette.mail import send_templated
    user = make_user(name="Martine")
    with app.app_context():
        send_templated(user.email, "fr", "Your sign-in link for %(city)s",
                       "mail/sign_in_link", user=user, url="/auth/link/xyz", minutes=15)
    message = outbox()[0]
    assert f"{BASE}/auth/link/xyz" in mail_text(message)
    _check_parts(message, "fr")
