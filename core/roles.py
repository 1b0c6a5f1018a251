"""Who someone is in a space: their active roles, computed once per request and per person.

A guest's membership stops counting at ``expires_at``: the comparison is made here, with the
current time, so no job has to run for access to end.
"""
from __future__ import annotations

from typing import Any

from peewee import JOIN
from werkzeug.local import LocalProxy

from . import request_cache
from .db import compiled_sql, database, utcnow
from .models import Grant, Membership

ROLE_LEVELS = {"anonymous": 0, "authenticated": 1, "guest": 2, "member": 3, "animator": 4,
               "admin": 5}
SPACE_ROLES = ("guest", "member", "animator", "admin")
_CACHE_ATTR = "_placette_roles"
MODERATE_ACTION = "space.moderate"


def person(actor: Any) -> Any:
    """The person behind ``current_user``: the proxy resolves the user again at every
    attribute read (a context lookup each), and a page's permission checks read the actor some
    ninety times.  Anything else is returned as it is."""
    return actor._get_current_object() if type(actor) is LocalProxy else actor


def is_signed_in(actor: Any) -> bool:
    """A real, active account.  A suspended one is not signed in (Flask-Login's
    ``is_authenticated`` follows ``is_active``): it is an anonymous visitor everywhere, which
    ``tests/test_permissions.py`` checks for both ``can()`` and ``visible()``."""
    actor = person(actor)
    return bool(actor is not None and getattr(actor, "is_authenticated", False)
                and getattr(actor, "id", None) is not None)


def is_city_admin(actor: Any) -> bool:
    actor = person(actor)
    return is_signed_in(actor) and bool(getattr(actor, "is_admin", False))


def roles_of(actor: Any) -> dict[int, str]:
    """``{space_id: role}`` of the actor's active memberships (cached on the actor object)."""
    actor = person(actor)
    if not is_signed_in(actor):
        return {}
    cached = getattr(actor, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    now = utcnow()
    # Asked on nearly every page: the SQL text is generated once (see db.compiled_sql).  The
    # same statement reads each space's ``space.moderate`` grant (LEFT JOIN on the grant's
    # unique index): the menu's moderation entry needs it on every page, and it cost a query.
    sql = compiled_sql("roles.active", lambda: (
        Membership.select(Membership.space, Membership.role, Grant.min_role)
        .join(Grant, JOIN.LEFT_OUTER, on=((Grant.space == Membership.space)
                                          & (Grant.action == MODERATE_ACTION)))
        .where((Membership.user == 0)
               & (Membership.expires_at.is_null() | (Membership.expires_at > now)))))
    rows = database.execute_sql(sql, (MODERATE_ACTION, actor.id,
                                      Membership.expires_at.db_value(now))).fetchall()
    roles = {space_id: role for space_id, role, _ in rows}
    # Kept for this request only (a grant saved forgets it with the other grants).
    request_cache.put(("grants", ("moderate", actor.id)),
                      (roles, {space_id: grant for space_id, _, grant in rows if grant}))
    try:
        setattr(actor, _CACHE_ATTR, roles)
    except AttributeError:
        pass
    return roles


def remember_roles(actor: Any, roles: dict[int, str],
                   moderate_grants: dict[int, str] | None = None) -> None:
    """Prime the memo with roles a page already read (the dashboard's membership list), so
    permission checks later in the request cost no query -- and, when the page read them with
    the roles, the spaces' ``space.moderate`` grants (``{space_id: min_role}``)."""
    if is_signed_in(actor):
        try:
            setattr(actor, _CACHE_ATTR, dict(roles))
        except AttributeError:
            pass
        if moderate_grants is not None:
            request_cache.put(("grants", ("moderate", actor.id)),
                              (dict(roles), dict(moderate_grants)))


def forget_roles(actor: Any) -> None:
    """Drop the cached roles after a membership change made during the same request (and the
    permission answers kept on them, :data:`placette.request_cache.DECISIONS`)."""
    if actor is not None and hasattr(actor, _CACHE_ATTR):
        delattr(actor, _CACHE_ATTR)
    request_cache.forget(request_cache.DECISIONS)


def moderate_grants_read(actor: Any, roles: dict[int, str]) -> dict[int, str] | None:
    """The ``space.moderate`` grants of the actor's spaces, when :func:`roles_of` read them with
    ``roles`` during this request (``{space_id: min_role}``, spaces without a grant left out);
    ``None`` when it did not (the caller reads them itself)."""
    if not is_signed_in(actor):
        return None
    found = request_cache.get(("grants", ("moderate", actor.id)))
    if found is None or found[0] != roles:
        return None
    return found[1]


def role_in(actor: Any, space: Any) -> str:
    """The actor's role in a space: a space role, or ``authenticated`` / ``anonymous``."""
    actor = person(actor)
    if not is_signed_in(actor):
        return "anonymous"
    space_id = space if isinstance(space, int) else space.id
    return roles_of(actor).get(space_id, "authenticated")


def member_space_ids(actor: Any) -> list[int]:
    return sorted(roles_of(actor))


def staff_space_ids(actor: Any) -> list[int]:
    """Spaces where the actor animates or administers."""
    return sorted(sid for sid, role in roles_of(actor).items()
                  if ROLE_LEVELS[role] >= ROLE_LEVELS["animator"])
