"""Emptying a database while keeping its schema: the test fixtures between tests, and the
benchmark harness before it generates a city in a server database.

A plain module (no pytest): ``benchmarks/run.py`` must run from a bare ``pip install``.
"""
from __future__ import annotations


def wipe_database() -> None:
    """Delete every row (keeping migration history), fast on both engines."""
    from . import database, is_postgres
    # The migration history and the page cache's change counter (a row a migration wrote)
    # are part of the schema, not data.
    tables = [t for t in database.get_tables()
              if not t.endswith("_migrations") and t != "placette_change_counter"]
    if not tables:
        return
    if is_postgres():
        quoted = ", ".join(f'"{t}"' for t in tables)
        database.execute_sql(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE")
        return
    # A virtual table (FTS5) is emptied through itself; its shadow tables (``<name>_data``...)
    # are its own storage, and deleting their rows directly corrupts it.
    virtual = [name for (name,) in database.execute_sql(
        "SELECT name FROM sqlite_master WHERE type = 'table' "
        "AND sql LIKE 'CREATE VIRTUAL TABLE%'").fetchall()]
    database.execute_sql("PRAGMA foreign_keys=OFF")
    try:
        with database.atomic():
            for table in tables:
                if table.startswith("sqlite_") or any(table.startswith(f"{name}_")
                                                      for name in virtual):
                    continue
                database.execute_sql(f'DELETE FROM "{table}"')
    finally:
        database.execute_sql("PRAGMA foreign_keys=ON")
