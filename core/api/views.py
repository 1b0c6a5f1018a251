"""The kernel's own API endpoints: me, spaces, members, modules."""
from __future__ import annotations

from flask import request, url_for
from flask_login import current_user

from .. import modules as module_service
from ..models import Membership, Space, User
from ..permissions import can, can_read
from ..roles import roles_of
from ..spaces import active_memberships, listed_page, parent_refs, visible_parents_of
from .errors import ApiError
from .registry import Api
from .schemas import MeOut, MemberOut, ModuleIn, ModuleOut, SpaceOut

MAX_PAGE = 500


def readable_space(slug: str) -> Space:
    """The space if the caller may read inside it; otherwise 404 (existence must not leak)."""
    space = Space.get_or_none(Space.slug == slug)
    if space is None or not can_read(current_user, space):
        raise ApiError(404, "not_found", "not found")
    return space


def _page() -> tuple[int, int]:
    def number(name: str, default: int, low: int, high: int) -> int:
        raw = request.args.get(name, str(default))
        # ASCII digits only ("²".isdigit() is true, int() refuses it), and few of them.
        if not (len(raw) <= 9 and raw.isascii() and raw.isdigit()) \
                or not low <= int(raw) <= high:
            raise ApiError(400, "invalid_parameter", f"{name} must be an integer from {low} "
                           f"to {high}")
        return int(raw)
    return number("page", 1, 1, 1_000_000), number("per_page", 100, 1, MAX_PAGE)


def _paginated(items: list, total: int, page: int, per_page: int, endpoint: str, **params):
    from flask import jsonify
    response = jsonify(items)
    response.headers["X-Total-Count"] = str(total)
    links = []
    if page * per_page < total:
        links.append(f'<{url_for(endpoint, page=page + 1, per_page=per_page, **params)}>; '
                     f'rel="next"')
    if page > 1:
        links.append(f'<{url_for(endpoint, page=page - 1, per_page=per_page, **params)}>; '
                     f'rel="prev"')
    if links:
        response.headers["Link"] = ", ".join(links)
    return response


def space_out(space: Space, parents: list[Space], enabled: set[str],
              roles: dict[int, str] | None = None) -> dict:
    role = (roles if roles is not None else roles_of(current_user)).get(space.id)
    return {"slug": space.slug, "name": space.name, "kind": space.kind,
            "visibility": space.visibility, "description": space.description,
            "parents": [p.slug for p in parents], "modules": sorted(enabled),
            "url": f"/s/{space.slug}", "role": role}


def register(api: Api) -> None:
    @api.route("/me", summary="The caller, with their memberships", response=MeOut,
               auth="required", tags=["identity"])
    def me():
        user = current_user
        rows = (active_memberships().select(Membership, Space).join(Space)
                .where(Membership.user == user.id).order_by(Space.name))
        return {"id": user.id, "email": user.email, "display_name": user.display_name,
                "language": user.language, "phone": user.phone, "is_admin": user.is_admin,
                "memberships": [{"space": m.space.slug, "space_name": m.space.name,
                                 "role": m.role, "expires_at": m.expires_at} for m in rows]}

    @api.route("/spaces", summary="Spaces the caller may see", response=list[SpaceOut],
               tags=["spaces"], query={"page": "page number (1...)",
                                       "per_page": f"items per page (1-{MAX_PAGE}, default 100)",
                                       "kind": "only spaces of this kind"})
    def spaces():
        page, per_page = _page()
        kind = request.args.get("kind")
        # Plain rows, not models: 100 spaces and their 200 parents are read, not edited.
        rows, total = listed_page(current_user._get_current_object(), kind=kind or None,
                                  page=page, per_page=per_page, order="api", description=True)
        ids = [s.id for s in rows]
        parents = parent_refs(ids, current_user._get_current_object())
        enabled = module_service.enabled_by_space(ids)
        roles = roles_of(current_user)  # once, not through the proxy for every row
        items = [space_out(s, parents[s.id], enabled[s.id], roles) for s in rows]
        return _paginated(items, total, page, per_page, request.endpoint, kind=kind)

    @api.route("/spaces/<slug>", summary="One space", response=SpaceOut, tags=["spaces"])
    def space_detail(slug):
        space = Space.get_or_none(Space.slug == slug)
        from ..permissions import can_see_space
        if space is None or not can_see_space(current_user, space):
            raise ApiError(404, "not_found", "not found")
        return space_out(space, visible_parents_of(space, current_user),
                         module_service.enabled_plugins(space))

    @api.route("/spaces/<slug>/members", summary="Members of a space (for those allowed)",
               response=list[MemberOut], tags=["spaces"],
               query={"page": "page number", "per_page": "items per page"})
    def space_members(slug):
        space = readable_space(slug)
        if not can(current_user, "space.members.view", space):
            raise ApiError(404, "not_found", "not found")
        page, per_page = _page()
        show_email = can(current_user, "space.members.manage", space)
        query = (active_memberships().select(Membership, User).join(User)
                 .where(Membership.space == space))
        total = query.count()
        rows = query.order_by(User.display_name, User.id).paginate(page, per_page)
        items = [{"id": m.user.id, "display_name": m.user.display_name, "role": m.role,
                  "expires_at": m.expires_at, "since": m.created_at,
                  "email": m.user.email if show_email else None} for m in rows]
        return _paginated(items, total, page, per_page, request.endpoint, slug=slug)

    @api.route("/spaces/<slug>/modules/<name>", methods=["PUT"], body=ModuleIn,
               response=ModuleOut, auth="required", tags=["spaces"],
               summary="Enable or disable a plugin in a space, with its settings (admins)")
    def put_module(slug, name, body: ModuleIn):
        space = readable_space(slug)
        if not can(current_user, "space.modules.manage", space):
            raise ApiError(403, "forbidden", "only the space's admins manage its modules")
        try:
            changes = module_service.set_module(space, name, body.enabled, body.settings,
                                                actor=current_user, cascade=body.cascade)
        except module_service.ModuleError as exc:
            status = 404 if exc.code == "unknown_plugin" else (
                422 if exc.code == "invalid_settings" else 409)
            raise ApiError(status, exc.code, exc.message, exc.details) from None
        enabled = module_service.is_enabled(space, name)
        settings = module_service.settings_of(space, name).model_dump(mode="json")
        return {"plugin": name, "enabled": enabled, "settings": settings, "changes": changes}

