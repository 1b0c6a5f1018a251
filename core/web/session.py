"""Who is making the request: session cookie (Flask-Login) or ``Authorization: Bearer``.

The session cookie carries ``<user id>:<auth stamp>``; a stamp that no longer matches (password
changed, signed out everywhere, suspended) makes the session anonymous at once.
"""
from __future__ import annotations

from flask import g, request
from flask_login import AnonymousUserMixin, LoginManager

from ..db import compiled_sql, utcnow
from ..identity.tokens import user_for_token
from ..models import User


class Anonymous(AnonymousUserMixin):
    id = None
    is_admin = False
    is_suspended = False
    display_name = ""
    language = None


def init(app, registry) -> LoginManager:
    manager = LoginManager(app)
    manager.anonymous_user = Anonymous
    manager.login_view = "auth.sign_in"
    manager.login_message = None
    manager.session_protection = None  # the auth stamp does the job without IP/agent pinning

    @manager.user_loader
    def load_user(session_id: str):
        user_id, _, stamp = (session_id or "").partition(":")
        if not user_id.isdigit():
            return None
        sql = compiled_sql("session.user", lambda: User.select().where(User.id == 0))
        user = next(iter(User.raw(sql, int(user_id))), None)  # every request: cached SQL
        if user is None or user.auth_stamp != stamp or user.is_suspended:
            return None
        now = utcnow()
        if user.last_seen_at is None or (now - user.last_seen_at).total_seconds() > 3600:
            User.update(last_seen_at=now).where(User.id == user.id).execute()
        return user

    @manager.request_loader
    def load_from_request(req):
        header = req.headers.get("Authorization", "")
        if header.lower().startswith("bearer "):
            g.auth_method = "token"
            return user_for_token(header[7:].strip())
        custom = registry.first("actor_from_request", request=req)
        if custom is not None:
            g.auth_method = "plugin"
        return custom

    return manager


def uses_bearer_token() -> bool:
    return request.headers.get("Authorization", "").lower().startswith("bearer ")
