"""Accounts: e-mail normalisation, creation, passwords (argon2id), suspension."""
from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from email_validator import EmailNotValidError, validate_email

from ..db import utcnow
from ..errors import PlacetteError
from ..models import User
from ..models.users import new_auth_stamp

_hasher = PasswordHasher()
MIN_PASSWORD_LENGTH = 10


class AccountError(PlacetteError):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def normalize_email(raw: str) -> str:
    """Validate the syntax (no DNS lookup: works offline) and lower-case the address."""
    try:
        result = validate_email((raw or "").strip(), check_deliverability=False)
    except EmailNotValidError as exc:
        raise AccountError("invalid_email", str(exc)) from None
    return result.normalized.lower()


def find_by_email(raw: str) -> User | None:
    try:
        email = normalize_email(raw)
    except AccountError:
        return None
    return User.get_or_none(User.email == email)


MAX_NAME_LENGTH = 120


def has_control_characters(text: str, allow_newlines: bool = False) -> bool:
    """Invisible control characters (NUL above all: PostgreSQL refuses it in text) in ``text``?"""
    allowed = "\t\n\r" if allow_newlines else ""
    return any((ord(c) < 32 and c not in allowed) or 0x7f <= ord(c) < 0xa0 for c in text or "")


def clean_name(raw: str) -> str:
    """A display name as stored: trimmed, at most 120 characters, no control characters.

    Names are shown everywhere (escaped): HTML in a name is kept as text, not refused.
    """
    name = " ".join((raw or "").split()) if not has_control_characters(raw or "") else None
    if name is None:
        raise AccountError("invalid_name", "the name holds invisible control characters")
    if len(name) > MAX_NAME_LENGTH:
        raise AccountError("invalid_name",
                           f"the name is longer than {MAX_NAME_LENGTH} characters")
    return name


def create_user(email: str, display_name: str, language: str = "fr", phone: str | None = None,
                password: str | None = None, is_admin: bool = False) -> User:
    email = normalize_email(email)
    name = clean_name(display_name)
    if not name:
        name = email.split("@")[0]
    if User.select().where(User.email == email).exists():
        raise AccountError("email_taken", f"an account already exists for {email}")
    user = User(email=email, display_name=name, language=language if language in ("fr", "en")
                else "fr", phone=(phone or None), is_admin=is_admin)
    if password:
        check_password_strength(password)
        user.password_hash = _hasher.hash(password)
    user.save()
    return user


def check_password_strength(password: str) -> None:
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise AccountError("weak_password",
                           f"the password needs at least {MIN_PASSWORD_LENGTH} characters")


def set_password(user: User, password: str) -> None:
    """Set a new password and end every other session (the session id carries ``auth_stamp``)."""
    from .sessions import close_all
    check_password_strength(password)
    user.password_hash = _hasher.hash(password)
    user.auth_stamp = new_auth_stamp()
    user.save()
    close_all(user)
    user._session_key = None


def verify_password(user: User | None, password: str) -> bool:
    """Constant-work check: an unknown account still costs one hash, so timing reveals nothing."""
    if user is None or not user.password_hash:
        try:
            _hasher.verify(_DUMMY, password or "")
        except (VerificationError, InvalidHashError):
            pass
        return False
    try:
        _hasher.verify(user.password_hash, password or "")
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
        user.save()
    return True


_DUMMY = _hasher.hash("placette-dummy-password")


def sign_out_everywhere(user: User) -> None:
    """End every session of ``user``: the stamp refuses them all, the rows go too."""
    from .sessions import close_all
    user.auth_stamp = new_auth_stamp()
    user.save()
    close_all(user)
    user._session_key = None  # whoever signs in again gets a new session


def suspend(user: User, reason: str) -> None:
    user.suspended_at = utcnow()
    user.suspended_reason = reason
    user.auth_stamp = new_auth_stamp()
    user.save()


def reinstate(user: User) -> None:
    user.suspended_at = None
    user.suspended_reason = None
    user.save()
