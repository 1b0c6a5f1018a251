"""Calendar feed tokens: calendar apps cannot sign in, so a person's feeds carry a secret.

Only its SHA-256 is stored; a person may revoke it (and get a new one) at any time.  What a feed
shows is always computed with the token owner's current rights: leaving a private group removes
its meetings from the feed at the next fetch, a feed for a space they may no longer read is 404.
"""
from __future__ import annotations

import hashlib
import secrets

import placette

from .models import FeedToken


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def create(user) -> str:
    """Revoke the person's previous token and return a new one (shown once)."""
    secret = "cal_" + secrets.token_urlsafe(32)
    with placette.atomic():
        revoke_all(user)
        FeedToken.create(user=user.id, token_hash=_digest(secret), hint=secret[4:10])
    return secret


def revoke_all(user) -> int:
    return (FeedToken.update(revoked_at=placette.utcnow())
            .where((FeedToken.user == user.id) & FeedToken.revoked_at.is_null()).execute())


def active(user) -> FeedToken | None:
    return (FeedToken.select().where((FeedToken.user == user.id)
                                     & FeedToken.revoked_at.is_null()).first())


def owner(secret: str):
    """The person a token belongs to, or ``None`` (unknown, revoked, suspended)."""
    if not secret or not secret.startswith("cal_") or len(secret) > 100:
        return None
    token = (FeedToken.select(FeedToken, placette.User).join(placette.User)
             .where((FeedToken.token_hash == _digest(secret)) & FeedToken.revoked_at.is_null())
             .first())
    if token is None or token.user.is_suspended:
        return None
    now = placette.utcnow()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 3600:
        FeedToken.update(last_used_at=now).where(FeedToken.id == token.id).execute()
    return token.user
