"""The database schema: ``migrate``, ``migrations status``, ``migrations make``."""
from __future__ import annotations

from pathlib import Path

import click

from ..errors import PlacetteError
from .context import with_app

@click.command()
@with_app(check_migrations=False)
def migrate(app):
    """Apply pending database migrations (kernel first, then plugins by requirement)."""
    from ..app import migration_sources
    from ..db.migrations import migrate as run_migrations
    from ..kernel import registry
    done = run_migrations(migration_sources(registry()), log=click.echo, repair=True)
    click.echo(f"{len(done)} migration(s) applied." if done else "Database is up to date.")


@click.group()
def migrations():
    """Inspect and write migrations."""


@migrations.command("status")
@with_app(check_migrations=False)
def migrations_status(app):
    """List every migration, applied or pending."""
    from ..app import migration_sources
    from ..kernel import registry
    for source in migration_sources(registry()):
        for item in source.runner().status():
            state = item.applied.isoformat(timespec="seconds") if item.applied else "PENDING"
            click.echo(f"{source.plugin:16} {item.name:40} {state}")


@migrations.command("make")
@click.argument("plugin")
@click.option("--name", default="auto", help="Short description for the file name.")
@with_app(check_migrations=False)
def migrations_make(app, plugin, name):
    """Write the next migration of PLUGIN from the difference between its models and the DB."""
    from ..app import CORE_MIGRATIONS
    from ..db.migrations import MigrationSource, make
    from ..kernel import registry
    from ..models import CORE_MODELS
    if plugin == "placette":
        source, models = MigrationSource("placette", CORE_MIGRATIONS), CORE_MODELS
    else:
        info = registry().plugins.get(plugin)
        if info is None:
            raise PlacetteError(f"no activated plugin named {plugin!r}")
        folder = info.migrations_dir or Path(
            __import__("placette.theme", fromlist=["x"]).plugin_folder(info.module)) / "migrations"
        source, models = MigrationSource(plugin, folder), info.models
    path = make(source, models, name)
    click.echo(f"Wrote {path}" if path else "No changes: the database matches the models.")


COMMANDS = [migrate, migrations]
