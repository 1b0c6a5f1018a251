"""API bearer tokens: created from the command line or the profile, stored hashed."""
from __future__ import annotations

from ..db import utcnow
from ..models import ApiToken, User
from .secrets_ import digest, new_secret

PREFIX = "plc_"


def create_token(user: User, name: str = "") -> str:
    secret = PREFIX + new_secret()
    ApiToken.create(user=user, name=name, token_hash=digest(secret))
    return secret


def user_for_token(secret: str) -> User | None:
    token = (ApiToken.select(ApiToken, User).join(User)
             .where((ApiToken.token_hash == digest(secret or ""))
                    & ApiToken.revoked_at.is_null())
             .first())
    if token is None or token.user.is_suspended:
        return None
    now = utcnow()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 300:
        ApiToken.update(last_used_at=now).where(ApiToken.id == token.id).execute()
    return token.user


def revoke(token_id: int, user: User) -> bool:
    return bool(ApiToken.update(revoked_at=utcnow())
                .where((ApiToken.id == token_id) & (ApiToken.user == user)).execute())
