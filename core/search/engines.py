"""The engine-specific full-text index, kept in step with the resource registry.

:func:`index_resource` is called by :func:`placette.resources.publish` inside the plugin's
transaction, so the index changes exactly when the resource does (and rolls back with it).
Withdrawal and space deletion need no call: the PostgreSQL rows cascade with the resource, and
on SQLite a trigger (see the kernel migration 0004) removes the FTS5 row.  Visibility, moderation
state and module switches are never copied into the index: the search query reads them from the
resource and its space at search time, so they apply at once.

The recent tier (SQLite).  FTS5's ``bm25()`` weighs each searched word by its rarity, and to
know it counts, on every search, the documents holding the word: for a common word of a city of
60,000 texts (in half of them) that is 1.1 ms, and it grows with the city.  Search ranks among the
newest matches anyway (:data:`placette.search.query.RANK_WINDOW`), so a second FTS5 table,
:data:`RECENT_TABLE`, holds the newest :data:`RECENT_DOCUMENTS` documents, and the search reads
it first: when the newest matches the person may see are all in it, its rarity counts cover
8,192 documents instead of the whole city.  Its one rule: it holds every document from its
lowest row id up (what it does not hold is older than what it does), so the newest matches found
in it are the newest of the whole index; a search that does not find enough in it reads the full
index as before.  Writes go to both tables; the oldest rows leave the recent one by batches of
:data:`RECENT_SLACK`, and the tier is then merged into one segment (FTS5's ``optimize``): what
left it is otherwise only marked deleted, and a tier built by batches and trimmed that way read
its counts nearly twice as slowly (1.9 instead of 1.0 ms).  A trim and its merge take about
60 ms, once every 1,024 documents indexed.
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
RECENT_TABLE = "placette_search_recent"  # the recent tier (SQLite; see the module docstring)
RECENT_DOCUMENTS = 8_192
RECENT_SLACK = 1_024  # rows past RECENT_DOCUMENTS before the oldest are dropped, in one statement
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


def _write(rows: Iterable[tuple[int, str, str]], slack: int | None = None) -> None:
    """Write ``(resource id, title, body)`` rows into the engine's index; on SQLite, into the
    recent tier too, trimmed past ``RECENT_DOCUMENTS + slack`` rows (:data:`RECENT_SLACK` by
    default; :func:`rebuild` trims by bigger batches)."""
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
    indexed = [(rid, index_text(title), index_text(body)) for rid, title, body in rows]
    cursor = database.cursor()
    lowest_recent = _lowest_recent(cursor)
    for table in (FTS_TABLE, RECENT_TABLE):
        cursor.executemany(f"DELETE FROM {table} WHERE rowid = ?", ids)
    cursor.executemany(f"INSERT INTO {FTS_TABLE} (rowid, title, body) VALUES (?, ?, ?)", indexed)
    # The recent tier holds every document from its lowest row id up: a newer one goes in, an
    # older one (an old text edited) stays out, since its neighbours left already.
    cursor.executemany(f"INSERT INTO {RECENT_TABLE} (rowid, title, body) VALUES (?, ?, ?)",
                       [row for row in indexed
                        if lowest_recent is None or row[0] >= lowest_recent])
    _trim_recent(cursor, RECENT_SLACK if slack is None else slack)


def _tier_edge(cursor, table: str, newest: bool) -> int | None:
    """The lowest (or highest) row id of an FTS5 table, ``None`` when it is empty."""
    row = cursor.execute(f"SELECT rowid FROM {table} ORDER BY rowid "
                         f"{'DESC' if newest else 'ASC'} LIMIT 1").fetchone()
    return row[0] if row else None


def _lowest_recent(cursor) -> int | None:
    """The row id from which a document goes into the recent tier: the tier's lowest.  When the
    tier is empty, one past the full index's newest (its rows all went with their resources:
    only newer documents may start it again), or ``None`` when the index is empty too
    (everything goes in)."""
    lowest = _tier_edge(cursor, RECENT_TABLE, newest=False)
    if lowest is not None:
        return lowest
    newest = _tier_edge(cursor, FTS_TABLE, newest=True)
    return None if newest is None else newest + 1


def _trim_recent(cursor, slack: int) -> None:
    """Drop the recent tier's oldest rows once its row ids span more than
    ``RECENT_DOCUMENTS + slack``: it keeps the newest :data:`RECENT_DOCUMENTS` ids (fewer
    documents where resources were deleted), a prefix leaves, so the tier's rule holds."""
    lowest = _tier_edge(cursor, RECENT_TABLE, newest=False)
    if lowest is None:
        return
    highest = _tier_edge(cursor, RECENT_TABLE, newest=True)
    if highest - lowest + 1 > RECENT_DOCUMENTS + slack:
        cursor.execute(f"DELETE FROM {RECENT_TABLE} WHERE rowid <= ?",
                       (highest - RECENT_DOCUMENTS,))
        cursor.execute(f"INSERT INTO {RECENT_TABLE} ({RECENT_TABLE}) VALUES ('optimize')")


def forget(resource_ids: list[int]) -> None:
    """Drop index rows explicitly (the cascade and the trigger normally do it)."""
    if not resource_ids:
        return
    tables, column = (((PG_TABLE,), "resource_id") if is_postgres()
                      else ((FTS_TABLE, RECENT_TABLE), "rowid"))
    marks = ", ".join(["%s" if is_postgres() else "?"] * len(resource_ids))
    for table in tables:
        database.execute_sql(f"DELETE FROM {table} WHERE {column} IN ({marks})",
                             list(resource_ids))


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
            # A rebuild may index a whole city into the recent tier (it admits every document
            # from its oldest up): trimmed by RECENT_DOCUMENTS at a time, a merge every 8,192
            # documents instead of every 1,024 (60,000 notes: 30 -> 24 s).
            _write(((resource.id, resource.title, f"{resource.summary}\n{bodies[resource.id]}")
                    for resource in chunk), slack=RECENT_DOCUMENTS)
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
