"""Plugin machinery: discovery, activation, validation and safe hook calls.

Lifecycle of a plugin:

1. **installed** -- a distribution exposes an entry point in the group ``placette.plugins``
   (bundled plugins are discovered exactly like third-party ones);
2. **activated** -- listed in the instance's ``plugins = [...]``; installing a package never
   silently exposes routes;
3. **enabled per space** -- a :class:`~placette.models.Module` row (see :mod:`placette.modules`).

The registry validates what each activated plugin declares at start-up and refuses clashes with a
:class:`~placette.errors.PluginError` naming the plugin.
"""
from __future__ import annotations

import functools
import importlib.metadata
import inspect
import logging
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import pluggy

from . import hookspecs
from .declarations import Action, EventType, PluginManifest, ResourceKind
from .errors import PlacetteError, PluginError

log = logging.getLogger("placette.plugins")

ENTRY_POINT_GROUP = "placette.plugins"
KERNEL = "placette"


def installed_plugins() -> dict[str, importlib.metadata.EntryPoint]:
    """Entry points of every installed plugin distribution, by plugin name."""
    return {ep.name: ep for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP)}


def plugin_failure(name: str, exc: BaseException, doing: str = "") -> PluginError:
    """The one line naming the plugin that broke the start (``plugin 'keys': ...``).

    The command line and the WSGI entry point print a :class:`PluginError` without a traceback,
    so the line says what raised and where: ``plugin 'keys': register_models() raised
    RuntimeError: boom (keys/plugin.py:12)``.  The traceback stays chained (``from exc``) for the
    log and for ``PLACETTE_DEBUG=1``.
    """
    message = " ".join(f"{type(exc).__name__}: {exc}".split())
    frames = traceback.extract_tb(exc.__traceback__)
    if isinstance(exc, SyntaxError) and exc.filename:
        where = f" ({exc.filename}:{exc.lineno})"
    elif frames:
        where = f" ({frames[-1].filename}:{frames[-1].lineno})"
    else:
        where = ""
    error = PluginError(f"plugin '{name}': {doing + ' raised ' if doing else ''}{message}{where}")
    error.__cause__ = exc
    return error


def _plugin_packages() -> dict[str, str]:
    """``{module prefix: plugin name}`` of every installed plugin, read from the entry points
    without importing anything: ``placette_keys.plugin`` makes ``placette_keys`` keys'."""
    packages = {}
    for name, entry_point in installed_plugins().items():
        module = entry_point.module
        packages[module.rsplit(".", 1)[0] if "." in module else module] = name
    return packages


def blame(exc: BaseException) -> PluginError | None:
    """The plugin whose code raised ``exc`` (the deepest traceback frame in a plugin's package),
    as a :class:`PluginError`; ``None`` when no plugin's code is on the traceback."""
    packages = _plugin_packages()
    tb, modules = exc.__traceback__, []
    while tb is not None:
        modules.append(tb.tb_frame.f_globals.get("__name__", ""))
        tb = tb.tb_next
    for module in reversed(modules):
        for prefix, name in packages.items():
            if module == prefix or module.startswith(prefix + "."):
                return plugin_failure(name, exc)
    return None


def naming_the_plugin(start):
    """Decorator for a start-up function (the app factory): whatever a plugin's code raises on
    the way -- in a hook, a blueprint's deferred setup, a template filter -- comes out as one
    :class:`PluginError` naming the plugin, like the errors the registry raises itself."""
    @functools.wraps(start)
    def wrapper(*args, **kwargs):
        try:
            return start(*args, **kwargs)
        except PluginError:
            raise
        except Exception as exc:
            blamed = None if isinstance(exc, PlacetteError) else blame(exc)
            if blamed is None:
                raise
            raise blamed from exc
    return wrapper


def _distribution_of(entry_point) -> str:
    dist = getattr(entry_point, "dist", None)
    return f"{dist.name} {dist.version}" if dist is not None else "?"


@dataclass
class PluginInfo:
    """What the registry knows about one activated plugin."""

    name: str
    module: Any
    manifest: PluginManifest
    distribution: str = ""
    models: list = field(default_factory=list)
    migrations_dir: Path | None = None


class PluginRegistry:
    """The activated plugins of one app, and every safe way of calling their hooks."""

    def __init__(self, activated: Iterable[str], extra: dict[str, Any] | None = None,
                 kernel_hooks: Any = None):
        self.pm = pluggy.PluginManager(hookspecs.PROJECT)
        self.pm.add_hookspecs(hookspecs)
        self.plugins: dict[str, PluginInfo] = {}
        # hook name -> its implementations as (plugin, function, argument names), in pluggy's
        # order; emptied whenever a plugin registers (only in this class).
        self._calls: dict[str, tuple[tuple[str, Any, tuple[str, ...]], ...]] = {}
        if kernel_hooks is not None:
            self.pm.register(kernel_hooks, name=KERNEL)
            self._calls.clear()
        extra = dict(extra or {})
        available = installed_plugins()
        for name in activated:
            if name in self.plugins:
                continue
            if name in extra:
                module, dist = extra.pop(name), "(in process)"
            elif name in available:
                try:
                    module = available[name].load()
                except Exception as exc:  # an import error names the plugin, not just a traceback
                    raise plugin_failure(name, exc, f"importing {available[name].value}") \
                        from exc
                dist = _distribution_of(available[name])
            else:
                known = ", ".join(sorted(available)) or "none"
                raise PluginError(f"plugin '{name}' is activated in placette.toml but not installed "
                                  f"(installed: {known})")
            self._register(name, module, dist)
        for name, module in extra.items():
            self._register(name, module, "(in process)")
        self._check_pending()
        self._check_requires()
        self.actions = self._collect_named("register_actions", Action, "name", ".")
        self.event_types = self._collect_named("register_events", EventType, "name", ".")
        self.resource_kinds = {k.key: k for k in self._collect_typed("register_resource_kinds",
                                                                     ResourceKind)}
        for info in self.plugins.values():
            info.models = self._models_of(info)
            info.migrations_dir = self._migrations_of(info)

    # -- registration and validation -----------------------------------------------------------

    def _register(self, name: str, module: Any, distribution: str) -> None:
        self._calls.clear()
        try:
            self.pm.register(module, name=name)
        except pluggy.PluginValidationError as exc:  # a hook with arguments its spec lacks
            raise PluginError(f"plugin '{name}': {exc}") from None
        except ValueError as exc:
            raise PluginError(f"plugin '{name}': {exc}") from None
        impl = self._impl("register_manifest", name)
        try:
            manifest = impl.function() if impl else None
        except Exception as exc:
            raise plugin_failure(name, exc, "register_manifest()") from exc
        if not isinstance(manifest, PluginManifest):
            raise PluginError(f"plugin '{name}' must implement register_manifest() returning a "
                              f"placette.PluginManifest")
        if manifest.name != name:
            raise PluginError(f"plugin '{name}': its manifest calls it '{manifest.name}'; the "
                              f"entry point name and the manifest name must agree")
        self.plugins[name] = PluginInfo(name, module, manifest, distribution)

    def _check_pending(self) -> None:
        """Refuse hook implementations that match no hookspec (a misspelt hook name would
        otherwise never be called, silently).  pluggy names the plugin object; we name the plugin."""
        try:
            self.pm.check_pending()
        except pluggy.PluginValidationError as exc:
            name = self.pm.get_name(exc.plugin) or repr(exc.plugin)
            hook = str(exc).split("'")[1] if str(exc).count("'") >= 2 else "?"
            known = ", ".join(sorted(h for h in dir(hookspecs) if
                                     hasattr(getattr(hookspecs, h), "placette_spec")))
            raise PluginError(f"plugin '{name}': unknown hook '{hook}' (misspelt? the hooks are: "
                              f"{known})") from None

    def check_commands(self, reserved: Iterable[str]) -> dict[str, Any]:
        """Collect the plugins' CLI groups, each named after its plugin and clashing with no
        kernel command; returns ``{name: click command}``."""
        import click
        found: dict[str, Any] = {}
        reserved = set(reserved)
        for impl in reversed(self.pm.hook.register_commands.get_hookimpls()):
            plugin = impl.plugin_name
            if plugin == KERNEL:
                continue
            group = click.Group()
            try:
                impl.function(cli=group)
            except Exception as exc:
                raise plugin_failure(plugin, exc, "register_commands()") from exc
            for command in group.commands:
                if command != plugin or command in reserved or command in found:
                    raise PluginError(f"plugin '{plugin}': command '{command}' must be the "
                                      f"plugin's own group, named '{plugin}'")
                found[command] = group.commands[command]
        return found

    def _impl(self, hook: str, plugin: str):
        for impl in getattr(self.pm.hook, hook).get_hookimpls():
            if impl.plugin_name == plugin:
                return impl
        return None

    def _check_requires(self) -> None:
        for info in self.plugins.values():
            for required in info.manifest.requires:
                if required not in self.plugins:
                    raise PluginError(f"plugin '{info.name}' requires '{required}', which is not "
                                      f"activated: add it to plugins = [...] in placette.toml")

    def _collect_typed(self, hook: str, kind: type) -> list:
        found = []
        for plugin, value in self.call_each(hook, strict=True):
            for item in value:
                if not isinstance(item, kind):
                    raise PluginError(f"plugin '{plugin}': {hook}() must return "
                                      f"{kind.__name__} objects, got {item!r}")
                owner = getattr(item, "plugin", None)
                if owner is not None and plugin != KERNEL and owner != plugin:
                    raise PluginError(f"plugin '{plugin}' declares {item!r} for '{owner}'")
                found.append(item)
        return found

    def _collect_named(self, hook: str, kind: type, attr: str, sep: str) -> dict[str, Any]:
        found: dict[str, Any] = {}
        for plugin, value in self.call_each(hook, strict=True):
            for item in value:
                if not isinstance(item, kind):
                    raise PluginError(f"plugin '{plugin}': {hook}() must return "
                                      f"{kind.__name__} objects, got {item!r}")
                name = getattr(item, attr)
                if plugin != KERNEL and not name.startswith(plugin + sep):
                    raise PluginError(f"plugin '{plugin}': {kind.__name__} '{name}' must be "
                                      f"prefixed with '{plugin}{sep}'")
                if name in found:
                    raise PluginError(f"plugin '{plugin}': {kind.__name__} '{name}' is declared "
                                      f"twice")
                found[name] = item
        return found

    def _models_of(self, info: PluginInfo) -> list:
        impl = self._impl("register_models", info.name)
        try:
            models = list(impl.function() or []) if impl else []
        except Exception as exc:
            raise plugin_failure(info.name, exc, "register_models()") from exc
        for model in models:
            table = model._meta.table_name
            if not table.startswith(info.name + "_"):
                raise PluginError(f"plugin '{info.name}': table '{table}' of {model.__name__} must "
                                  f"be named '{info.name}_...' (set Meta.table_name)")
        return models

    def _migrations_of(self, info: PluginInfo) -> Path | None:
        impl = self._impl("register_migrations", info.name)
        if impl:
            try:
                folder = impl.function()
            except Exception as exc:
                raise plugin_failure(info.name, exc, "register_migrations()") from exc
            return Path(folder) if folder else None
        source = inspect.getsourcefile(info.module) if inspect.ismodule(info.module) else None
        if source is None:
            source = inspect.getsourcefile(type(info.module))
        candidate = Path(source).parent / "migrations"
        return candidate if candidate.is_dir() else None

    # -- calling hooks -------------------------------------------------------------------------

    def _implementations(self, hook: str) -> tuple[tuple[str, Any, tuple[str, ...]], ...]:
        """``(plugin, function, argument names)`` of each implementation of ``hook``, in
        pluggy's order (last registered first), read from pluggy once per hook: a page calls
        the slot, menu and permission hooks dozens of times, and pluggy copies its list of
        implementations on every ``get_hookimpls()``."""
        found = self._calls.get(hook)
        if found is None:
            found = self._calls[hook] = tuple(
                (impl.plugin_name, impl.function, tuple(impl.argnames))
                for impl in getattr(self.pm.hook, hook).get_hookimpls())
        return found

    def call_each(self, hook: str, only: set[str] | None = None, strict: bool = False,
                  **kwargs) -> list[tuple[str, Any]]:
        """Call every implementation, in registration order, and return ``(plugin, result)``.

        ``only`` restricts to those plugins (the kernel always answers).  Non-strict calls log an
        implementation that raises, with the plugin's name, and go on without it; strict calls (at
        start-up) let the error out so a broken plugin cannot half-start.
        """
        results = []
        for name, function, argnames in reversed(self._implementations(hook)):
            if only is not None and name != KERNEL and name not in only:
                continue
            args = {arg: kwargs.get(arg) for arg in argnames}
            try:
                value = function(**args)
            except Exception as exc:
                if strict:
                    raise plugin_failure(name, exc, f"{hook}()") from exc
                log.exception("plugin %r failed in hook %s; skipped", name, hook)
                continue
            if value is not None:
                results.append((name, value))
        return results

    def implementers(self, hook: str) -> list[str]:
        """Names of the plugins implementing ``hook``, in calling order (kernel included)."""
        return [name for name, _function, _args in reversed(self._implementations(hook))]

    def call_one(self, hook: str, plugin: str, **kwargs) -> Any:
        """Call one plugin's implementation at start-up (strict: an error names the plugin)."""
        impl = self._impl(hook, plugin)
        if impl is None:
            return None
        args = {arg: kwargs.get(arg) for arg in impl.argnames}
        try:
            return impl.function(**args)
        except PluginError:
            raise
        except Exception as exc:
            raise plugin_failure(plugin, exc, f"{hook}()") from exc

    def collect(self, hook: str, only: set[str] | None = None, **kwargs) -> list:
        """Flatten the non-``None`` answers of a collecting hook into one list."""
        flat = []
        for _plugin, value in self.call_each(hook, only=only, **kwargs):
            if isinstance(value, (list, tuple, set)):
                flat.extend(value)
            else:
                flat.append(value)
        return flat

    def first(self, hook: str, **kwargs):
        for _plugin, value in self.call_each(hook, **kwargs):
            return value
        return None

    def permission_votes(self, only: set[str] | None, **kwargs) -> list[bool | None]:
        """Answers of ``permission_check``; an implementation that raises votes ``False``."""
        votes = []
        asked = len(kwargs)
        for name, function, argnames in self._implementations("permission_check"):
            if only is not None and name != KERNEL and name not in only:
                continue
            # An implementation taking every argument of the hook (pluggy checked its names
            # against the hook's) is called with them as they are: no dictionary per vote,
            # and a page asks for a dozen decisions or more.
            args = kwargs if len(argnames) == asked else {arg: kwargs.get(arg) for arg in argnames}
            try:
                votes.append(function(**args))
            except Exception:
                log.exception("plugin %r failed in permission_check; denying", name)
                votes.append(False)
        return votes

    # -- conveniences --------------------------------------------------------------------------

    @property
    def names(self) -> list[str]:
        return list(self.plugins)

    def manifest(self, name: str) -> PluginManifest:
        return self.plugins[name].manifest

    def all_models(self) -> list:
        return [model for info in self.plugins.values() for model in info.models]

    def ordered(self) -> list[PluginInfo]:
        """Plugins with each one after the plugins it requires (migrations, seeding)."""
        done: list[PluginInfo] = []
        seen: set[str] = set()

        def visit(name: str, trail: tuple[str, ...]) -> None:
            if name in seen:
                return
            if name in trail:
                raise PluginError(f"plugins require each other in a cycle: {' -> '.join(trail)}")
            for required in self.plugins[name].manifest.requires:
                visit(required, trail + (name,))
            seen.add(name)
            done.append(self.plugins[name])

        for name in self.plugins:
            visit(name, ())
        return done
