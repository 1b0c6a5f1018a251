"""Plugins enabled per space: read (cached per request), enable, disable, configure.

Enabling a plugin that requires others enables them too, explicitly reported; disabling one that
others in the space require is refused unless ``cascade=True``, which disables them as well.  A
plugin may veto through ``permission_check`` on the action ``space.modules.manage``.  Disabling
keeps every row of the plugin's data.
"""
from __future__ import annotations

from typing import Any, NamedTuple

from pydantic import ValidationError

from . import audit, request_cache
from .db import atomic, compiled_sql, database, utcnow
from .errors import PlacetteError
from .kernel import registry
from .models import Module, Space


class ModuleError(PlacetteError):
    """A module cannot be switched as asked; ``code`` is stable for the API."""

    def __init__(self, code: str, message: str, details: Any = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.details = details


class ModuleState(NamedTuple):
    """A module row as pages read it (switch state and settings), not a model to save: every
    page asks which plugins are on in one or twenty spaces, and building ``Module`` instances
    was most of that cost.  Writes go through :func:`set_module`.

    ``settings`` and ``updated_at`` are decoded when read: the dashboard loads the modules of
    twenty spaces to know which are on, and decoding sixty JSON documents and dates it never
    reads was a tenth of its time."""

    space_id: int
    plugin: str
    enabled: bool
    stored_settings: Any  # the column as the database gives it (JSON text)
    position: int
    stored_updated_at: Any

    @property
    def settings(self) -> Any:
        return Module.settings.python_value(self.stored_settings)

    @property
    def updated_at(self) -> Any:
        return Module.updated_at.python_value(self.stored_updated_at)


_STATE_COLUMNS = (Module.space, Module.plugin, Module.enabled, Module.settings, Module.position,
                  Module.updated_at)


def _states(sql: str, params) -> list[ModuleState]:
    as_bool = Module.enabled.python_value
    return [ModuleState(space_id, plugin, as_bool(enabled), settings, position, updated_at)
            for space_id, plugin, enabled, settings, position, updated_at
            in database.execute_sql(sql, params).fetchall()]


def _rows(space_id: int) -> dict[str, ModuleState]:
    if not request_cache.has(("modules", space_id)):
        announced = _announced()
        if space_id in announced:  # announced by preload(): its whole list in one query
            _load(sorted(announced))
            announced.clear()
    return request_cache.cached(("modules", space_id), lambda: {
        m.plugin: m for m in _states(compiled_sql("modules.space", lambda: (
            Module.select(*_STATE_COLUMNS).where(Module.space == 0))), (space_id,))})


def module_rows(space_id: int) -> dict[str, ModuleState]:
    """Every module row of a space by name -- inactive plugins and the kernel's own row
    (``placette``, its per-space settings: see :mod:`placette.space_settings`) included."""
    return _rows(space_id)


def modules_of(space: Space | int) -> dict[str, ModuleState]:
    """Module rows of a space by plugin name, activated plugins only."""
    space_id = space if isinstance(space, int) else space.id
    active = registry().plugins
    return {name: row for name, row in _rows(space_id).items() if name in active}


def enabled_plugins(space: Space | int) -> set[str]:
    """Names of the activated plugins switched on in a space -- worked out once per request
    and space (every slot and every permission check of a page asks it), forgotten with the
    module rows when a module is switched or configured.  Callers must not change the set."""
    space_id = space if isinstance(space, int) else space.id
    return request_cache.cached(("modules", "enabled", space_id), lambda: {
        name for name, row in modules_of(space_id).items() if row.enabled})


def preload(space_ids: list[int]) -> None:
    """Announce that the modules of many spaces may be asked during the request: the first
    time one of them is, all of them are fetched in one query, so a list of spaces costs one
    query -- and none when nothing on the page asks (the dashboard announces the person's
    twenty spaces for the plugins' slots; read up front, their rows were a tenth of its time
    whenever no slot looked at them)."""
    _announced().update(sid for sid in space_ids if not request_cache.has(("modules", sid)))


def _announced() -> set[int]:
    """The spaces announced by :func:`preload` whose modules are not read yet (this request)."""
    return request_cache.cached(("modules_announced",), set)


def _load(space_ids: list[int]) -> None:
    """Read the modules of the spaces not read yet, in one query."""
    missing = [sid for sid in space_ids if not request_cache.has(("modules", sid))]
    if not missing:
        return
    if not registry().plugins:  # no plugin activated: there is nothing to enable anywhere
        for sid in missing:
            request_cache.put(("modules", sid), {})
        return
    found: dict[int, dict[str, ModuleState]] = {sid: {} for sid in missing}
    sql = compiled_sql(f"modules.preload:{len(missing)}",  # SQL text cached per list length
                       lambda: Module.select(*_STATE_COLUMNS).where(
                           Module.space.in_([0] * len(missing))))
    for row in _states(sql, missing):
        found[row.space_id][row.plugin] = row
    for sid, rows in found.items():
        request_cache.put(("modules", sid), rows)


def enabled_by_space(space_ids: list[int]) -> dict[int, set[str]]:
    """Enabled plugins of many spaces at once (one query; none when no plugin is activated)."""
    active = registry().plugins
    found: dict[int, set[str]] = {sid: set() for sid in space_ids}
    if not active or not space_ids:
        return found
    # Two columns, not the rows: a page of the API lists 100 spaces and some 500 module rows,
    # whose settings (JSON) took longer to decode than anything else on the page.
    ids = list(found)
    sql = compiled_sql(f"modules.enabled_by_space:{len(ids)}", lambda: (
        Module.select(Module.space, Module.plugin)
        .where(Module.space.in_([0] * len(ids)) & Module.enabled)))
    for space_id, plugin in database.execute_sql(sql, ids).fetchall():
        if plugin in active:
            found[space_id].add(plugin)
    return found


def is_enabled(space: Space | int, plugin: str) -> bool:
    return plugin in enabled_plugins(space)


def settings_of(space: Space | int, plugin: str) -> Any:
    """The validated settings object (an instance of the plugin's schema) for a space."""
    manifest = registry().manifest(plugin)
    row = modules_of(space).get(plugin)
    stored = row.settings if row is not None else {}
    try:
        return manifest.settings.model_validate(stored or {})
    except ValidationError:
        return manifest.settings()  # stored settings from an older schema: fall back to defaults


def validate_settings(plugin: str, settings: dict[str, Any]) -> dict[str, Any]:
    """Check settings against the plugin's schema; unknown keys are refused."""
    manifest = registry().manifest(plugin)
    schema = manifest.settings
    unknown = sorted(set(settings) - set(schema.model_fields))
    if unknown:
        raise ModuleError("invalid_settings", f"unknown setting(s) for {plugin}: "
                          f"{', '.join(unknown)}", {"unknown": unknown})
    try:
        return schema.model_validate(settings).model_dump(mode="json")
    except ValidationError as exc:
        details = [{"field": ".".join(str(p) for p in e["loc"]), "message": e["msg"]}
                   for e in exc.errors()]
        raise ModuleError("invalid_settings", "; ".join(f"{d['field']}: {d['message']}"
                                                        for d in details), details) from None


def _dependents(space: Space, plugin: str) -> list[str]:
    reg = registry()
    return sorted(name for name in enabled_plugins(space)
                  if plugin in reg.manifest(name).requires)


def _required_chain(plugin: str) -> list[str]:
    reg = registry()
    order: list[str] = []

    def visit(name: str) -> None:
        for required in reg.manifest(name).requires:
            visit(required)
        if name not in order:
            order.append(name)

    visit(plugin)
    return order


def _check_veto(actor, space: Space, plugin: str, enabling: bool) -> None:
    reg = registry()
    votes = reg.permission_votes(only={plugin}, actor=actor, action="space.modules.manage",
                                 target={"plugin": plugin, "enable": enabling}, space=space)
    if False in votes:
        raise ModuleError("vetoed", f"{plugin} refuses to be "
                          f"{'enabled' if enabling else 'disabled'} in {space.slug}")


def set_module(space: Space, plugin: str, enabled: bool, settings: dict[str, Any] | None = None,
               actor=None, cascade: bool = False) -> dict[str, list[str]]:
    """Switch one module (and what it pulls in or cascades to); returns what changed.

    ``{"enabled": [...], "disabled": [...], "configured": [...]}`` -- everything in one transaction,
    audited with before/after.
    """
    reg = registry()
    if plugin not in reg.plugins:
        raise ModuleError("unknown_plugin", f"no activated plugin named {plugin!r}")
    manifest = reg.manifest(plugin)
    if enabled and manifest.space_kinds and space.kind not in manifest.space_kinds:
        raise ModuleError("wrong_space_kind", f"{plugin} is for spaces of kind "
                          f"{', '.join(manifest.space_kinds)}, not {space.kind}")
    clean = validate_settings(plugin, settings) if settings is not None else None
    changes: dict[str, list[str]] = {"enabled": [], "disabled": [], "configured": []}
    current = enabled_plugins(space)
    with atomic():
        if enabled:
            for name in _required_chain(plugin):
                if name not in current:
                    _check_veto(actor, space, name, True)
                    _write(space, name, True, None)
                    changes["enabled"].append(name)
        elif plugin in current:
            dependents = _dependents(space, plugin)
            if dependents and not cascade:
                raise ModuleError("required_by", f"{', '.join(dependents)} need(s) {plugin} in "
                                  f"{space.slug}: disable them first or cascade",
                                  {"required_by": dependents})
            for name in dependents + [plugin]:
                _check_veto(actor, space, name, False)
                _write(space, name, False, None)
                changes["disabled"].append(name)
        if clean is not None:
            before = _rows(space.id).get(plugin)
            _write(space, plugin, None, clean)
            changes["configured"].append(plugin)
            audit.record(actor, "space.module.configure", target=f"module:{plugin}", space=space,
                         before=before.settings if before else None, after=clean)
        if changes["enabled"] or changes["disabled"]:
            audit.record(actor, "space.module.switch", target=f"module:{plugin}", space=space,
                         before={"enabled": sorted(current)},
                         after={"enabled": sorted((current | set(changes["enabled"]))
                                                  - set(changes["disabled"]))})
    request_cache.forget("modules")
    return changes


def _write(space: Space, plugin: str, enabled: bool | None, settings: dict | None) -> None:
    row = Module.get_or_none(space=space, plugin=plugin)
    if row is None:
        row = Module(space=space, plugin=plugin, enabled=bool(enabled),
                     settings=settings or registry().manifest(plugin).default_settings(),
                     position=len(registry().names))
    if enabled is not None:
        row.enabled = enabled
    if settings is not None:
        row.settings = settings
    row.updated_at = utcnow()
    row.save()
    request_cache.forget("modules")


def enable_defaults(space: Space) -> list[str]:
    """Create the module rows of a new space from each plugin's ``default_enabled``."""
    turned_on = []
    for info in registry().ordered():
        manifest = info.manifest
        if manifest.default_enabled and (not manifest.space_kinds
                                         or space.kind in manifest.space_kinds):
            _write(space, info.name, True, None)
            turned_on.append(info.name)
    return turned_on
