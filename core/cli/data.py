"""The instance's data as a whole: ``db copy`` to another engine, ``backup``, ``restore``."""
from __future__ import annotations

from pathlib import Path

import click

from .context import instance_option, with_app

@click.group("db")
def db_group():
    """The database: move it to another engine."""


@db_group.command("copy")
@click.option("--to", "target_url", required=True, metavar="URL",
              help="The target database, e.g. postgresql://placette@db/placette (empty).")
@with_app()
def db_copy(app, target_url):
    """Copy every kernel and plugin table into an empty database (SQLite -> PostgreSQL).

    The target is migrated first, must hold no row, and is written in one transaction, search
    index included.  Afterwards point database_url (or PLACETTE_DATABASE_URL) at it.
    """
    from ..app import migration_sources
    from ..db.copy import copy_database
    from ..db.migrations import migrate as run_migrations
    from ..kernel import registry
    from ..models import CORE_MODELS
    from ..search.engines import rebuild
    reg = registry()
    indexed = []

    def build_search_index(_db):
        # The engine's full-text index is no model (an FTS5 table, a tsvector table): built
        # from the copied documents' stored text, without asking the plugins again.
        click.echo("Building the search index...")
        indexed.append(rebuild(hooks=False))

    target = target_url.split("@")[-1]
    click.echo(f"Copying into {target} (migrating it first)...")
    report = copy_database(
        CORE_MODELS + reg.all_models(), target_url,
        migrate_target=lambda _db: run_migrations(migration_sources(reg), log=lambda _m: None),
        log=click.echo, after_copy=build_search_index)
    for table, why in report.skipped:
        click.echo(f"  skipped {table}: {why}")
    click.echo(f"Copied {report.rows:,} rows in {len(report.tables)} tables; search index "
               f"built for {indexed[0] if indexed else 0:,} resources. Next: set "
               f"database_url = \"{target_url.split('://')[0]}://...\" in placette.toml (or "
               f"PLACETTE_DATABASE_URL) and restart the web and worker processes.")


@click.command("backup")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Archive to write (default: INSTANCE/backups/placette-DATE.tar.gz).")
@instance_option
def backup_command(instance, output):
    """Back up the instance (SQLite database, uploads, configuration) into a .tar.gz."""
    from ..backup import backup
    result = backup(instance, output)
    click.echo(f"Wrote {result.path} ({result.database_bytes:,} bytes of database, "
               f"{result.uploads} uploaded files). It holds the secret key: keep it safe.")


@click.command("restore")
@click.argument("archive", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True,
              help="Replace an existing database and uploads (the database is kept aside).")
@instance_option
def restore_command(archive, force, instance):
    """Restore a backup made by `placette backup` into the instance folder."""
    from ..backup import restore
    restore(archive, instance, force=force, log=click.echo)
    click.echo("Next: placette migrate (if this version is newer than the backup), then start "
               "the web and worker processes.")


COMMANDS = [db_group, backup_command, restore_command]
