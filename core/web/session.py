"""Who is making the request: session cookie (Flask-Login) or ``Authorization: Bearer``.

The session cookie carries ``<user id>:<auth stamp>:<session key>``; a session signed out on the
server (``placette.identity.sessions``) or a stamp that no longer matches (password changed,
signed out everywhere, suspended) makes the request anonymous at once.

A bearer token that is unknown, revoked or belongs to a suspended account is refused with a 401
``{"error": {"code": "invalid_token"}}`` before any view runs: silently treating the script as
anonymous would hide the mistake and serve it public data as if all were well.  Failed tokens
count towards the client address's sign-in rate limit (then 429), so tokens cannot be guessed.
"""
from __future__ import annotations

from flask import g, request
from flask.sessions import SecureCookieSessionInterface
from flask_login import AnonymousUserMixin, LoginManager

from ..db import utcnow
from ..identity.sessions import user_for_session
from ..identity.tokens import user_for_token
from ..models import User


class Anonymous(AnonymousUserMixin):
    id = None
    is_admin = False
    is_suspended = False
    display_name = ""
    language = None


class KeptSignerSessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, the signing serializer built once per set of keys.

    Flask builds a new serializer for every request that reads or writes the cookie, and
    building one serialises an empty dict to learn its text type: about 30 us of every
    request for an object that only depends on the secret keys.  A change of keys (the
    secret rotated, with the old one in ``SECRET_KEY_FALLBACKS``) builds it anew.
    """

    def __init__(self):
        self._kept: tuple | None = None

    def get_signing_serializer(self, app):
        keys = (app.secret_key, tuple(app.config.get("SECRET_KEY_FALLBACKS") or ()))
        kept = self._kept
        if kept is None or kept[0] != keys:
            kept = self._kept = (keys, super().get_signing_serializer(app))
        return kept[1]


def init(app, registry) -> LoginManager:
    app.session_interface = KeptSignerSessionInterface()
    manager = LoginManager(app)
    manager.anonymous_user = Anonymous
    manager.login_view = "auth.sign_in"
    manager.login_message = None
    manager.session_protection = None  # the auth stamp does the job without IP/agent pinning

    @manager.user_loader
    def load_user(session_id: str):
        if uses_bearer_token():
            # Explicit credentials win over the cookie: a script sending a token acts as the
            # token's owner (or as nobody if it is wrong), whoever is signed in in the browser.
            return None
        user_id, _, rest = (session_id or "").partition(":")
        stamp, _, key = rest.partition(":")
        if not user_id.isdigit() or not key:
            return None
        user = user_for_session(int(user_id), key)  # every request: one indexed query
        if user is None or user.auth_stamp != stamp or user.is_suspended:
            return None
        user._session_key = key
        now = utcnow()
        if user.last_seen_at is None or (now - user.last_seen_at).total_seconds() > 3600:
            User.update(last_seen_at=now).where(User.id == user.id).execute()
        return user

    @app.before_request
    def refuse_invalid_token():
        g.pop("bearer_user", None)
        if not uses_bearer_token():
            return None
        user = user_for_token(request.headers["Authorization"][7:].strip())
        if user is None:
            # A plugin may issue bearer credentials of its own (actor_from_request).
            user = registry.first("actor_from_request", request=request)
        if user is not None:
            g.bearer_user = user
            return None
        from ..api.errors import error_response
        from .limits import allow_failed_attempt
        if not allow_failed_attempt("token"):
            return error_response(429, "rate_limited", "too many invalid tokens from this "
                                  "address: wait a moment")
        response = error_response(401, "invalid_token", "the bearer token is unknown or "
                                  "revoked, or its account is suspended")
        response.headers["WWW-Authenticate"] = 'Bearer error="invalid_token"'
        return response

    @manager.request_loader
    def load_from_request(req):
        if uses_bearer_token():
            g.auth_method = "token"
            return g.get("bearer_user")
        custom = registry.first("actor_from_request", request=req)
        if custom is not None:
            g.auth_method = "plugin"
        return custom

    return manager


def uses_bearer_token() -> bool:
    return request.headers.get("Authorization", "")[:7].lower() == "bearer "
