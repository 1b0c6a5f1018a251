"""Spaces and memberships: create councils and groups, arrange the tree, manage who belongs.

Every change here is audited.  Membership changes take effect on the next request of the person
concerned (roles are read per request), so removing someone from a private group closes it to them
at once -- pages, feeds, notifications and search alike.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Any, Iterable, NamedTuple

from peewee import fn

from . import audit, request_cache
from .db import atomic, compiled_sql, database, utcnow
from .errors import PlacetteError
from .events import emit
from .kernel import config
from .models import JoinRequest, Membership, Space, SpaceParent, User
from .models.spaces import ROLES, VISIBILITIES
from .query_memo import prepared
from .roles import forget_roles

SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
RESERVED_SLUGS = {"new", "admin", "api", "static", "assets", "me", "auth"}


class SpaceError(PlacetteError):
    def __init__(self, code: str, message: str, field: str | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field


def slugify(text: str, max_length: int = 63, fallback: str = "space") -> str:
    """An address made from a name: ``"Déclaration d'accessibilité"`` ->
    ``"declaration-d-accessibilite"`` (accents dropped, lower case, hyphens; ``fallback`` when
    nothing is left).  Spaces use it, and plugins through ``placette.slugify``."""
    import unicodedata
    ascii_text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:max_length].rstrip("-") or fallback


def _validate(slug: str, name: str, kind: str, visibility: str) -> None:
    if not SLUG_RE.match(slug or "") or slug in RESERVED_SLUGS:
        raise SpaceError("invalid_slug", "the address may hold lower-case letters, digits and "
                         "dashes (at most 63)", "slug")
    if not (name or "").strip() or len(name) > 150:
        raise SpaceError("invalid_name", "a name of 1 to 150 characters is required", "name")
    if kind not in config().space_kinds:
        raise SpaceError("invalid_kind", f"unknown kind {kind!r}; this city has "
                         f"{', '.join(config().space_kinds)}", "kind")
    if visibility not in VISIBILITIES:
        raise SpaceError("invalid_visibility", f"visibility must be one of "
                         f"{', '.join(VISIBILITIES)}", "visibility")


def create_space(slug: str, name: str, kind: str, visibility: str = "network",
                 description: str = "", parents: Iterable[Space] = (),
                 allow_join_requests: bool = True, actor: Any = None) -> Space:
    from .modules import enable_defaults
    _validate(slug, name, kind, visibility)
    if Space.select().where(Space.slug == slug).exists():
        raise SpaceError("slug_taken", f"the address {slug!r} is already used", "slug")
    with atomic():
        space = Space.create(slug=slug, name=name.strip(), kind=kind, visibility=visibility,
                             description=description or "",
                             allow_join_requests=allow_join_requests)
        for parent in parents:
            SpaceParent.create(child=space, parent=parent)
        modules = enable_defaults(space)
        audit.record(actor, "space.create", target=f"space:{slug}", space=space,
                     after={"name": space.name, "kind": kind, "visibility": visibility,
                            "parents": [p.slug for p in parents], "modules": modules})
    return space


def update_space(space: Space, actor: Any = None, **changes: Any) -> Space:
    allowed = {"name", "kind", "visibility", "description", "allow_join_requests"}
    unknown = set(changes) - allowed
    if unknown:
        raise SpaceError("unknown_field", f"unknown field(s): {', '.join(sorted(unknown))}")
    merged = {k: changes.get(k, getattr(space, k)) for k in ("name", "kind", "visibility")}
    _validate(space.slug, merged["name"], merged["kind"], merged["visibility"])
    if "name" in changes:
        changes["name"] = changes["name"].strip()
    # Only what really changes is written and audited: the log stays readable.
    changed = {k: v for k, v in changes.items() if getattr(space, k) != v}
    if not changed:
        return space
    before = {k: getattr(space, k) for k in changed}
    for key, value in changed.items():
        setattr(space, key, value)
    with atomic():
        space.save()
        audit.record(actor, "space.update", target=f"space:{space.slug}", space=space,
                     before=before, after=changed)
        if {"name", "description"} & set(changed):
            emit("placette.space.updated", space=space, actor=actor)
    return space


def set_parents(space: Space, parents: Iterable[Space], actor: Any = None) -> None:
    parents = list(parents)
    for parent in parents:
        if parent.id == space.id or space.id in ancestor_ids(parent):
            raise SpaceError("cycle", f"{parent.name} is inside {space.name}: it cannot also "
                             "contain it", "parents")
    before = [p.slug for p in parents_of([space.id]).get(space.id, [])]
    if sorted(before) == sorted(p.slug for p in parents):
        return
    with atomic():
        SpaceParent.delete().where(SpaceParent.child == space).execute()
        for parent in parents:
            SpaceParent.create(child=space, parent=parent)
        audit.record(actor, "space.parents", target=f"space:{space.slug}", space=space,
                     before=before, after=[p.slug for p in parents])


def ancestor_ids(space: Space) -> set[int]:
    seen: set[int] = set()
    frontier = [space.id]
    while frontier:
        rows = (SpaceParent.select(SpaceParent.parent)
                .where(SpaceParent.child.in_(frontier)).tuples())
        frontier = [pid for (pid,) in rows if pid not in seen]
        seen.update(frontier)
    return seen


def parents_of(space_ids: list[int]) -> dict[int, list[Space]]:
    """Parents of many spaces in one query.

    The parents come back as :class:`Space` rows carrying the columns pages and permission
    checks use (no description): a page of 100 working groups has some 200 parents, and
    building a link object plus a full space for each was half the API list's time.
    """
    found: dict[int, list[Space]] = {sid: [] for sid in space_ids}
    if not space_ids:
        return found
    rows = (Space.select(Space.id, Space.slug, Space.name, Space.kind, Space.visibility,
                         Space.position, Space.archived_at,
                         SpaceParent.child.alias("child_of"))
            .join(SpaceParent, on=(SpaceParent.parent == Space.id))
            .where(SpaceParent.child.in_(space_ids))
            .order_by(Space.name)
            .objects())
    for parent in rows:
        found[parent.child_of].append(parent)
    return found


class ParentRef(NamedTuple):
    """A parent space as lists show it: enough for a link (and to know who may see it)."""

    id: int
    slug: str
    name: str
    visibility: str = "public"
    archived_at: dt.datetime | None = None


def parent_refs(space_ids: list[int], actor: Any = None) -> dict[int, list[ParentRef]]:
    """Parents of many spaces in one query, as plain tuples (no model per row), keeping only
    those ``actor`` may see (``visible_spaces``): a private council is never named to outsiders
    as the parent of a public group.

    For lists (the directory, the API): a page of 100 working groups has some 200 parents.
    """
    from .permissions import visible_spaces
    found: dict[int, list[ParentRef]] = {sid: [] for sid in space_ids}
    if not space_ids:
        return found
    ids = list(space_ids)
    # SQL text cached per list length (pages are 50 or 100 long): writing the IN list of a
    # hundred ids took peewee three times as long as the database took to answer.
    sql = compiled_sql(f"spaces.parent_refs:{len(ids)}", lambda: (
        SpaceParent.select(SpaceParent.child, Space.id, Space.slug, Space.name,
                           Space.visibility, Space.archived_at)
        .join(Space, on=(SpaceParent.parent == Space.id))
        .where(SpaceParent.child.in_([0] * len(ids)))
        .order_by(Space.name)))
    rows: list[tuple[int, ParentRef]] = []
    for child_id, pid, slug, name, visibility, archived in \
            database.execute_sql(sql, ids).fetchall():
        rows.append((child_id, ParentRef(pid, slug, name, visibility,
                                         Space.archived_at.python_value(archived))))
    shown = set(visible_spaces({ref for _child, ref in rows}, actor))
    for child_id, ref in rows:
        if ref in shown:
            found[child_id].append(ref)
    return found


def visible_parents_of(space: Space, actor: Any) -> list[Space]:
    """A space's parents as ``actor`` may see them (pages and the API name no other)."""
    from .permissions import visible_spaces
    return visible_spaces(parents_of([space.id])[space.id], actor)


LISTED_ORDERS = {"directory": (Space.kind, Space.position, Space.name),  # grouped by kind
                 "api": (Space.position, Space.name, Space.id)}  # stable for paging scripts


def listed_page(actor: Any, *, kind: str | None = None, q: str = "", page: int = 1,
                per_page: int = 50, order: str = "directory",
                description: bool = False) -> tuple[list, int]:
    """One page of the spaces ``actor`` may see listed, as plain rows, and their total.

    The directory and ``/api/v1/spaces``: their SQL (the permission gate over a thousand
    spaces) is written once per viewer, filter and page (``placette.prepared``) -- peewee took
    longer to write it than SQLite to answer.
    """
    from .permissions import listed_spaces
    from .query_memo import prepared, viewer_key

    columns = [Space.id, Space.slug, Space.name, Space.kind, Space.visibility]
    if description:
        columns.append(Space.description)

    def filtered(kind, q):
        query = listed_spaces(Space.select(), actor)
        if kind:
            query = query.where(Space.kind == kind)
        if q:
            query = query.where(Space.name.contains(q))
        return query

    def build_page(_viewer, kind, q, page, per_page, order, _description):
        return (filtered(kind, q).select(*columns).order_by(*LISTED_ORDERS[order])
                .paginate(page, per_page))

    viewer = viewer_key(actor)
    total = prepared("spaces.listed.count", lambda _viewer, kind, q: filtered(kind, q),
                     viewer, kind, q).count()
    rows = prepared("spaces.listed", build_page, viewer, kind, q, page, per_page,
                    order, description).namedtuples()
    return rows, total


def children_query(space: Space):
    return (Space.select().join(SpaceParent, on=(SpaceParent.child == Space.id))
            .where(SpaceParent.parent == space.id).order_by(Space.position, Space.name))


def child_rows(space: Space) -> list:
    """The sub-spaces of a space as its home page lists them (id, slug, name, visibility,
    archived_at: plain rows), its SQL written once (``prepared``): asked on every space home.
    Filter them with ``can_see_space`` before showing any."""
    def build(**late):
        return (Space.select(Space.id, Space.slug, Space.name, Space.visibility,
                             Space.archived_at)
                .join(SpaceParent, on=(SpaceParent.child == Space.id))
                .where(SpaceParent.parent == late["space_id"])
                .order_by(Space.position, Space.name))

    return prepared("spaces.children", build, space_id=space.id).namedtuples()


def city_space() -> Space | None:
    return request_cache.cached(("city_space",), lambda: Space.select().where(
        Space.kind == "city").order_by(Space.id).first())


# -- memberships ----------------------------------------------------------------------------------

def active_memberships():
    return Membership.select().where(Membership.expires_at.is_null()
                                     | (Membership.expires_at > utcnow()))


def membership_of(space: Space, user: User) -> Membership | None:
    sql = compiled_sql("spaces.membership_of", lambda: Membership.select().where(
        (Membership.space == 0) & (Membership.user == 0)))
    return next(iter(Membership.raw(sql, getattr(space, "id", space),
                                    getattr(user, "id", user))), None)


def active_member_count(space: Space) -> int:
    """How many people belong to a space now (guests whose end date passed do not count)."""
    now = utcnow()
    sql = compiled_sql("spaces.member_count", lambda: Membership.select(
        fn.COUNT(Membership.id)).where(
        (Membership.space == 0)
        & (Membership.expires_at.is_null() | (Membership.expires_at > now))))
    return database.execute_sql(sql, (space.id, Membership.expires_at.db_value(now))).fetchone()[0]


def _check_role(role: str, expires_at: dt.datetime | None) -> None:
    if role not in ROLES:
        raise SpaceError("invalid_role", f"role must be one of {', '.join(ROLES)}", "role")
    if role == "guest" and expires_at is None:
        raise SpaceError("guest_needs_expiry", "a guest always has an end date", "expires_at")
    if expires_at is not None and expires_at <= utcnow():
        raise SpaceError("expiry_in_past", "the end date must be in the future", "expires_at")


def add_member(space: Space, user: User, role: str = "member",
               expires_at: dt.datetime | None = None, actor: Any = None) -> Membership:
    """Add someone, or change their role / end date if they already belong."""
    _check_role(role, expires_at)
    with atomic():
        existing = membership_of(space, user)
        before = ({"role": existing.role, "expires_at": existing.expires_at}
                  if existing else None)
        if existing:
            existing.role = role
            existing.expires_at = expires_at
            existing.save()
            membership = existing
        else:
            membership = Membership.create(space=space, user=user, role=role,
                                           expires_at=expires_at,
                                           invited_by=getattr(actor, "id", None))
        audit.record(actor, "space.member.set", target=f"user:{user.email}", space=space,
                     before=before, after={"role": role, "expires_at": expires_at})
    forget_roles(user)
    forget_roles(actor)
    return membership


def remove_member(space: Space, user: User, actor: Any = None) -> bool:
    with atomic():
        existing = membership_of(space, user)
        if existing is None:
            return False
        existing.delete_instance()
        audit.record(actor, "space.member.remove", target=f"user:{user.email}", space=space,
                     before={"role": existing.role})
    forget_roles(user)
    return True


def request_to_join(space: Space, user: User, message: str = "") -> JoinRequest:
    if not space.allow_join_requests:
        raise SpaceError("join_closed", "this space does not take requests to join")
    current = membership_of(space, user)
    if current and (current.expires_at is None or current.expires_at > utcnow()):
        raise SpaceError("already_member", "you already belong to this space")
    pending = JoinRequest.get_or_none((JoinRequest.space == space) & (JoinRequest.user == user)
                                      & JoinRequest.decided_at.is_null())
    if pending:
        return pending
    with atomic():
        request = JoinRequest.create(space=space, user=user, message=(message or "")[:2000])
        staff = [uid for (uid,) in active_memberships().select(Membership.user).where(
            (Membership.space == space) & Membership.role.in_(["animator", "admin"])).tuples()]
        emit("placette.join_request.created", space=space, actor=user, recipients=staff,
             data={"url": f"/s/{space.slug}/manage/requests"})
    return request


def decide_join_request(request: JoinRequest, accept: bool, actor: Any = None) -> None:
    with atomic():
        request.decided_at = utcnow()
        request.decided_by = getattr(actor, "id", None)
        request.accepted = accept
        request.save()
        if accept:
            add_member(request.space, request.user, "member", actor=actor)
            emit("placette.join_request.accepted", space=request.space, actor=actor,
                 recipients=[request.user_id])
        audit.record(actor, "space.join_request." + ("accept" if accept else "decline"),
                     target=f"user:{request.user.email}", space=request.space)
