"""Rate limits (Flask-Limiter): sign-in attempts per address and per e-mail, report floods.

Counters live in memory for the embedded setup and in Redis when ``redis_url`` is set, so that
several web processes share them.
"""
from __future__ import annotations

from flask import current_app, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

limiter = Limiter(key_func=get_remote_address, default_limits=[], headers_enabled=True,
                  strategy="moving-window")


_LIMITED_VIEWS: set[str] = set()


def limit(*args, **kwargs):
    """``limiter.limit(...)`` that also records the view: requests to any other view skip
    Flask-Limiter altogether (its per-request bookkeeping cost a tenth of a millisecond on
    every page, for limits that only the sign-in forms have)."""
    decorator = limiter.limit(*args, **kwargs)

    def wrap(view):
        _LIMITED_VIEWS.add(f"{view.__module__}.{view.__name__}")
        return decorator(view)
    return wrap


def is_limited(view) -> bool:
    """Has this view a rate limit?  (The page cache never keeps their answers.)"""
    return f"{view.__module__}.{view.__name__}" in _LIMITED_VIEWS


@limiter.request_filter
def _view_has_no_limit() -> bool:
    view = current_app.view_functions.get(request.endpoint or "")
    return view is None or f"{view.__module__}.{view.__name__}" not in _LIMITED_VIEWS


def init(app, config) -> Limiter:
    app.config["RATELIMIT_STORAGE_URI"] = config.redis_url or "memory://"
    app.config.setdefault("RATELIMIT_KEY_PREFIX", "placette")
    limiter.init_app(app)
    return limiter


def sign_in_limit():
    from ..kernel import config
    return config().sign_in_rate_limit


def posted_email() -> str:
    """Key for per-address limits: the e-mail in the form (so one inbox cannot be flooded)."""
    return "email:" + (request.form.get("email") or "").strip().lower()


def allow_failed_attempt(scope: str) -> bool:
    """Count one failed attempt of the client address under ``scope``; False past the limit.

    For attempts that are not a route of their own (a wrong bearer token can come with any API
    call): the same ``sign_in_rate_limit`` as the sign-in forms, counted in the same storage.
    """
    from limits import parse_many
    from ..kernel import config
    if not limiter.enabled:
        return True
    key = f"{scope}:{get_remote_address()}"
    allowed = True
    for item in parse_many(config().sign_in_rate_limit):
        if not limiter.limiter.hit(item, "placette", key):
            allowed = False
    return allowed
