"""Single-use links sent by e-mail: sign-in (default 15 minutes) and password reset.

Opening the link shows a confirmation button; only the POST consumes it.  Mail scanners that
pre-fetch every URL of a message therefore cannot burn a person's link before they click.
"""
from __future__ import annotations

import datetime as dt

from ..db import atomic, utcnow
from ..models import LoginLink, User
from .accounts import AccountError
from .secrets_ import digest, new_secret


def create_link(user: User, purpose: str = "sign_in", minutes: int = 15,
                next_url: str | None = None) -> str:
    secret = new_secret()
    LoginLink.create(user=user, purpose=purpose, token_hash=digest(secret), next_url=next_url,
                     expires_at=utcnow() + dt.timedelta(minutes=minutes))
    return secret


def peek(secret: str, purpose: str = "sign_in") -> LoginLink:
    """The link if it may still be used, else :class:`AccountError` (``invalid_link``,
    ``expired_link``, ``used_link``)."""
    link = LoginLink.get_or_none((LoginLink.token_hash == digest(secret or ""))
                                 & (LoginLink.purpose == purpose))
    if link is None:
        raise AccountError("invalid_link", "this link is not valid")
    if link.used_at is not None:
        raise AccountError("used_link", "this link has already been used")
    if link.expires_at <= utcnow():
        raise AccountError("expired_link", "this link has expired")
    return link


def consume(secret: str, purpose: str = "sign_in") -> LoginLink:
    """Mark the link used (atomically: two clicks racing cannot both succeed) and return it."""
    with atomic():
        link = peek(secret, purpose)
        updated = (LoginLink.update(used_at=utcnow())
                   .where((LoginLink.id == link.id) & LoginLink.used_at.is_null())
                   .execute())
        if updated != 1:
            raise AccountError("used_link", "this link has already been used")
    return link
