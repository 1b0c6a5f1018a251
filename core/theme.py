"""Templates, static files and asset bundles: city theme over default theme over plugins.

Lookup order for a template: the city theme folder (``[theme] path`` in placette.toml, its
``templates/``), then ``themes/default/templates``, then each plugin's ``templates/`` (where a
plugin keeps its own under ``<plugin>/``).  So a city overrides any page -- kernel or plugin -- by
dropping a file of the same name in its theme.  Static files follow the same order under
``/static/``; plugin static files are served under ``/static/plugins/<plugin>/``.

CSS and JS are bundled with webassets (minified with rcssmin / rjsmin) into the instance's
``assets/`` folder: at deploy time with ``placette assets build``, or on first use when missing.
"""
from __future__ import annotations

import inspect
from pathlib import Path

from flask import abort, send_from_directory
from jinja2 import ChoiceLoader, FileSystemLoader
from webassets import Bundle, Environment

import placette_themes

DEFAULT_THEME = Path(placette_themes.__file__).parent / "default"
CORE_CSS = ["css/placette.css"]
CORE_JS = ["js/placette.js"]


def plugin_folder(module) -> Path:
    source = inspect.getsourcefile(module) if inspect.ismodule(module) else \
        inspect.getsourcefile(type(module))
    return Path(source).parent


def init(app, registry, config) -> Environment:
    city_theme = config.path(config.theme.path) if config.theme.path else None
    template_dirs, static_dirs = [], []
    if city_theme is not None:
        template_dirs.append(city_theme / "templates")
        static_dirs.append(city_theme / "static")
    template_dirs.append(DEFAULT_THEME / "templates")
    static_dirs.append(DEFAULT_THEME / "static")
    plugin_static: dict[str, Path] = {}
    for info in registry.plugins.values():
        folder = plugin_folder(info.module)
        if (folder / "templates").is_dir():
            template_dirs.append(folder / "templates")
        if (folder / "static").is_dir():
            plugin_static[info.name] = folder / "static"
    app.jinja_loader = ChoiceLoader([FileSystemLoader(str(d)) for d in template_dirs
                                     if d.is_dir()])

    static_dirs = [d for d in static_dirs if d.is_dir()]

    @app.route("/static/<path:filename>", endpoint="static")
    def static(filename):
        for folder in static_dirs:
            if (folder / filename).is_file():
                return send_from_directory(folder, filename, max_age=3600)
        abort(404)

    @app.route("/static/plugins/<plugin>/<path:filename>", endpoint="plugin_static")
    def plugin_static_file(plugin, filename):
        folder = plugin_static.get(plugin)
        if folder is None:
            abort(404)
        return send_from_directory(folder, filename, max_age=3600)

    env = _assets(config, registry, static_dirs, plugin_static)

    @app.route("/assets/<path:filename>", endpoint="assets")
    def assets_file(filename):
        return send_from_directory(env.directory, filename, max_age=31536000)

    return env


def _assets(config, registry, static_dirs, plugin_static) -> Environment:
    out = config.path("assets")
    out.mkdir(parents=True, exist_ok=True)
    env = Environment(directory=str(out), url="/assets", auto_build=True, cache=False,
                      manifest=False, url_expire=True)
    css_sources = _resolve(CORE_CSS, static_dirs)
    js_sources = _resolve(CORE_JS, static_dirs)
    for plugin, bundles in registry.call_each("register_assets"):
        folder = plugin_static.get(plugin)
        if folder is None:
            continue
        for bundle_name, paths in bundles.items():
            target = css_sources if bundle_name.endswith("css") or all(
                str(p).endswith(".css") for p in paths) else js_sources
            target.extend(str(folder / p) for p in paths)
    env.register("site_css", Bundle(*css_sources, filters="rcssmin", output="site.css"))
    env.register("site_js", Bundle(*js_sources, filters="rjsmin", output="site.js"))
    return env


def _resolve(names: list[str], static_dirs: list[Path]) -> list[str]:
    found = []
    for name in names:
        for folder in static_dirs:
            if (folder / name).is_file():
                found.append(str(folder / name))
                break
    return found


def build(env: Environment) -> list[str]:
    """Build every bundle now (deploy time); returns the written files."""
    written = []
    for name in ("site_css", "site_js"):
        bundle = env[name]
        bundle.build(force=True)
        written.extend(bundle.urls())
    return written
