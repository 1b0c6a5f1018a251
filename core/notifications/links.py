"""Signed links in mails: mute a space or an item, switch a channel off -- no sign-in needed.

The link carries who and what, signed with the instance's secret (itsdangerous), so nothing is
stored per mail and a link cannot be altered to mute someone else.  Links do not expire: a
month-old mail must still let its reader stop the flow.  What they do is small and undoable.
"""
from __future__ import annotations

import secrets
from typing import Any

from itsdangerous import BadSignature, URLSafeSerializer

from ..kernel import config

MUTE_SALT = "placette.notifications.mute"
UNSUBSCRIBE_SALT = "placette.notifications.unsubscribe"


def _serializer(salt: str) -> URLSafeSerializer:
    return URLSafeSerializer(config().secret_key, salt=salt)


def absolute(path: str) -> str:
    """An absolute link back to the site (mails and feeds are read away from it)."""
    if path.startswith(("http://", "https://")):
        return path
    return config().base_url.rstrip("/") + "/" + path.lstrip("/")


def mute_token(user_id: int, space_id: int | None = None, resource_id: int | None = None) -> str:
    payload: dict[str, Any] = {"u": user_id}
    if resource_id is not None:
        payload["r"] = resource_id
    else:
        payload["s"] = space_id
    return _serializer(MUTE_SALT).dumps(payload)


def read_mute_token(token: str) -> dict[str, int] | None:
    """``{"u": user_id, "s": space_id}`` or ``{"u": ..., "r": resource_id}``; ``None`` if forged."""
    try:
        payload = _serializer(MUTE_SALT).loads(token)
    except BadSignature:
        return None
    if not isinstance(payload, dict) or not isinstance(payload.get("u"), int):
        return None
    if not isinstance(payload.get("s"), int) and not isinstance(payload.get("r"), int):
        return None
    return payload


def mute_url(user_id: int, space_id: int | None = None, resource_id: int | None = None) -> str:
    return absolute(f"/mute/{mute_token(user_id, space_id, resource_id)}")


def unsubscribe_token(user_id: int, channel: str) -> str:
    return _serializer(UNSUBSCRIBE_SALT).dumps({"u": user_id, "c": channel})


def read_unsubscribe_token(token: str) -> dict[str, Any] | None:
    try:
        payload = _serializer(UNSUBSCRIBE_SALT).loads(token)
    except BadSignature:
        return None
    if not isinstance(payload, dict) or not isinstance(payload.get("u"), int) \
            or not isinstance(payload.get("c"), str):
        return None
    return payload


def unsubscribe_url(user_id: int, channel: str) -> str:
    return absolute(f"/unsubscribe/{unsubscribe_token(user_id, channel)}")


def new_feed_secret() -> str:
    return secrets.token_urlsafe(24)
