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


def migrate(sources: list[MigrationSource], log=print,
            repair: bool | None = None) -> list[tuple[str, str]]:
    """Apply every pending migration, source by source, and return what ran; then create the
    plain indexes the models declare and the database lacks (:func:`repair_indexes`) -- when
    something was applied (an upgrade), or always with ``repair=True`` (``placette migrate``).
    Comparing every table with its models costs a few queries per table, so it is not done on
    every start of an up-to-date database."""
    done = []
    for source in sources:
        for name in source.runner().up():
            log(f"  applied {source.plugin}:{name}")
            done.append((source.plugin, name))
    if repair or (repair is None and done):
        repair_indexes(_models_of(sources), log)
    return done


def _models_of(sources: list[MigrationSource]) -> list:
    from ..kernel import registry
    from ..models import CORE_MODELS
    plugins = registry().plugins
    models = []
    for source in sources:
        if source.plugin == "placette":
            models += CORE_MODELS
        elif source.plugin in plugins:
            models += plugins[source.plugin].models
    return models


def repair_indexes(models: list, log=print) -> list[str]:
    """Create the declared plain indexes a database lacks, named after their table.

    Until placette 0.1's index-name fix, migrations named indexes after the model *class*, and
    index names are global to a database: when two plugins (or a plugin and the kernel) had a
    class of the same name -- the kernel's and the agenda's ``FeedToken`` -- the second index was
    skipped in silence.  Databases created then lack those indexes; this puts them back, once,
    at the next ``placette migrate``.  Named (partial, expression) indexes belong to the
    plugins' own migrations and are left alone.  An index that cannot be built (a unique one
    over duplicate rows) is reported, never fatal."""
    from playhouse.migrate import SchemaMigrator
    from playhouse.migrate import migrate as run_operations
    missing = [index for index in diff_models(database.obj, models).add_indexes
               if index.name is None]
    if not missing:
        return []
    migrator = SchemaMigrator.from_database(database.obj)
    made = []
    for index in missing:
        label = f"{index.table}({', '.join(index.columns)})"
        try:
            with database.atomic():
                run_operations(migrator.add_index(index.table, list(index.columns),
                                                  index.unique))
        except Exception as exc:  # noqa: BLE001 -- reported, the rest goes on
            log(f"  could not create the index {label}: {exc}")
            continue
        log(f"  created the missing index {label}")
        made.append(label)
    return made


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
