"""Invitations: an animator invites someone by e-mail to a space, with a role.

The link (valid 14 days by default) creates the account, or attaches the membership to the
existing account of that address, and signs the person in.  Opening a link proves access to the
mailbox, which is all the sign-in link would prove too.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from ..db import atomic, utcnow
from ..kernel import config
from ..articles import in_text
from ..mail import send_templated
from ..models import Invitation, Space, User
from ..spaces import _check_role, add_member
from .. import audit
from .accounts import AccountError, create_user, normalize_email
from .secrets_ import digest, new_secret


def invite(space: Space, email: str, role: str = "member", actor: Any = None,
           guest_until: dt.datetime | None = None, message: str = "",
           send: bool = True) -> tuple[Invitation, str]:
    """Create an invitation and mail it; returns the row and the secret (for tests and CLI)."""
    address = normalize_email(email)
    _check_role(role, guest_until)
    secret = new_secret()
    with atomic():
        # A new invitation to the same address replaces the pending one.
        (Invitation.update(revoked_at=utcnow())
         .where((Invitation.space == space) & (Invitation.email == address)
                & Invitation.accepted_at.is_null() & Invitation.revoked_at.is_null())
         .execute())
        invitation = Invitation.create(
            space=space, email=address, role=role, guest_until=guest_until,
            message=(message or "")[:2000], token_hash=digest(secret),
            invited_by=getattr(actor, "id", None),
            expires_at=utcnow() + dt.timedelta(days=config().invitation_days))
        audit.record(actor, "space.invite", target=f"email:{address}", space=space,
                     after={"role": role, "guest_until": guest_until})
    if send:
        existing = User.get_or_none(User.email == address)
        language = existing.language if existing else config().default_language
        inviter = getattr(actor, "display_name", None) or config().city
        send_templated(address, language, "%(inviter)s invites you to %(space)s",
                       "mail/invitation", inviter=inviter, space=in_text(space),
                       space_obj=space, message=invitation.message, guest_until=guest_until,
                       url=f"/invitations/{secret}", days=config().invitation_days)
    return invitation, secret


def peek(secret: str) -> Invitation:
    invitation = Invitation.get_or_none(Invitation.token_hash == digest(secret or ""))
    if invitation is None:
        raise AccountError("invalid_invitation", "this invitation is not valid")
    if invitation.revoked_at is not None:
        raise AccountError("revoked_invitation", "this invitation was withdrawn or replaced")
    if invitation.accepted_at is not None:
        raise AccountError("used_invitation", "this invitation has already been accepted")
    if invitation.expires_at <= utcnow():
        raise AccountError("expired_invitation", "this invitation has expired; ask for a new one")
    return invitation


def accept(secret: str, display_name: str = "", password: str = "",
           language: str | None = None) -> User:
    """Accept: create or find the account, add the membership, mark the invitation used."""
    with atomic():
        invitation = peek(secret)
        user = User.get_or_none(User.email == invitation.email)
        if user is None:
            if not (display_name or "").strip():
                raise AccountError("invalid_name", "please give the name others will see")
            user = create_user(invitation.email, display_name,
                               language=language or config().default_language,
                               password=password or None)
        elif user.is_suspended:
            raise AccountError("suspended", "this account is suspended")
        # An existing account keeps its password: an invitation link lives two weeks, far longer
        # than a reset link, and must not become a way to take an account over.
        guest_until = invitation.guest_until
        if guest_until is not None and guest_until <= utcnow():
            raise AccountError("ended_invitation", "the guest access offered by this invitation "
                               "has already ended")
        add_member(invitation.space, user, invitation.role, expires_at=guest_until,
                   actor=invitation.invited_by)
        updated = (Invitation.update(accepted_at=utcnow(), accepted_by=user)
                   .where((Invitation.id == invitation.id) & Invitation.accepted_at.is_null())
                   .execute())
        if updated != 1:
            raise AccountError("used_invitation", "this invitation has already been accepted")
    return user
