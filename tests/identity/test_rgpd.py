"""RGPD: "download my data" holds the kernel's data and every plugin's (``export_user_data``);
deleting the account runs ``erase_user_data`` and leaves no e-mail address behind, not even in
the audit log."""
from __future__ import annotations

import json

import pytest

import placette
from placette import hookimpl
from placette.models import (ApiToken, AuditEntry, Invitation, JoinRequest, LoginLink,
                             Membership, User)

from .web import signed_in, text


class NotebookPlugin:
    """An in-process plugin that keeps notes about people."""

    def __init__(self):
        self.erased: list[int] = []

    @hookimpl
    def register_manifest(self):
        return placette.PluginManifest(name="notebook", title="Notebook")

    @hookimpl
    def export_user_data(self, user):
        if user.id in self.erased:
            return None
        return {"notes": [f"meeting notes by {user.display_name}"], "count": 1}

    @hookimpl
    def erase_user_data(self, user):
        self.erased.append(user.id)


class BrokenExportPlugin:
    @hookimpl
    def register_manifest(self):
        return placette.PluginManifest(name="broken", title="Broken")

    @hookimpl
    def export_user_data(self, user):
        raise RuntimeError("boom")


@pytest.fixture
def notebook():
    return NotebookPlugin()


@pytest.fixture
def placette_extra_plugins(notebook):
    return {"notebook": notebook, "broken": BrokenExportPlugin()}


def test_download_my_data(client, make_user, make_space, sign_in):
    from placette.identity.invitations import invite
    from placette.identity.tokens import create_token
    from placette.spaces import request_to_join
    council = make_space("quartier-nord", name="Quartier Nord")
    group = make_space("mobilite", kind="group")
    user = make_user(email="martine@example.org", name="Martine", member_of=council,
                     phone="+33 6 12 34 56 78")
    create_token(user, "tableur")
    request_to_join(group, user, "Je voudrais participer")
    invite(group, "martine@example.org", "member", send=False)
    sign_in(user)

    response = client.get("/me/data.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "no-store"
    data = json.loads(response.get_data(as_text=True))
    assert data["account"]["email"] == "martine@example.org"
    assert data["account"]["display_name"] == "Martine"
    assert data["account"]["phone"] == "+33 6 12 34 56 78"
    assert [m["space"] for m in data["memberships"]] == ["quartier-nord"]
    assert data["join_requests"][0]["message"] == "Je voudrais participer"
    assert data["invitations_received"][0]["space"] == "mobilite"
    assert data["api_tokens"][0]["name"] == "tableur"
    assert "token_hash" not in response.get_data(as_text=True)
    # Every plugin, through the hook; a failing plugin is skipped, the rest is exported.
    assert data["plugins"] == {"notebook": {"notes": ["meeting notes by Martine"],
                                            "count": 1}}


def test_delete_my_account(app, client, make_user, make_space, sign_in, notebook):
    from placette.identity.invitations import invite
    from placette.identity.tokens import create_token
    from placette.spaces import add_member
    council = make_space("quartier-nord")
    animator = make_user(email="karim@example.org", member_of=council, role="animator")
    user = make_user(email="martine@example.org", name="Martine", member_of=council,
                     password="martine's long secret")
    # Traces in the audit log: things done by her, and to her.
    add_member(council, make_user(email="ami@example.org"), "member", actor=user)
    add_member(council, user, "animator", actor=animator)
    invite(council, "martine@example.org", "member", actor=animator, send=False)
    create_token(user, "cli")
    other_browser = app.test_client()
    other_browser.post("/auth/password", data={"pw-email": user.email,
                                               "pw-password": "martine's long secret"})
    sign_in(user)
    assert AuditEntry.select().count() >= 3

    page = client.get("/me/delete")
    assert page.status_code == 200 and "/me/data.json" in text(page)
    wrong = client.post("/me/delete", data={"confirm": "someone@example.org"})
    assert wrong.status_code == 400
    assert "This is not your e-mail address." in text(wrong)
    assert 'value="someone@example.org"' in text(wrong)
    assert User.get_or_none(User.id == user.id) is not None

    response = client.post("/me/delete", data={"confirm": " Martine@Example.org "})
    assert response.status_code == 302
    assert notebook.erased == [user.id]
    assert User.get_or_none(User.id == user.id) is None
    assert User.get_or_none(User.email == "martine@example.org") is None
    for model in (Membership, ApiToken, LoginLink, JoinRequest):
        assert model.select().where(model.user == user.id).count() == 0
    assert Invitation.select().where(Invitation.email == "martine@example.org").count() == 0
    assert not signed_in(client) and not signed_in(other_browser)

    # The audit log keeps what happened, not who she was.
    entries = list(AuditEntry.select())
    assert entries
    for entry in entries:
        dump = json.dumps([entry.actor_label, entry.target, entry.before, entry.after],
                          default=str)
        assert "martine@example.org" not in dump
    labels = {e.actor_label for e in entries} | {e.target for e in entries}
    assert any(f"deleted user #{user.id}" in label for label in labels)
    # Other people's traces are untouched.
    assert any("karim@example.org" == e.actor_label for e in entries)


def test_an_admin_is_not_erased_by_mistake(client, make_user, sign_in):
    sign_in(make_user(email="claire@example.org"))
    assert client.post("/me/delete", data={"confirm": ""}).status_code == 400
    assert User.get_or_none(User.email == "claire@example.org") is not None
