"""The app factory: one function builds the whole site for one instance.

Order matters and is fixed here: configuration -> database -> plugins (validated) -> queue and its
tasks -> languages, theme, sessions, CSRF, rate limits -> kernel pages -> plugin blueprints ->
API (kernel and plugins, one OpenAPI document) -> ``startup`` hooks -> page cache and proxy
headers (WSGI layers around it all).  Flask refuses new routes after
the first request, so every activated plugin's blueprint is registered here and a per-space guard
answers 404 where a module is off.
"""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import peewee
from flask import Flask, g, request
from flask_wtf.csrf import CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix

from . import i18n, kernel_hooks, theme
from .config import InstanceConfig, load
from .db import bind, database, is_postgres, open_database, unreachable
from .db.migrations import MigrationSource, pending
from .errors import PendingMigrations, PluginError
from .kernel import Kernel
from .plugin_manager import KERNEL, PluginRegistry, naming_the_plugin
from .tasks import TaskQueue
from .web.urls import PlacetteFlask

log = logging.getLogger("placette")
CORE_MIGRATIONS = Path(__file__).parent / "migrations"


def migration_sources(registry: PluginRegistry) -> list[MigrationSource]:
    """The kernel first, then plugins in requirement order."""
    sources = [MigrationSource(KERNEL, CORE_MIGRATIONS)]
    for info in registry.ordered():
        if info.migrations_dir is not None:
            sources.append(MigrationSource(info.name, info.migrations_dir))
    return sources


@naming_the_plugin  # whatever a plugin raises while the app is built: one line naming it
def create_app(instance: str | Path | None = None, config: InstanceConfig | None = None,
               extra_plugins: dict[str, Any] | None = None, testing: bool = False,
               check_migrations: bool = True, queue_name: str | None = None,
               immediate_tasks: bool | None = None) -> Flask:
    """Build the app of one instance (``instance`` folder, or a ready ``config``)."""
    config = config or load(instance)
    app = PlacetteFlask("placette", static_folder=None, template_folder=None)
    from .api import ids, json_provider
    ids.install(app)  # <int:...> beyond 2^63-1 is a 404, in every blueprint (before any route)
    json_provider.install(app)  # every date answered as ISO 8601, whatever a view returns
    app.config.update(
        SECRET_KEY=config.secret_key,
        TESTING=testing,
        MAX_CONTENT_LENGTH=config.max_body_bytes,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=config.base_url.startswith("https://"),
        REMEMBER_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_HTTPONLY=True,
        # The remember cookie opens the account as much as the session one: same rule.
        REMEMBER_COOKIE_SECURE=config.base_url.startswith("https://"),
        WTF_CSRF_TIME_LIMIT=None,
        WTF_CSRF_SSL_STRICT=False,
        PREFERRED_URL_SCHEME="https" if config.base_url.startswith("https://") else "http",
        JSON_SORT_KEYS=False,
    )
    db = open_database(config.database_url, config.root)
    bind(db)
    registry = PluginRegistry(config.plugins, extra_plugins, kernel_hooks=kernel_hooks)
    registry.check_commands(_kernel_commands())
    kernel = Kernel(config=config, registry=registry)
    app.extensions["placette"] = kernel

    if check_migrations:
        try:
            with database.connection_context():
                todo = pending(migration_sources(registry))
        except peewee.DatabaseError as exc:
            raise unreachable(config, exc) from None
        if todo:
            raise PendingMigrations(todo)

    immediate = testing if immediate_tasks is None else immediate_tasks
    kernel.queue = TaskQueue(app, config.effective_queue_url, config.root,
                             name=queue_name or config.queue_name, immediate=immediate)
    registry.call_each("register_tasks", strict=True, queue=kernel.queue)

    translation_dirs = [theme.plugin_folder(info.module) / "translations"
                        for info in registry.plugins.values()]
    if config.theme.path:
        translation_dirs.insert(0, config.path(config.theme.path) / "translations")
    i18n.init(app, translation_dirs, config.default_language, config.timezone)
    kernel.services["assets"] = theme.init(app, registry, config)

    from .web import errors as web_errors, rendering, session
    session.init(app, registry)
    app.extensions["csrf"] = CSRFProtect(app)
    from .web import limits
    kernel.services["limiter"] = limits.init(app, config)
    rendering.init(app)
    web_errors.init(app)
    from .web import input_guard
    input_guard.init(app)

    _register_kernel_pages(app)
    _register_plugin_blueprints(app, registry)
    _register_api(app, registry, kernel)
    _request_lifecycle(app)
    registry.call_each("startup", strict=True, app=app)
    from . import page_cache
    page_cache.install(app, config, registry, db)  # inside ProxyFix: keyed on the real host
    hops = config.web.proxies  # forwarded headers trusted only behind declared proxies
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    return app


def _kernel_commands() -> list[str]:
    from .cli import cli
    return list(cli.commands)


def _register_kernel_pages(app: Flask) -> None:
    from .notifications import activity_web, web as notifications
    from .web import (admin, auth, dashboard, health, manage, moderation, notes, profile,
                      search, spaces)
    for module in (health, auth, dashboard, spaces, manage, admin, profile, notifications,
                   activity_web, search, moderation, notes):
        app.register_blueprint(module.bp)


def _register_plugin_blueprints(app: Flask, registry: PluginRegistry) -> None:
    for plugin, blueprints in registry.call_each("register_blueprints", strict=True):
        if plugin == KERNEL:
            continue
        for blueprint in blueprints if isinstance(blueprints, (list, tuple)) else [blueprints]:
            if blueprint.name != plugin and not blueprint.name.startswith(plugin + "_"):
                raise PluginError(f"plugin '{plugin}': blueprint '{blueprint.name}' must be "
                                  f"named '{plugin}' or '{plugin}_...'")
            try:
                app.register_blueprint(blueprint)
            except ValueError as exc:  # a name the kernel (or another plugin) already uses
                raise PluginError(f"plugin '{plugin}': {exc}") from None
    _check_route_clashes(app)


def _check_route_clashes(app: Flask) -> None:
    """Two blueprints answering the same URL and method: the first would silently win, so a
    plugin could shadow a kernel page (or another plugin's).  Refuse at start-up instead."""
    seen: dict[tuple[str, str], str] = {}
    for rule in app.url_map.iter_rules():
        owner = rule.endpoint.split(".", 1)[0] if "." in rule.endpoint else rule.endpoint
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            key = (rule.rule, method)
            if key in seen and seen[key] != owner:
                plugin = owner if owner in app.extensions["placette"].registry.plugins \
                    else seen[key]
                raise PluginError(f"plugin '{plugin}': route {method} '{rule.rule}' is already "
                                  f"served by '{seen[key] if plugin == owner else owner}'")
            seen.setdefault(key, owner)


def _register_api(app: Flask, registry: PluginRegistry, kernel: Kernel) -> None:
    from .api import errors as api_errors
    from .api.openapi import build
    from .api.registry import Api
    from .web import api_pages
    api = Api()
    for plugin in registry.implementers("register_api"):
        api.owner = plugin
        registry.call_one("register_api", plugin, api=api)
    api.owner = KERNEL
    blueprint = api.blueprint()
    app.extensions["csrf"].exempt(blueprint)
    app.register_blueprint(blueprint)
    kernel.services["api"] = api
    kernel.services["openapi"] = build(api, kernel.config.city)
    api_errors.install(app)
    app.register_blueprint(api_pages.bp)


def _request_lifecycle(app: Flask) -> None:
    @app.url_value_preprocessor
    def forget_previous_request(endpoint, values):
        # Per-request memos start empty.  (In production every request has its own app
        # context; under test frameworks that keep one app context open, they would leak.)
        # An app-level URL preprocessor runs before the blueprints' ones -- before
        # ``space_blueprint`` sets ``g.space`` -- whereas a before_request would run after and
        # wipe it.
        for key in ("_placette_cache", "_placette_translations", "_placette_date_names",
                    "_placette_template_common", "_login_user", "space", "_flask_babel"):
            g.pop(key, None)
        from flask_babel import refresh
        refresh()  # the language (and time zone) is chosen again for this request's visitor

    @app.before_request
    def open_connection():
        database.connect(reuse_if_open=True)

    keep_sqlite_open = not is_postgres()

    @app.teardown_request
    def close_connection(exc):
        # PostgreSQL: closing hands the connection back to the pool.  SQLite: each thread keeps
        # its connection -- opening one runs five pragmas and closing the last one checkpoints
        # the WAL, about 0.7 ms a request (a third of a small page, measured by the benchmark).
        if database.is_closed() or app.config.get("PLACETTE_KEEP_CONNECTION"):
            return
        if keep_sqlite_open and not app.config.get("PLACETTE_CLOSE_SQLITE"):
            if database.in_transaction():  # never carry a half-done transaction over
                database.rollback()
            return
        database.close()

    @app.after_request
    def security_headers(response):
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if "frame-ancestors" not in response.headers.get("Content-Security-Policy", ""):
            # A view that sets its own frame-ancestors (an embed for the city's website, with
            # an allowlist of origins) is framed by that rule alone: X-Frame-Options cannot
            # name other origins, and browsers would let it veto the allowlist.
            response.headers.setdefault("X-Frame-Options", "SAMEORIGIN")
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
            "frame-ancestors 'self'; form-action 'self'; base-uri 'self'")
        if request.path.startswith("/api/"):
            response.headers.setdefault("Cache-Control", "no-store")
        return response
