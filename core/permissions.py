"""The one gate: ``can()`` for a single question, ``visible()`` for a whole list in SQL.

Every surface -- HTML pages, JSON API, file downloads, feeds, search, activity, notifications,
e-mails, exports -- asks these two functions.  Rules, in order:

1. **Visibility** (who may read).  A space's visibility gives the level needed to read inside it
   (public 0, network 1, members/private 2); an item may be narrower (``public``, ``network``,
   ``members``, ``animators`` = 3).  The actor's level in a space is 0 anonymous, 1 signed in,
   2 guest/member, 3 animator/admin; city admins see everything.  What one may not read does not
   exist for them: pages answer 404, never 403.
2. **Role**: the action's minimum role (declared by its plugin, adjustable per space through a
   grant) against the actor's role in the space.  Undeclared actions are denied.
3. **Plugin votes** (``permission_check``): any ``False`` denies, an exception denies, a ``True``
   grants beyond roles (visibility still applies).

:func:`visible` mirrors rule 1 in SQL; ``tests/test_permissions.py`` checks both agree on every
combination.
"""
from __future__ import annotations

import logging
from types import MappingProxyType
from typing import Any, Iterable

from flask import has_request_context
from peewee import Expression, Value

from . import request_cache
from .kernel import registry
from .models import Grant, Space
from .roles import (ROLE_LEVELS, is_city_admin, is_signed_in, member_space_ids, person,
                    roles_of, staff_space_ids)

log = logging.getLogger("placette.permissions")

# The request-cache prefix of :func:`can`'s kept answers about spaces (dropped with any other).
CAN_MEMO = request_cache.DECISIONS

# The reading levels of rule 1, exported by the facade so that plugins which offer "narrower
# than the space" choices count as the kernel does instead of keeping a copy that drifts.
# Read-only: a plugin cannot change the kernel's rule by writing into them.
SPACE_LEVELS = MappingProxyType({"public": 0, "network": 1, "members": 2, "private": 2})
ITEM_VISIBILITIES = ("public", "network", "members", "animators")
ITEM_LEVELS = MappingProxyType({None: 0, "": 0, "public": 0, "network": 1, "members": 2,
                                "animators": 3})


# -- visibility ---------------------------------------------------------------------------------

class _Reader:
    """Who asks, read once per question: signed in, city admin, and the roles by space.  A
    permission check asks these of the actor in several places (visibility, role, each space);
    each asking resolved the account's state and looked the roles up again."""

    __slots__ = ("signed_in", "admin", "roles")

    def __init__(self, actor: Any):
        self.signed_in = is_signed_in(actor)
        self.admin = self.signed_in and bool(getattr(actor, "is_admin", False))
        self.roles = roles_of(actor) if self.signed_in and not self.admin else {}

    def role(self, space: Space | int) -> str:
        """:func:`placette.role_in`, from what was read."""
        if not self.signed_in:
            return "anonymous"
        return self.roles.get(space if isinstance(space, int) else space.id, "authenticated")

    def level(self, space: Space) -> int:
        if self.admin:
            return 99
        role = self.role(space)
        if role in ("animator", "admin"):
            return 3
        if role in ("guest", "member"):
            return 2
        return 1 if role == "authenticated" else 0

    def reads(self, space: Space, item_visibility: str | None = None) -> bool:
        if space is None or space.archived_at is not None and not self.admin:
            return False
        return self.level(space) >= required_level(space, item_visibility)

    def reaches(self, action: str, space: Space | int | None, declared: Any = None) -> bool:
        """Does the role here reach the action's minimum role (grants included)?
        ``declared``: the action's declaration when the caller already looked it up."""
        needed = min_role_for(action, space) if declared is None else \
            _needed(declared, action, space)
        if needed is None:
            log.warning("permission asked for undeclared action %r: denied", action)
            return False
        if self.admin:
            return True
        if space is None:
            have = "authenticated" if self.signed_in else "anonymous"
        else:
            have = self.role(space)
        return ROLE_LEVELS[have] >= ROLE_LEVELS[needed]


def reading_level(actor: Any, space: Space) -> int:
    """How far the actor may read inside a space (see the module docstring)."""
    return _Reader(person(actor)).level(space)


def required_level(space: Space, item_visibility: str | None = None) -> int:
    """The level needed to read in ``space`` (an item of ``item_visibility`` in it): the
    space's own, or the item's when narrower.  Two visibilities with the same level are the
    same choice; an item whose level is the space's is "as wide as its space"."""
    return max(SPACE_LEVELS.get(space.visibility, 2), ITEM_LEVELS.get(item_visibility, 3))


def can_read(actor: Any, space: Space, item_visibility: str | None = None) -> bool:
    """May the actor read inside ``space`` (or an item of that visibility in it)?"""
    return _Reader(person(actor)).reads(space, item_visibility)


def can_see_space(actor: Any, space: Space) -> bool:
    """May the actor know the space exists (listed, with its name and a join button)?

    ``members`` spaces are listed to signed-in people so they can ask to join; ``private`` ones
    exist only for their members.
    """
    if can_read(actor, space):
        return True
    return space.visibility == "members" and is_signed_in(actor) and space.archived_at is None


def visible_spaces(spaces: Iterable[Any], actor: Any) -> list:
    """The spaces of a list that ``actor`` may know exist, in the same order.

    For anything that belongs to several spaces (a joint meeting, a topic shown in several
    councils, a space's parents): what one may not see is never named, so every list of spaces
    shown to someone goes through this.  The rule is :func:`can_see_space` (a ``private`` space
    exists only for its members; a ``members`` one is listed to signed-in people, as in the
    directory).  Each item needs ``id``, ``visibility`` and ``archived_at`` (a :class:`Space`
    or a plain row with those columns).
    """
    actor = person(actor)
    return [space for space in spaces if can_see_space(actor, space)]


def spaces_of(target: Any) -> list[Space]:
    """The spaces an item lives in: a Space itself, ``placette_spaces()``, or its ``space``."""
    if target is None:
        return []
    if isinstance(target, Space):
        return [target]
    many = getattr(target, "placette_spaces", None)
    if callable(many):
        return list(many())
    space = getattr(target, "space", None)
    return [space] if space is not None else []


def item_visibility_of(target: Any) -> str | None:
    if target is None or isinstance(target, Space):
        return None
    return getattr(target, "visibility", None)


def is_visible(actor: Any, target: Any, reader: _Reader | None = None) -> bool:
    spaces = spaces_of(target)
    if not spaces:
        return False
    vis = item_visibility_of(target)
    reader = reader or _Reader(person(actor))
    return any(reader.reads(space, vis) for space in spaces)


def visibility_clause(actor: Any, space_id, space_visibility, item_visibility=None,
                      archived=None) -> Expression:
    """SQL condition equivalent to :func:`can_read` over columns of a query."""
    if is_city_admin(actor):
        return Value(1) == Value(1)
    item_none = item_visibility.is_null() if item_visibility is not None else None

    def item_in(levels: Iterable[str]):
        if item_visibility is None:
            return Value(1) == Value(1)
        return item_none | item_visibility.in_(list(levels))

    live = archived.is_null() if archived is not None else (Value(1) == Value(1))
    if not is_signed_in(actor):
        return live & (space_visibility == "public") & item_in(["public"])
    clause = (space_visibility.in_(["public", "network"]) & item_in(["public", "network"]))
    members = member_space_ids(actor)
    if members:
        if item_visibility is None:
            clause = clause | space_id.in_(members)
        else:
            clause = clause | (space_id.in_(members)
                               & (item_none | (item_visibility != "animators")))
            staff = staff_space_ids(actor)
            if staff:
                clause = clause | space_id.in_(staff)
    return live & clause


# One alias object for every query: peewee builds a field-alias class the first time each of
# its columns is used (some 20 us each), and caches it on the alias -- not on a new one.
_VISIBLE_SPACE = Space.alias("visible_space")


def visible(query, actor: Any, space_field=None, visibility_field=None):
    """Restrict ``query`` to what the actor may read.

    * a query on :class:`Space` keeps the spaces the actor may read inside;
    * a query on a plugin model joins its space (``space_field``, default the model's ``space``)
      and honours the item's ``visibility`` column when there is one.
    """
    model = query.model
    if model is Space:
        return query.where(visibility_clause(actor, Space.id, Space.visibility,
                                             archived=Space.archived_at))
    space_field = space_field if space_field is not None else getattr(model, "space")
    if visibility_field is None:
        visibility_field = getattr(model, "visibility", None)
    alias = _VISIBLE_SPACE
    query = query.join_from(model, alias, on=(space_field == alias.id))
    return query.where(visibility_clause(actor, alias.id, alias.visibility, visibility_field,
                                         archived=alias.archived_at))


def listed_spaces(query, actor: Any):
    """Restrict a :class:`Space` query to what the actor may see listed (see :func:`can_see_space`)."""
    if is_city_admin(actor):
        return query
    readable = visibility_clause(actor, Space.id, Space.visibility)
    if is_signed_in(actor):
        readable = readable | (Space.visibility == "members")
    return query.where(readable & Space.archived_at.is_null())


# -- actions ------------------------------------------------------------------------------------

def preload_grants(space_ids: list[int]) -> None:
    """Announce that actions may be judged in many spaces during the request: the first time
    one of them needs its grants, all of them are read in one query (a page listing twenty
    spaces whose slots each ask ``can()`` costs one query, not twenty)."""
    request_cache.cached(("grants_announced",), set).update(
        sid for sid in space_ids if not request_cache.has(("grants", sid)))


def _load_grants(space_ids: list[int]) -> None:
    from .db import compiled_sql, database
    found: dict[int, dict[str, str]] = {sid: {} for sid in space_ids}
    sql = compiled_sql(f"permissions.grants:{len(space_ids)}", lambda: (
        Grant.select(Grant.space, Grant.action, Grant.min_role)
        .where(Grant.space.in_([0] * len(space_ids)))))
    for space_id, action, min_role in database.execute_sql(sql, space_ids).fetchall():
        found[space_id][action] = min_role
    for sid, grants in found.items():
        request_cache.put(("grants", sid), grants)


def _grants(space_id: int) -> dict[str, str]:
    # Read once per request and space, then asked by every decision of the page: one lookup.
    kept = request_cache.get(("grants", space_id))
    if kept is not None:
        return kept
    if not request_cache.has(("grants", space_id)):
        announced = request_cache.cached(("grants_announced",), set)
        if space_id in announced:
            _load_grants(sorted(announced | {space_id}))
            announced.clear()
    from .db import compiled_sql, database
    sql = compiled_sql("permissions.grants", lambda: (
        Grant.select(Grant.action, Grant.min_role).where(Grant.space == 0)))
    return request_cache.cached(("grants", space_id), lambda: dict(
        database.execute_sql(sql, (space_id,)).fetchall()))


def min_role_for(action: str, space: Space | int | None) -> str | None:
    """The minimum role for ``action`` in ``space`` (a ``Space`` or its id): the space's grant,
    else the declared default; ``None`` for an undeclared action."""
    declared = registry().actions.get(action)
    if declared is None:
        return None
    return _needed(declared, action, space)


def _needed(declared: Any, action: str, space: Space | int | None) -> str:
    """:func:`min_role_for` once the action's declaration is in hand."""
    if space is not None:
        space_id = space if isinstance(space, int) else space.id
        return _grants(space_id).get(action, declared.min_role)
    return declared.min_role


def has_role(actor: Any, action: str, space: Space | int | None) -> bool:
    """Does the actor's role in ``space`` (a Space or its id) reach the action's minimum role
    there (grants included)?  Roles only: no visibility, no plugin votes -- a plugin's
    ``permission_check`` uses it to judge an action by one particular space."""
    return _Reader(person(actor)).reaches(action, space)


def can(actor: Any, action: str, target: Any = None) -> bool:
    """May ``actor`` do ``action`` on ``target`` (a space, a plugin item, or ``None``)?

    Answers about a *space* are kept for the rest of the request: a space page asks the same
    dozen questions from its menu, its slots and its body (each a visibility check, a role,
    a grant and every enabled plugin's vote).  The key holds who asks (signed in or not, city
    admin or not) and the space's visibility and archive state, so a change made to the space
    object in the request asks again; every write that changes roles, grants, modules or a
    space's settings drops the kept answers (:func:`placette.request_cache.forget`,
    :func:`placette.roles.forget_roles`).  Answers about items are never kept: their state
    (a meeting's owner, a poll's closing time) is theirs to change at any moment; nor are
    answers outside a request (a task's fan-out runs for minutes).
    """
    actor = person(actor)  # the proxy resolved once, not on each of the dozen reads
    if type(target) is Space and has_request_context():
        signed_in = is_signed_in(actor)
        key = (CAN_MEMO, actor.id if signed_in else None,
               signed_in and bool(getattr(actor, "is_admin", False)), action, target.id,
               target.visibility, target.archived_at)
        kept = request_cache.get(key)
        if kept is None:
            kept = _decide(actor, action, target)
            request_cache.put(key, kept)
        return kept
    return _decide(actor, action, target)


def _enabled_plugins():
    """:func:`placette.modules.enabled_plugins`, imported on first use (the modules import
    the kernel's services, which import this module) and then kept: an import statement in
    :func:`_decide` ran the import machinery on every decision."""
    global _ENABLED_PLUGINS
    if _ENABLED_PLUGINS is None:
        from .modules import enabled_plugins
        _ENABLED_PLUGINS = enabled_plugins
    return _ENABLED_PLUGINS


_ENABLED_PLUGINS = None


def _decide(actor: Any, action: str, target: Any) -> bool:
    # A page asks a dozen or more of these about its items (nothing about an item is kept
    # between questions): the registry, the action's declaration and the item's spaces are
    # looked up once per question, not once per step.
    plugins = registry()
    declared = plugins.actions.get(action)
    if declared is None and action != "view":
        log.warning("permission asked for undeclared action %r: denied", action)
        return False  # deny by default: no plugin vote can grant what nobody declared
    spaces = spaces_of(target)
    reader = _Reader(actor)
    if target is not None and not isinstance(target, dict):
        if not spaces:
            return False
        visibility = item_visibility_of(target)
        if not any(reader.reads(space, visibility) for space in spaces):
            return False  # what is_visible() answers, with the spaces already in hand
    if action == "view":
        allowed = True
    else:
        allowed = any(reader.reaches(action, s, declared) for s in spaces) if spaces else \
            reader.reaches(action, None, declared)
    enabled_plugins = _enabled_plugins()
    only: set[str] | None = None
    if len(spaces) == 1:
        only = enabled_plugins(spaces[0])
    elif spaces:
        only = set().union(*(enabled_plugins(s) for s in spaces))
    votes = plugins.permission_votes(only=only, actor=actor, action=action, target=target,
                                        space=spaces[0] if spaces else None)
    if False in votes:
        return False
    if True in votes:
        return True
    return allowed


def require(actor: Any, action: str, target: Any = None) -> None:
    """Abort unless :func:`can` says yes: 404 when the actor may not even see the target
    (existence must not leak), 403 when they see it but may not do this."""
    if can(actor, action, target):
        return
    from flask import abort
    if target is not None and not isinstance(target, dict) and not is_visible(actor, target):
        abort(404)
    abort(403)


__all__ = ["can", "require", "has_role", "visible", "visible_spaces", "listed_spaces",
           "can_read", "can_see_space", "is_visible", "reading_level", "required_level",
           "roles_of", "ITEM_VISIBILITIES", "SPACE_LEVELS", "ITEM_LEVELS"]
