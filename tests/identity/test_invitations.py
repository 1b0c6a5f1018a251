"""Invitations by an animator: a 14-day link that creates the account or attaches the existing
one; guests always carry an end date; re-inviting replaces the pending invitation."""
from __future__ import annotations

import datetime as dt

import pytest

from placette.db import utcnow
from placette.models import Invitation, Membership, User

from .web import link_path, signed_in, text


@pytest.fixture
def council(make_space):
    return make_space("quartier-nord", name="Quartier Nord", visibility="members")


@pytest.fixture
def animator(council, make_user, sign_in):
    return sign_in(make_user(email="karim@example.org", name="Karim", member_of=council,
                             role="animator"))


def _invite(client, **data):
    data.setdefault("role", "member")
    return client.post("/s/quartier-nord/manage/invitations", data=data)


def test_invitation_creates_the_account(app, client, council, animator, outbox):
    response = _invite(client, emails="Nouvelle@Example.org", message="Bienvenue !")
    assert response.status_code == 302
    invitation = Invitation.get()
    assert invitation.email == "nouvelle@example.org"
    assert invitation.expires_at - invitation.created_at == pytest.approx(
        dt.timedelta(days=14), abs=dt.timedelta(seconds=5))
    pending = text(client.get("/s/quartier-nord/manage/invitations"))
    assert "nouvelle@example.org" in pending

    mails = outbox("nouvelle@example.org")
    assert len(mails) == 1
    path = link_path(mails[0])

    guest = app.test_client()
    page = guest.get(path)
    assert page.status_code == 200
    assert "Quartier Nord" in text(page) and "nouvelle@example.org" in text(page)
    assert 'name="display_name"' in text(page)

    # A name is needed for a new account; what was typed stays.
    response = guest.post(path, data={"display_name": "  ", "password": "short"})
    assert response.status_code == 400
    assert User.get_or_none(User.email == "nouvelle@example.org") is None

    response = guest.post(path, data={"display_name": "Nadia Nouvelle", "password": ""})
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert signed_in(guest)
    user = User.get(User.email == "nouvelle@example.org")
    assert user.display_name == "Nadia Nouvelle" and user.password_hash is None
    membership = Membership.get(Membership.user == user)
    assert (membership.space_id, membership.role, membership.expires_at) == \
        (council.id, "member", None)
    assert guest.get("/s/quartier-nord").status_code == 200  # members-only: now readable

    # Single use.
    again = app.test_client().post(path, data={"display_name": "Someone else"})
    assert again.status_code == 410 and "already been accepted" in text(again)
    assert User.select().where(User.email == "nouvelle@example.org").count() == 1


def test_invitation_with_a_password(app, client, animator, outbox):
    _invite(client, emails="bruno@example.org")
    guest = app.test_client()
    guest.post(link_path(outbox()[0]), data={"display_name": "Bruno",
                                             "password": "bruno's long secret"})
    fresh = app.test_client()
    assert fresh.post("/auth/password", data={"pw-email": "bruno@example.org",
                                              "pw-password": "bruno's long secret"}
                      ).status_code == 302


def test_invitation_attaches_an_existing_account(app, client, council, animator, make_user,
                                                 outbox):
    existing = make_user(email="martine@example.org", name="Martine",
                         password="martine's own secret", language="en")
    _invite(client, emails="martine@example.org")
    path = link_path(outbox("martine@example.org")[0])
    person = app.test_client()
    page = person.get(path)
    assert page.status_code == 200 and 'name="display_name"' not in text(page)
    # A crafted password field does not replace the existing password.
    response = person.post(path, data={"display_name": "Pirate", "password": "taken over!!"})
    assert response.status_code == 302 and signed_in(person)
    user = User.get_by_id(existing.id)
    assert user.display_name == "Martine"
    assert Membership.get(Membership.user == user).space_id == council.id
    assert User.select().where(User.email == "martine@example.org").count() == 1
    fresh = app.test_client()
    assert fresh.post("/auth/password", data={"pw-email": user.email,
                                              "pw-password": "martine's own secret"}
                      ).status_code == 302


def test_guest_invitations_carry_an_end_date(app, client, animator, outbox):
    response = _invite(client, emails="expert@example.org", role="guest")
    assert response.status_code == 400
    assert "A guest always has an end date." in text(response)
    assert 'expert@example.org' in text(response)  # what was typed stays
    assert Invitation.select().count() == 0

    end = (utcnow() + dt.timedelta(days=30)).date()
    response = _invite(client, emails="expert@example.org", role="guest",
                       guest_until=end.isoformat())
    assert response.status_code == 302
    person = app.test_client()
    person.post(link_path(outbox()[0]), data={"display_name": "Experte"})
    membership = Membership.get(Membership.user == User.get(User.email == "expert@example.org"))
    assert membership.role == "guest"
    assert membership.expires_at.date() == end


def test_guest_access_that_ended_before_acceptance(app, client, animator, outbox):
    end = (utcnow() + dt.timedelta(days=2)).date()
    _invite(client, emails="late@example.org", role="guest", guest_until=end.isoformat())
    Invitation.update(guest_until=utcnow() - dt.timedelta(minutes=1)).execute()
    response = app.test_client().post(link_path(outbox()[0]), data={"display_name": "Late"})
    assert response.status_code == 410 and "already ended" in text(response)
    assert Membership.select().where(Membership.role == "guest").count() == 0


def test_expired_unknown_and_replaced_invitations(app, client, animator, outbox):
    assert app.test_client().get("/invitations/nonsense").status_code == 404

    _invite(client, emails="lea@example.org")
    first = link_path(outbox()[0])
    _invite(client, emails="lea@example.org", role="animator")
    second = link_path(outbox()[1])
    assert Invitation.select().where(Invitation.revoked_at.is_null()).count() == 1
    pending = text(client.get("/s/quartier-nord/manage/invitations"))
    assert pending.count("<td>lea@example.org</td>") == 1

    person = app.test_client()
    response = person.get(first)
    assert response.status_code == 410 and "replaced by a newer one" in text(response)

    Invitation.update(expires_at=utcnow() - dt.timedelta(seconds=1)).where(
        Invitation.revoked_at.is_null()).execute()
    response = person.post(second, data={"display_name": "Léa"})
    assert response.status_code == 410 and "expired" in text(response)
    assert User.select().where(User.email == "lea@example.org").count() == 0


def test_only_animators_invite_and_only_up_to_their_role(app, client, council, animator,
                                                         make_user, sign_in, outbox):
    response = _invite(client, emails="boss@example.org", role="admin")
    assert response.status_code == 400 and Invitation.select().count() == 0

    sign_in(make_user(member_of=council))
    assert client.get("/s/quartier-nord/manage/invitations").status_code == 404
    assert _invite(client, emails="x@example.org").status_code == 404
    assert Invitation.select().count() == 0 and outbox() == []


def test_bad_addresses_are_reported_and_the_good_ones_sent(client, animator, outbox):
    response = _invite(client, emails="bonne@example.org, pas-une-adresse\n"
                                      "<script>@x")
    assert response.status_code == 200
    page = text(response)
    assert "pas-une-adresse" in page and "<script>@x" not in page
    assert [m["To"] for m in outbox()] == ["bonne@example.org"]


def test_a_suspended_account_cannot_accept(app, client, animator, make_user, outbox):
    from placette.identity.accounts import suspend
    person = make_user(email="suspendu@example.org")
    _invite(client, emails="suspendu@example.org")
    suspend(person, "test")
    response = app.test_client().post(link_path(outbox()[0]), data={})
    assert response.status_code == 403 and "suspended" in text(response)
    assert Membership.select().where(Membership.user == person.id).count() == 0
