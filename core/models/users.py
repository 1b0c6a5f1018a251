"""People and their credentials: accounts, single-use sign-in links, API tokens."""
from __future__ import annotations

import secrets

from flask_login import UserMixin
from peewee import BooleanField, CharField, DateTimeField, ForeignKeyField, TextField

from ..db import KernelModel, utcnow
from .fields import JsonField


def new_auth_stamp() -> str:
    return secrets.token_hex(8)


class User(UserMixin, KernelModel):
    """A person.  E-mail is the identity (lower-cased); the password is optional.

    ``auth_stamp`` is part of the session identifier: rotating it (password change, "sign out
    everywhere", suspension) ends every other session at once.  Each signed-in browser also has
    its own :class:`UserSession` row, so signing out ends that one session on the server: a
    copy of its cookie opens nothing afterwards.
    """

    email = CharField(max_length=254, unique=True)
    display_name = CharField(max_length=120)
    language = CharField(max_length=5, default="fr")
    phone = CharField(max_length=32, null=True)
    password_hash = CharField(max_length=255, null=True)
    is_admin = BooleanField(default=False)
    auth_stamp = CharField(max_length=32, default=new_auth_stamp)
    suspended_at = DateTimeField(null=True)
    suspended_reason = TextField(null=True)
    notification_prefs = JsonField(default=dict)
    created_at = DateTimeField(default=utcnow)
    last_seen_at = DateTimeField(null=True)

    def get_id(self) -> str:
        """Flask-Login: what the session (and remember) cookie carries,
        ``<id>:<auth stamp>:<session key>``.  Asked when someone signs in, it opens a new
        server-side session (see ``placette.identity.sessions``)."""
        key = getattr(self, "_session_key", None)
        if key is None:
            from ..identity.sessions import open_session
            key = self._session_key = open_session(self)
        return f"{self.id}:{self.auth_stamp}:{key}"

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.suspended_at is None

    @property
    def is_suspended(self) -> bool:
        return self.suspended_at is not None

    def __str__(self) -> str:
        return self.display_name


class UserSession(KernelModel):
    """One signed-in browser: its key is in the session cookie, only a hash of it here.

    Deleting the row (sign-out) ends that session on the server whatever copy of the cookie
    survives; each request checks it in the same single indexed query that loads the person.
    """

    user = ForeignKeyField(User, backref="sessions", on_delete="CASCADE")
    key_hash = CharField(max_length=64, unique=True)
    created_at = DateTimeField(default=utcnow, index=True)


class LoginLink(KernelModel):
    """A single-use, short-lived secret sent by e-mail: sign-in links and password resets.

    Only a hash of the secret is stored, so a database leak does not open accounts.
    """

    user = ForeignKeyField(User, backref="login_links", on_delete="CASCADE")
    purpose = CharField(max_length=16, default="sign_in")  # sign_in | reset
    token_hash = CharField(max_length=64, unique=True)
    next_url = CharField(max_length=500, null=True)
    created_at = DateTimeField(default=utcnow)
    expires_at = DateTimeField()
    used_at = DateTimeField(null=True)


class ApiToken(KernelModel):
    """A bearer token for the JSON API (scripts, integrations); stored hashed, revocable."""

    user = ForeignKeyField(User, backref="api_tokens", on_delete="CASCADE")
    name = CharField(max_length=100, default="")
    token_hash = CharField(max_length=64, unique=True)
    created_at = DateTimeField(default=utcnow)
    last_used_at = DateTimeField(null=True)
    revoked_at = DateTimeField(null=True)
