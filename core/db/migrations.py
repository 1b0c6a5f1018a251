"""Per-plugin schema migrations, each with its own history table.

Every plugin (and the kernel, under the name ``placette``) keeps numbered scripts in a
``migrations/`` folder next to its code, recorded in a table ``<plugin>_migrations``.  They run only
through ``placette migrate`` -- never on import or on a web request -- in an order that respects
``requires`` between plugins, so a plugin's tables may reference the kernel's and its
requirements'.  The app refuses to serve while any is pending (see :func:`pending`).

Writing a migration by hand is rarely needed: ``placette migrations make NAME`` diffs the plugin's
models against the database and writes a frozen script (peewee's ``schema_diff`` + ``template``).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from playhouse.migrations import Runner, template
from playhouse.schema_diff import diff_models

from . import database


@dataclass(frozen=True)
class MigrationSource:
    """Where one plugin's migration scripts live, and the name of its history table."""

    plugin: str
    directory: Path

    @property
    def table_name(self) -> str:
        return f"{self.plugin}_migrations"

    def runner(self) -> Runner:
        return Runner(database.obj, str(self.directory), table_name=self.table_name)


def pending(sources: list[MigrationSource]) -> list[tuple[str, str]]:
    """``(plugin, migration)`` pairs not yet applied, in the order they would run."""
    todo = []
    for source in sources:
        for migration in source.runner().status():
            if migration.applied is None and migration.path is not None:
                todo.append((source.plugin, migration.name))
    return todo


def migrate(sources: list[MigrationSource], log=print) -> list[tuple[str, str]]:
    """Apply every pending migration, source by source, and return what ran."""
    done = []
    for source in sources:
        for name in source.runner().up():
            log(f"  applied {source.plugin}:{name}")
            done.append((source.plugin, name))
    return done


def make(source: MigrationSource, models: list, name: str) -> Path | None:
    """Write the next migration script for ``models`` from a diff with the live database.

    Returns the new file, or ``None`` when the database already matches the models.
    """
    diff = diff_models(database.obj, models)
    if not diff:
        return None
    body = template(diff)
    source.directory.mkdir(parents=True, exist_ok=True)
    return Path(source.runner().create(name, body=body))
