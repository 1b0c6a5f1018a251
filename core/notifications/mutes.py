"""Item mutes as a plugin sees them: who stopped the news of an item, and undoing it.

The one-click "Stop news of this item" link of mails and digests records a kernel ``Mute``; a
plugin that keeps its own "follow" state (the discussions) must agree with it: someone who
stopped an item's news from a mail no longer follows it, and following it again from the page
lifts the mute.  These three calls are the facade for that (``placette.muted_by``,
``placette.is_muted``, ``placette.unmute``), so no plugin reads the kernel's tables.
"""
from __future__ import annotations

from typing import Any, Iterable

from ..models import Mute


def _rid(resource: Any) -> int:
    return resource.id if hasattr(resource, "id") else int(resource)


def muted_by(resource: Any, user_ids: Iterable[int] | None = None) -> set[int]:
    """Ids of the people who muted ``resource`` (among ``user_ids`` if given): one query."""
    query = Mute.select(Mute.user).where(Mute.resource == _rid(resource))
    if user_ids is not None:
        ids = sorted(set(user_ids))
        if not ids:
            return set()
        query = query.where(Mute.user.in_(ids))
    return {uid for (uid,) in query.tuples()}


def is_muted(user: Any, resource: Any) -> bool:
    """Did ``user`` stop the news of ``resource`` (the mail's "Stop news of this item")?"""
    if not getattr(user, "is_authenticated", True) or getattr(user, "id", None) is None:
        return False
    # asked under every thread and topic a signed-in person reads: SQL written once
    from ..query_memo import prepared
    return bool(prepared("notifications.is_muted", lambda uid, rid: (
        Mute.select(Mute.id).where((Mute.user == uid) & (Mute.resource == rid)).limit(1)),
        uid=user.id, rid=_rid(resource)).tuples())


def unmute(user: Any, resource: Any) -> bool:
    """Hear of ``resource`` again (e.g. the person follows it again); ``True`` if muted."""
    return bool(Mute.delete().where((Mute.user == user.id)
                                    & (Mute.resource == _rid(resource))).execute())
