"""Copy a whole instance database into another engine: the way from SQLite to PostgreSQL.

``placette db copy --to postgresql://...`` migrates the target (kernel first, then plugins), checks
that it holds no row, then copies every kernel and plugin table in foreign-key order, row values
converted by the models' own fields (SQLite's text dates and 0/1 booleans become PostgreSQL
timestamps and booleans), all in one transaction on the target: a failure leaves it empty.
PostgreSQL id sequences are then moved past the copied ids, so new rows do not collide.

Only tables the models describe are copied.  What an engine builds for itself (SQLite full-text
indexes, migration histories) is rebuilt on the target by its own migrations -- or, for the search
index, by ``after_copy`` (the command passes the search rebuild), inside the same transaction: a
copied site answers its searches at once, and a failed rebuild leaves the target empty too.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterable

import peewee

from ..errors import PlacetteError
from . import database, open_database

CHUNK_ROWS = 1000


class CopyError(PlacetteError):
    """The copy cannot start (target not empty, unreachable...) or failed and was rolled back."""


@dataclass
class CopyReport:
    tables: list[tuple[str, int]] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return sum(n for _t, n in self.tables)


def dependency_order(models: Iterable) -> list:
    """Models with every table after the tables its foreign keys point to."""
    unique = list(dict.fromkeys(models))
    return peewee.sort_models(unique)


def _is_copyable(model) -> bool:
    """Virtual tables (SQLite FTS) are indexes the target engine rebuilds its own way."""
    return not getattr(model._meta, "extension_module", None)


def _reset_sequences(target, models) -> None:
    if not isinstance(target, peewee.PostgresqlDatabase):
        return
    for model in models:
        pk = model._meta.primary_key
        if not isinstance(pk, peewee.AutoField):
            continue
        table, column = model._meta.table_name, pk.column_name
        target.execute_sql(
            f"SELECT setval(pg_get_serial_sequence('\"{table}\"', '{column}'), "
            f"COALESCE((SELECT MAX(\"{column}\") FROM \"{table}\"), 0) + 1, false)")


def copy_database(models: Iterable, target_url: str, migrate_target: Callable[[object], None],
                  log: Callable[[str], None] = print,
                  after_copy: Callable[[object], None] | None = None) -> CopyReport:
    """Copy the rows of ``models`` from the bound database into the one at ``target_url``.

    ``migrate_target(db)`` brings the target's schema up to date (it runs with the proxy bound to
    the target).  ``after_copy(db)`` builds what the copied rows imply but no model holds (the
    engine's full-text index), proxy bound to the target, in the copy's transaction.  Must run
    inside the source app's context with a connection open.
    """
    source = database.obj
    try:
        target = open_database(target_url)
        target.connect()
    except Exception as exc:
        raise CopyError(f"cannot open the target database: {str(exc).strip().splitlines()[0]}") \
            from None
    report = CopyReport()
    ordered = dependency_order(models)
    try:
        database.initialize(target)
        try:
            migrate_target(target)
        finally:
            database.initialize(source)
        existing = set(target.get_tables())
        copyable = []
        for model in ordered:
            table = model._meta.table_name
            if not _is_copyable(model):
                report.skipped.append((table, "virtual table, rebuilt by its plugin"))
            elif table not in existing:
                report.skipped.append((table, "not in the target after migrating"))
            else:
                copyable.append(model)
        for model in copyable:
            with model.bind_ctx(target, bind_refs=False, bind_backrefs=False):
                if model.select().limit(1).exists():
                    raise CopyError(f"the target is not empty (table {model._meta.table_name} "
                                    f"has rows): copy only into a freshly created database")
        with source.atomic(), target.atomic():  # a consistent read, an all-or-nothing write
            for model in copyable:
                count = _copy_table(model, source, target)
                report.tables.append((model._meta.table_name, count))
                log(f"  {model._meta.table_name:40} {count:>9,} rows")
            _reset_sequences(target, copyable)
            for model in copyable:  # the target must hold exactly what the source holds
                with model.bind_ctx(target, bind_refs=False, bind_backrefs=False):
                    copied = model.select().count()
                if copied != dict(report.tables)[model._meta.table_name]:
                    raise CopyError(f"{model._meta.table_name}: {copied} rows in the target "
                                    f"after copying, expected {dict(report.tables)[model._meta.table_name]}")
            if after_copy is not None:
                database.initialize(target)
                try:
                    after_copy(target)
                finally:
                    database.initialize(source)
    except CopyError:
        raise
    except peewee.PeeweeException as exc:
        raise CopyError(f"copy failed and was rolled back: {exc}") from None
    finally:
        database.initialize(source)
        if not target.is_closed():
            target.close()
    return report


def _copy_table(model, source, target) -> int:
    fields = list(model._meta.sorted_fields)
    pk = model._meta.primary_key
    order = [pk] if pk is not None and not isinstance(pk, peewee.CompositeKey) else fields[:1]
    with model.bind_ctx(source, bind_refs=False, bind_backrefs=False):
        rows = model.select(*fields).order_by(*order).tuples().iterator()
        batch, count = [], 0
        width = max(len(fields), 1)
        size = max(1, min(CHUNK_ROWS, 30000 // width))
        for row in rows:
            batch.append(row)
            if len(batch) >= size:
                _insert(model, fields, batch, target)
                count += len(batch)
                batch = []
        if batch:
            _insert(model, fields, batch, target)
            count += len(batch)
    return count


def _insert(model, fields, batch, target) -> None:
    with model.bind_ctx(target, bind_refs=False, bind_backrefs=False):
        model.insert_many(batch, fields=fields).execute()
