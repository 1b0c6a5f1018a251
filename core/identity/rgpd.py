"""RGPD (GDPR): a person downloads everything kept about them, or deletes their account.

The kernel exports its own rows and asks every activated plugin through ``export_user_data``;
erasure asks plugins first (``erase_user_data``: delete or anonymise), then removes the account,
its memberships, links and tokens, and blanks the person's e-mail in the audit log.
"""
from __future__ import annotations

from typing import Any

from ..db import atomic, utcnow
from ..kernel import registry
from ..models import (ApiToken, AuditEntry, Invitation, JoinRequest, Membership, Resource, Space,
                      User)


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def export_user_data(user: User) -> dict[str, Any]:
    data: dict[str, Any] = {
        "exported_at": _iso(utcnow()),
        "account": {
            "email": user.email, "display_name": user.display_name, "language": user.language,
            "phone": user.phone, "created_at": _iso(user.created_at),
            "last_seen_at": _iso(user.last_seen_at), "has_password": bool(user.password_hash),
            "notification_preferences": user.notification_prefs or {},
        },
        "memberships": [
            {"space": m.space.slug, "space_name": m.space.name, "role": m.role,
             "since": _iso(m.created_at), "expires_at": _iso(m.expires_at)}
            for m in Membership.select(Membership, Space).join(Space)
            .where(Membership.user == user)],
        "join_requests": [
            {"space": r.space.slug, "message": r.message, "created_at": _iso(r.created_at),
             "accepted": r.accepted}
            for r in JoinRequest.select().where(JoinRequest.user == user)],
        "invitations_received": [
            {"space": i.space.slug, "role": i.role, "created_at": _iso(i.created_at),
             "accepted_at": _iso(i.accepted_at)}
            for i in Invitation.select().where(Invitation.email == user.email)],
        "api_tokens": [
            {"name": t.name, "created_at": _iso(t.created_at), "revoked_at": _iso(t.revoked_at)}
            for t in ApiToken.select().where(ApiToken.user == user)],
        "authored": [
            {"type": f"{r.plugin}.{r.kind}", "title": r.title, "url": r.url,
             "created_at": _iso(r.created_at)}
            for r in Resource.select().where(Resource.author == user)],
        "plugins": {},
    }
    for plugin, value in registry().call_each("export_user_data", user=user):
        data["plugins"][plugin] = value
    return data


def _scrub(value: Any, email: str, label: str) -> Any:
    """``value`` (audit JSON) with every occurrence of ``email`` replaced by ``label``."""
    if isinstance(value, str):
        return value.replace(email, label)
    if isinstance(value, list):
        return [_scrub(v, email, label) for v in value]
    if isinstance(value, dict):
        return {_scrub(k, email, label): _scrub(v, email, label) for k, v in value.items()}
    return value


def erase_user(user: User) -> None:
    """Delete the account for good.  Plugins run first, inside the same transaction.

    The audit log keeps what happened (an animator's decisions stay accountable) but not who the
    person was: their e-mail address is replaced by ``deleted user #<id>`` wherever it appears,
    whether they acted or were acted upon (targets ``user:``/``email:``, before/after values).
    """
    email, label = user.email, f"deleted user #{user.id}"
    with atomic():
        registry().call_each("erase_user_data", strict=True, user=user)
        (AuditEntry.update(actor_label=label).where(AuditEntry.actor == user).execute())
        mentions = AuditEntry.select().where(
            AuditEntry.actor_label.contains(email) | AuditEntry.target.contains(email)
            | AuditEntry.before.contains(email) | AuditEntry.after.contains(email))
        for entry in mentions:
            entry.actor_label = _scrub(entry.actor_label, email, label)
            entry.target = _scrub(entry.target, email, label)
            entry.before = _scrub(entry.before, email, label)
            entry.after = _scrub(entry.after, email, label)
            entry.save()
        Invitation.delete().where(Invitation.email == email).execute()
        user.delete_instance()
