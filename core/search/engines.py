"""The engine-specific full-text index, kept in step with the resource registry.

:func:`index_resource` is called by :func:`placette.resources.publish` inside the plugin's
transaction, so the index changes exactly when the resource does (and rolls back with it).
Withdrawal and space deletion need no call: the PostgreSQL rows cascade with the resource, and
on SQLite a trigger (see the kernel migration 0004) removes the FTS5 row.  Visibility, moderation
state and module switches are never copied into the index: the search query reads them from the
resource and its space at search time, so they apply at once.
"""
from __future__ import annotations

import logging
from typing import Iterable

from ..db import database, is_postgres, utcnow
from ..kernel import registry
from ..models import Resource, SearchDocument
from .text import clean, index_text

log = logging.getLogger("placette.search")

MAX_BODY_CHARS = 200_000  # per resource: enough for a long PDF, safe for a tsvector
PG_CONFIG = "placette_french"
FTS_TABLE = "placette_search_fts"
PG_TABLE = "placette_search_vector"


def extra_text(resource: Resource) -> str:
    """What the owning plugin's ``search_documents(resource)`` adds (a PDF's text...).

    Only the plugin that published the resource is asked: a plugin never feeds another's items.
    A failing hook is logged and skipped (the title and summary are still indexed).
    """
    parts = registry().collect("search_documents", only={resource.plugin}, resource=resource)
    return clean("\n".join(str(p) for p in parts if p))[:MAX_BODY_CHARS]


def index_resource(resource: Resource) -> None:
    """(Re)index one resource: its title, summary and the plugin's extra text."""
    body = extra_text(resource)
    SearchDocument.insert(resource=resource.id, body=body, indexed_at=utcnow()).on_conflict(
        conflict_target=[SearchDocument.resource],
        update={SearchDocument.body: body, SearchDocument.indexed_at: utcnow()}).execute()
    _write([(resource.id, resource.title, f"{resource.summary}\n{body}")])


def _write(rows: Iterable[tuple[int, str, str]]) -> None:
    rows = list(rows)
    if not rows:
        return
    if is_postgres():
        sql = (f"INSERT INTO {PG_TABLE} (resource_id, vector) VALUES (%s, "
               f"setweight(to_tsvector('{PG_CONFIG}', %s), 'A') || "
               f"setweight(to_tsvector('{PG_CONFIG}', %s), 'B')) "
               f"ON CONFLICT (resource_id) DO UPDATE SET vector = EXCLUDED.vector")
        cursor = database.cursor()
        cursor.executemany(sql, [(rid, clean(title), clean(body)) for rid, title, body in rows])
        return
    ids = [(rid,) for rid, _t, _b in rows]
    cursor = database.cursor()
    cursor.executemany(f"DELETE FROM {FTS_TABLE} WHERE rowid = ?", ids)
    cursor.executemany(f"INSERT INTO {FTS_TABLE} (rowid, title, body) VALUES (?, ?, ?)",
                       [(rid, index_text(title), index_text(body)) for rid, title, body in rows])


def forget(resource_ids: list[int]) -> None:
    """Drop index rows explicitly (the cascade and the trigger normally do it)."""
    if not resource_ids:
        return
    table, column = (PG_TABLE, "resource_id") if is_postgres() else (FTS_TABLE, "rowid")
    marks = ", ".join(["%s" if is_postgres() else "?"] * len(resource_ids))
    database.execute_sql(f"DELETE FROM {table} WHERE {column} IN ({marks})", list(resource_ids))


def rebuild(batch: int = 500, hooks: bool = True, log_progress=None) -> int:
    """Index every resource again (after a restore, an engine move, a bulk import).

    ``hooks=False`` keeps the stored extra text instead of asking the plugins again (fast: used
    for bulk loads and benchmarks).  Returns the number of resources indexed.
    """
    if not hooks:
        _add_missing_documents()
        if is_postgres():
            with database.atomic():
                database.execute_sql(
                    f"INSERT INTO {PG_TABLE} (resource_id, vector) "
                    f"SELECT r.id, setweight(to_tsvector('{PG_CONFIG}', r.title), 'A') || "
                    f"setweight(to_tsvector('{PG_CONFIG}', r.summary || ' ' || d.body), 'B') "
                    f"FROM placette_resource r JOIN placette_search_document d "
                    f"ON d.resource_id = r.id "
                    f"ON CONFLICT (resource_id) DO UPDATE SET vector = EXCLUDED.vector")
            _analyze()
            return Resource.select().count()
    done = 0
    last_id = 0
    while True:
        # Read the batch and ask the plugins for their text (a PDF's, slow) outside any
        # transaction; then write it in one short transaction: on SQLite the write lock is held
        # only while the rows go in, and the site's own writes pass between batches.
        query = (Resource.select(Resource, SearchDocument.body)
                 .join(SearchDocument, on=(SearchDocument.resource == Resource.id))
                 if not hooks else Resource.select())
        chunk = list(query.where(Resource.id > last_id).order_by(Resource.id).limit(batch)
                     .objects())
        if not chunk:
            break
        bodies = {resource.id: extra_text(resource) if hooks else resource.body
                  for resource in chunk}
        with database.atomic():
            if hooks:
                for resource in chunk:
                    body = bodies[resource.id]
                    SearchDocument.insert(resource=resource.id, body=body).on_conflict(
                        conflict_target=[SearchDocument.resource],
                        update={SearchDocument.body: body}).execute()
            _write((resource.id, resource.title, f"{resource.summary}\n{bodies[resource.id]}")
                   for resource in chunk)
        done += len(chunk)
        last_id = chunk[-1].id
        if log_progress:
            log_progress(done)
    _analyze()
    return done


def _analyze() -> None:
    """Refresh the planner's statistics after a bulk (re)index: without them PostgreSQL may
    nest-loop over the full-text matches and take minutes instead of milliseconds."""
    if is_postgres():
        database.execute_sql(f"ANALYZE placette_resource, placette_search_document, {PG_TABLE}")
    else:
        database.execute_sql("ANALYZE")


def _add_missing_documents() -> None:
    """Give every resource its (empty) document row, in one statement."""
    database.execute_sql(
        "INSERT INTO placette_search_document (resource_id, body, indexed_at) "
        "SELECT r.id, '', r.updated_at FROM placette_resource r "
        "WHERE NOT EXISTS (SELECT 1 FROM placette_search_document d "
        "WHERE d.resource_id = r.id)")
