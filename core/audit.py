"""Record admin and moderation actions: who, what, when, before and after."""
from __future__ import annotations

from typing import Any

from .models import AuditEntry
from .roles import is_signed_in


def record(actor: Any, action: str, target: str = "", space: Any = None,
           before: Any = None, after: Any = None) -> AuditEntry:
    signed_in = is_signed_in(actor)
    return AuditEntry.create(
        actor=actor.id if signed_in else None,
        actor_label=(actor.email if signed_in else "system"),
        action=action, target=target,
        space=(space.id if hasattr(space, "id") else space),
        before=before, after=after)
