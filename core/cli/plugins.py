"""Plugins: ``plugins list``, ``plugins new``, ``plugins i18n``, ``plugins enable``,
``plugins disable``."""
from __future__ import annotations

import json
from pathlib import Path

import click

from ..errors import PlacetteError
from .context import instance_option, with_app

@click.group()
def plugins():
    """Installed, activated and per-space plugins."""


@plugins.command("list")
@click.option("--json", "as_json", is_flag=True)
@click.option("--space", "slug", default=None, help="Also show whether each is on in a space.")
@instance_option
def plugins_list(instance, as_json, slug):
    """Every installed plugin: version, activated here, requirements."""
    from ..config import load
    from ..plugin_manager import PluginRegistry, installed_plugins
    config = load(instance)
    installed = installed_plugins()
    registry = PluginRegistry([n for n in config.plugins if n in installed])
    enabled: set[str] | None = None
    if slug:
        from ..app import create_app
        from ..db import database
        from ..models import Space
        from ..modules import enabled_plugins
        app = create_app(instance)
        with app.app_context(), database.connection_context():
            space = Space.get_or_none(Space.slug == slug)
            if space is None:
                raise PlacetteError(f"no space with slug {slug!r}")
            enabled = enabled_plugins(space)
    rows = []
    for name, entry_point in sorted(installed.items()):
        info = registry.plugins.get(name)
        dist = getattr(entry_point, "dist", None)
        row = {"name": name, "version": dist.version if dist else None,
               "distribution": dist.name if dist else None,
               "activated": name in config.plugins,
               "title": str(info.manifest.title) if info else None,
               "requires": list(info.manifest.requires) if info else [],
               "default_enabled": info.manifest.default_enabled if info else None}
        if enabled is not None:
            row["enabled"] = name in enabled
        rows.append(row)
    missing = [n for n in config.plugins if n not in installed]
    if as_json:
        click.echo(json.dumps({"plugins": rows, "missing": missing}, indent=2))
        return
    for row in rows:
        state = "activated" if row["activated"] else "installed"
        extra = f"  requires {', '.join(row['requires'])}" if row["requires"] else ""
        on = "" if enabled is None else ("  [on]" if row["enabled"] else "  [off]")
        click.echo(f"{row['name']:16} {row['version'] or '?':10} {state:10}{on}{extra}")
    for name in missing:
        click.echo(f"{name:16} {'-':10} MISSING (activated in placette.toml, not installed)")


@plugins.command("new")
@click.argument("name")
@click.option("--dir", "directory", default=".", show_default=True,
              type=click.Path(file_okay=False, path_type=Path),
              help="Folder in which to create placette-NAME/.")
@click.option("--title", default=None, help="Human title (default: NAME, capitalised).")
def plugins_new(name, directory, title):
    """Write a ready-to-install plugin package placette-NAME (see docs/plugins.md)."""
    from ..scaffold import write_plugin
    target = write_plugin(name, directory, title)
    click.echo(f"Created {target}")
    click.echo(f"Next: pip install -e {target}  (then pytest {target / 'tests'}), add \"{name}\" "
               f"to plugins = [...] in placette.toml, placette migrate, and switch it on in a "
               f"space with placette plugins enable {name} --space SLUG")


@plugins.command("i18n")
@click.option("--dir", "directory", default=".", show_default=True,
              type=click.Path(file_okay=False, exists=True, path_type=Path),
              help="The plugin's folder (holding babel.cfg and placette_NAME/), or a bundled "
                   "plugin's (plugins/NAME/, holding babel.cfg).")
@click.option("--language", "languages", multiple=True, default=("fr", "en"), show_default=True,
              help="Catalogues to keep (repeatable); a new one is created.")
def plugins_i18n(directory, languages):
    """Extract a plugin's strings, create or update its catalogues, compile them.

    The pybabel extract / init / update / compile cycle of docs/plugins.md §12 in one command:
    run it after adding a string, translate the new msgids in the .po files, run it again.
    """
    from ..plugin_i18n import catalogue_problems, compile_catalogues, update_catalogues
    translations = update_catalogues(directory, languages, log=click.echo)
    compile_catalogues(directory, log=click.echo)
    for problem in catalogue_problems(translations, languages):
        click.echo(f"to do: {problem}")


def _switch(app, name, slug, enabled, settings=None, cascade=False):
    from ..models import Space
    from ..modules import ModuleError, set_module
    space = Space.get_or_none(Space.slug == slug)
    if space is None:
        raise PlacetteError(f"no space with slug {slug!r}")
    try:
        changes = set_module(space, name, enabled, settings, cascade=cascade)
    except ModuleError as exc:
        raise PlacetteError(exc.message) from None
    for key in ("enabled", "disabled", "configured"):
        if changes[key]:
            click.echo(f"{key} in {slug}: {', '.join(changes[key])}")
    if not any(changes.values()):
        click.echo(f"{name} already {'on' if enabled else 'off'} in {slug}")


@plugins.command("enable")
@click.argument("name")
@click.option("--space", "slug", required=True)
@click.option("--settings", default=None, help="Settings as a JSON object.")
@with_app()
def plugins_enable(app, name, slug, settings):
    """Switch plugin NAME on in a space (its requirements too)."""
    parsed = None
    if settings:
        try:
            parsed = json.loads(settings)
        except json.JSONDecodeError as exc:
            raise PlacetteError(f"--settings is not valid JSON: {exc}") from None
        if not isinstance(parsed, dict):
            raise PlacetteError("--settings must be a JSON object")
    _switch(app, name, slug, True, parsed)


@plugins.command("disable")
@click.argument("name")
@click.option("--space", "slug", required=True)
@click.option("--cascade", is_flag=True, help="Also disable plugins that require it.")
@with_app()
def plugins_disable(app, name, slug, cascade):
    """Switch plugin NAME off in a space (data is kept)."""
    _switch(app, name, slug, False, cascade=cascade)


COMMANDS = [plugins]
