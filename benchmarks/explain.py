"""The plan of every query a page runs, on PostgreSQL: no sequential scan of a big table.

``run.py --explain`` requests each page once more while recording its SQL statements, then asks
PostgreSQL for each statement's plan (``EXPLAIN (FORMAT JSON)``, not ``ANALYZE``: nothing runs
twice) and lists the sequential scans of tables holding more than ``BIG_TABLE_ROWS`` rows (from
the planner's statistics).  A page whose hot query reads a whole big table is what makes it
slow at a million members while it was fast at a thousand.
"""
from __future__ import annotations

import json

BIG_TABLE_ROWS = 10_000


class Recorder:
    """Wraps the database's ``execute_sql`` to keep (sql, params) of the statements run."""

    def __init__(self, db):
        self.db, self.statements, self.active = db, [], False
        original = db.execute_sql

        def execute_sql(sql, params=None, *args, **kwargs):
            if self.active:
                self.statements.append((sql, params))
            return original(sql, params, *args, **kwargs)
        db.execute_sql = execute_sql


def _scans(node: dict, found: list) -> None:
    if node.get("Node Type") == "Seq Scan":
        found.append(node.get("Relation Name"))
    for child in node.get("Plans", []) or []:
        _scans(child, found)


def table_rows(db) -> dict[str, int]:
    cursor = db.execute_sql("SELECT relname, reltuples::bigint FROM pg_class "
                            "WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace")
    return {name: rows for name, rows in cursor.fetchall()}


def explain_page(db, statements, rows: dict[str, int]) -> dict:
    """Plans of one page's statements: how many, and the big tables read whole."""
    big_scans, explained = [], 0
    for sql, params in statements:
        head = sql.lstrip().split(None, 1)[0].upper()
        if head not in ("SELECT", "WITH"):
            continue  # writes (the session's last-seen stamp...) are not the page's reading
        cursor = db.execute_sql("EXPLAIN (FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0]
        plan = json.loads(plan) if isinstance(plan, str) else plan
        found: list = []
        _scans(plan[0]["Plan"], found)
        explained += 1
        for table in found:
            if rows.get(table, 0) > BIG_TABLE_ROWS:
                big_scans.append({"table": table, "rows": rows[table], "sql": sql[:300]})
    return {"statements_explained": explained, "big_seq_scans": big_scans}
