"""Who may hear of an event, decided in bulk with the one permission gate.

A fan-out to a 1,000-member council must not cost a query per person, yet must give exactly the
answer ``can(person, "view", thing)`` gives.  So we load each person's roles for all of them in one
query, hand them to :mod:`placette.roles`' per-person cache, and then ask :func:`can` itself,
which no longer needs the database.  Nothing here re-implements visibility.
"""
from __future__ import annotations

from typing import Iterable

from peewee import JOIN

from ..db import utcnow
from ..kernel import registry
from ..models import Event, Membership, Mute, Resource, Space, User
from ..moderation.visibility import lets_see
from ..modules import enabled_plugins, preload
from ..permissions import can, spaces_of
from ..plugin_manager import KERNEL
from ..roles import _CACHE_ATTR, role_in

CHUNK = 2000  # ids per IN (...) list: far below SQLite's and PostgreSQL's limits


def chunks(items: list, size: int = CHUNK) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def load_events(event_ids: Iterable[int]) -> dict[int, Event]:
    """Events with their space, resource and actor, in one query per chunk; each resource gets
    its space attached, so permission checks on it cost nothing more."""
    ids = sorted(set(event_ids))
    found: dict[int, Event] = {}
    actor = User.alias("event_actor")
    for part in chunks(ids):
        rows = (Event.select(Event, Space, Resource, actor)
                .join(Space, on=(Event.space == Space.id))
                .switch(Event).join(Resource, JOIN.LEFT_OUTER, on=(Event.resource == Resource.id))
                .switch(Event).join(actor, JOIN.LEFT_OUTER, on=(Event.actor == actor.id))
                .where(Event.id.in_(part)))
        for event in rows:
            found[event.id] = event
    _attach_spaces(found.values())
    return found


def _attach_spaces(events) -> None:
    events = list(events)
    missing = {e.resource.space_id for e in events
               if e.resource_id is not None and e.resource.space_id != e.space_id}
    others = {s.id: s for s in Space.select().where(Space.id.in_(list(missing)))} if missing else {}
    for event in events:
        if event.resource_id is not None:
            resource = event.resource
            resource.space = event.space if resource.space_id == event.space_id else \
                others[resource.space_id]
    preload(sorted({e.space_id for e in events}))


def target_of(event: Event):
    """What a person must be allowed to see to hear of the event: its resource, else its space."""
    return event.resource if event.resource_id is not None else event.space


def is_live(event: Event) -> bool:
    """Still worth telling anyone: its plugin is on in the space (disabled means gone).

    Moderation is decided per person (:func:`moderation_lets`): a hidden or pending resource's
    news still reaches its author and the space's animators -- "your contribution was hidden",
    "a contribution awaits review" are about such resources."""
    if event.plugin != KERNEL:
        if event.plugin not in registry().plugins or event.plugin not in enabled_plugins(
                event.space_id):
            return False
    return True


def moderation_lets(user: User, event: Event) -> bool:
    """The event's resource is not hidden or pending for this person (visible, or they wrote it
    or moderate its space).  No query per person: roles are preloaded, grants read per space."""
    if event.resource_id is None:
        return True
    return lets_see(user, event.resource)


def is_urgent(event: Event) -> bool:
    declared = registry().event_types.get(event.name)
    return declared is not None and declared.urgency == "urgent"


def load_roles(user_ids: Iterable[int]) -> dict[int, dict[int, str]]:
    """Active roles of many people, ``{user_id: {space_id: role}}``, one query per chunk."""
    ids = sorted(set(user_ids))
    roles: dict[int, dict[int, str]] = {uid: {} for uid in ids}
    now = utcnow()
    for part in chunks(ids):
        rows = (Membership.select(Membership.user, Membership.space, Membership.role)
                .where(Membership.user.in_(part)
                       & (Membership.expires_at.is_null() | (Membership.expires_at > now)))
                .tuples())
        for user_id, space_id, role in rows:
            roles[user_id][space_id] = role
    return roles


def attach_roles(users: Iterable[User], roles: dict[int, dict[int, str]]) -> None:
    """Give each person the roles :func:`placette.roles.roles_of` would have loaded."""
    for user in users:
        setattr(user, _CACHE_ATTR, roles.get(user.id, {}))


def may_see(user: User, event: Event) -> bool:
    """May the person hear of the event now: they may view its target, and moderation lets
    them see its resource."""
    return can(user, "view", target_of(event)) and moderation_lets(user, event)


class Sight:
    """``may_see`` for many people and events at once (a fan-out, a digest run).

    Moderation (:func:`moderation_lets`) is checked apart, for each person: it depends on who
    wrote the resource, not only on roles.

    :func:`can` for "view" reads, besides the thing itself, only the person's city-admin flag,
    suspension and role in the thing's space(s) -- unless a plugin enabled there implements
    ``permission_check``, whose vote may depend on anything about the person.  So where no such
    plugin is on, the answer of :func:`can` is remembered per (event, admin, suspended, roles)
    and reused for everyone in the same situation; elsewhere :func:`can` is asked every time.
    Either way the answer is :func:`can`'s own.
    """

    def __init__(self):
        self._answers: dict[tuple, bool] = {}
        self._voting: dict[int, bool] = {}
        self._voters = {impl.plugin_name for impl in
                        registry().pm.hook.permission_check.get_hookimpls()}

    def _votes_possible(self, space_id: int) -> bool:
        if space_id not in self._voting:
            self._voting[space_id] = KERNEL in self._voters or bool(
                self._voters & enabled_plugins(space_id))
        return self._voting[space_id]

    def may_see(self, user: User, event: Event) -> bool:
        """:func:`may_see` (view rights and moderation), the view part remembered."""
        return self.may_view(user, event) and moderation_lets(user, event)

    def may_view(self, user: User, event: Event) -> bool:
        """``can(user, "view", target)`` alone, moderation aside."""
        target = target_of(event)
        spaces = spaces_of(target)
        if any(self._votes_possible(space.id) for space in spaces):
            return can(user, "view", target)
        key = (event.id, bool(user.is_admin), user.suspended_at is not None,
               tuple(role_in(user, space) for space in spaces))
        answer = self._answers.get(key)
        if answer is None:
            answer = self._answers[key] = can(user, "view", target)
        return answer


def candidates(event: Event, user_ids: Iterable[int] | None = None) -> list[User]:
    """The people an event is addressed to (explicit ids, else the space's active members), each
    carrying their role in the event's space -- enough for :func:`may_see`, in one query."""
    now = utcnow()
    active = Membership.expires_at.is_null() | (Membership.expires_at > now)
    base = User.select(User, Membership.role.alias("space_role"))
    people: list[User] = []
    if user_ids is None:
        people = list(base.join(Membership, on=(Membership.user == User.id))
                      .where((Membership.space == event.space_id) & active)
                      .order_by(User.id).objects())
    else:
        ids = sorted({int(i) for i in user_ids})
        for part in chunks(ids):
            people += list(base.join(Membership, JOIN.LEFT_OUTER, on=(
                (Membership.user == User.id) & (Membership.space == event.space_id) & active))
                .where(User.id.in_(part)).order_by(User.id).objects())
    spaces = {event.space_id}
    if event.resource_id is not None:
        spaces.add(event.resource.space_id)
    if len(spaces) > 1:  # a resource living elsewhere: full roles, still one query
        attach_roles(people, load_roles(u.id for u in people))
    else:
        for person in people:
            role = getattr(person, "space_role", None)
            setattr(person, _CACHE_ATTR, {event.space_id: role} if role else {})
    return people


def mutes_of(user_ids: Iterable[int]) -> dict[int, tuple[set[int], set[int]]]:
    """``{user_id: (muted space ids, muted resource ids)}``."""
    ids = sorted(set(user_ids))
    found: dict[int, tuple[set[int], set[int]]] = {uid: (set(), set()) for uid in ids}
    for part in chunks(ids):
        for user_id, space_id, resource_id in (Mute.select(Mute.user, Mute.space, Mute.resource)
                                               .where(Mute.user.in_(part)).tuples()):
            if resource_id is not None:
                found[user_id][1].add(resource_id)
            elif space_id is not None:
                found[user_id][0].add(space_id)
    return found


def is_muted(mutes: tuple[set[int], set[int]], event: Event) -> bool:
    spaces, resources = mutes
    return event.space_id in spaces or (event.resource_id is not None
                                        and event.resource_id in resources)
