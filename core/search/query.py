"""Run a search through the permission gate, in SQL, one page at a time.

Every condition on who may see what is part of the SQL statement -- read rights
(:func:`placette.visibility_clause`), moderation (:func:`placette.moderation_clause`) and the
plugin's module being on in the space -- so counts, pages and facets never include, then drop,
something the person may not see.  A page costs a fixed number of queries: one statement counts the
matches per space (the total and the space facets) and picks the page's ids, then the page's
resources with their space, then the start of their text.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup
from peewee import JOIN, SQL, Expression, Field, IntegerField, Model, fn

from ..db import database, is_postgres
from ..kernel import registry
from ..models import Module, Resource, SearchDocument, Space
from ..moderation.visibility import moderation_clause
from ..permissions import visibility_clause
from ..plugin_manager import KERNEL
from ..query_memo import prepared, viewer_key
from . import snippets
from .engines import FTS_TABLE, PG_CONFIG, PG_TABLE
from .text import ParsedQuery, fts5_query, parse

PER_PAGE = 20
MAX_PAGE = 500
FACETS = 15


class _FtsRow(Model):
    """The SQLite FTS5 table, for building queries (created by the migration, never by peewee).

    ``hidden`` is FTS5's hidden column named after the table: ``MATCH`` and ``bm25()`` take it,
    which keeps working when peewee aliases the table."""

    rowid = IntegerField(primary_key=True)
    hidden = Field(column_name=FTS_TABLE)

    class Meta:
        database = database
        table_name = FTS_TABLE


class _VectorRow(Model):
    """The PostgreSQL ``tsvector`` table (created by the migration)."""

    resource_id = IntegerField(primary_key=True)
    vector = Field()

    class Meta:
        database = database
        table_name = PG_TABLE


@dataclass
class Hit:
    resource: Resource
    space: Space
    kind_label: str
    title: Markup
    snippet: Markup


@dataclass
class Results:
    query: ParsedQuery
    page: int = 1
    per_page: int = PER_PAGE
    total: int = 0
    hits: list[Hit] = field(default_factory=list)
    facets: list[tuple[Space, int]] = field(default_factory=list)

    @property
    def pages(self) -> int:
        return max(1, (self.total + self.per_page - 1) // self.per_page)


def _matches(term: str):
    """CTE ``(rid, score)`` of the resources matching ``term`` (the engine's query: FTS5 syntax
    on SQLite, web-search text on PostgreSQL); ``score``: higher is better.

    Materialised: the full-text engine runs once, then the gate filters its rows.  (Inlined,
    SQLite may drive the join from the resource table and re-run MATCH for each row.)
    """
    if is_postgres():
        tsquery = fn.websearch_to_tsquery(SQL(f"'{PG_CONFIG}'::regconfig"), term)
        query = (_VectorRow.select(_VectorRow.resource_id.alias("rid"),
                                   fn.ts_rank_cd(_VectorRow.vector, tsquery).alias("score"))
                 .where(Expression(_VectorRow.vector, "@@", tsquery)))
    else:
        query = (_FtsRow.select(_FtsRow.rowid.alias("rid"),
                                (0 - fn.bm25(_FtsRow.hidden, 10.0, 1.0)).alias("score"))
                 .where(Expression(_FtsRow.hidden, "MATCH", term)))
    return query.cte("search_scored", materialized=True)


def gate(actor: Any):
    """The SQL condition of "this person may see this resource" over Resource/Space/Module."""
    active = [KERNEL, *registry().names]
    module_on = (Resource.plugin == KERNEL) | (Module.enabled == True)  # noqa: E712
    return (visibility_clause(actor, Resource.space, Space.visibility, Resource.visibility,
                              archived=Space.archived_at)
            & moderation_clause(actor) & Resource.plugin.in_(active) & module_on)


def _base(actor: Any, matches, space_id: int | None):
    query = (Resource.select().with_cte(matches)
             .join(matches, on=(matches.c.rid == Resource.id))
             .switch(Resource).join(Space)
             .switch(Resource).join(Module, JOIN.LEFT_OUTER,
                                    on=((Module.space == Resource.space)
                                        & (Module.plugin == Resource.plugin)))
             .where(gate(actor)))
    if space_id is not None:
        query = query.where(Resource.space == space_id)
    return query


def _counts_and_page(actor: Any, parsed: ParsedQuery, space: Space | None, page: int,
                     per_page: int) -> tuple[list[tuple[int, str, str, int]], list[int]]:
    """In one statement: the matches counted per space, and the ids of the page's hits.

    The full-text engine and the permission gate run once, into a materialised CTE of what the
    person may see (id, space, score, date); the facets group it, the page sorts it.  Two
    statements -- counts, then the ranked page -- ran the engine and the gate twice: two thirds
    of a search's time for a common word.
    """
    def build(_viewer, space_id, term):
        matches = _matches(term)
        return (_base(actor, matches, space_id)
                .select(Resource.id.alias("rid"), Resource.space.alias("sid"),
                        matches.c.score.alias("score"), Resource.updated_at.alias("at")))

    # The gate's SQL is written once per viewer and space (placette.prepared); the words
    # searched are a parameter.
    gated = prepared("search.gated", build, viewer_key(actor, moderation=True),
                     None if space is None else space.id,
                     term=parsed.text if is_postgres() else fts5_query(parsed))
    gated_sql, params = gated.sql, gated.params
    spaces = Space._meta.table_name
    sql = (f'WITH "search_gated" AS MATERIALIZED ({gated_sql}) '
           f'SELECT 0, "f"."sid", "f"."n", "s"."slug", "s"."name" FROM '
           f'(SELECT "sid", COUNT(*) AS "n" FROM "search_gated" GROUP BY "sid") AS "f" '
           f'JOIN "{spaces}" AS "s" ON "s"."id" = "f"."sid" '
           f'UNION ALL '
           f'SELECT 1, "p"."rid", 0, NULL, NULL FROM (SELECT "rid" FROM "search_gated" '
           f'ORDER BY "score" DESC, "at" DESC, "rid" DESC '
           f'LIMIT {int(per_page)} OFFSET {int((page - 1) * per_page)}) AS "p"')
    per_space, ids = [], []
    for part, ref, n, slug, name in database.execute_sql(sql, params).fetchall():
        if part == 0:
            per_space.append((ref, slug, name, n))
        else:
            ids.append(ref)
    return per_space, ids


def _body_starts(resource_ids: list[int]) -> dict[int, str]:
    """The start of each listed resource's text, for its snippet -- read for the page's rows
    only.  Selected with the ranking, it was read for every match before the sort: thousands
    of documents' extracted text (up to 200,000 characters each) for a common word."""
    if not resource_ids:
        return {}
    return dict(SearchDocument.select(SearchDocument.resource,
                                      fn.SUBSTR(SearchDocument.body, 1, snippets.SOURCE_CHARS))
                .where(SearchDocument.resource.in_(resource_ids)).tuples())


def search(actor: Any, text: str, space: Space | None = None, page: int = 1,
           per_page: int = PER_PAGE, with_facets: bool = True) -> Results:
    """One page of what ``actor`` may see matching ``text`` (never raises on what people type)."""
    parsed = parse(text)
    page = min(max(1, page), MAX_PAGE)
    results = Results(parsed, page, per_page)
    if parsed.is_empty:
        return results
    per_space, ids = _counts_and_page(actor, parsed, space, page, per_page)
    results.total = sum(n for *_rest, n in per_space)
    if with_facets and space is None:
        per_space.sort(key=lambda row: (-row[3], row[2]))
        results.facets = [(Space(id=sid, slug=slug, name=name), n)
                          for sid, slug, name, n in per_space[:FACETS]]
    if ids:
        found = {row.id: row for row in Resource.select(Resource, Space).join(Space)
                 .where(Resource.id.in_(ids))}
        rows = [found[rid] for rid in ids if rid in found]
        bodies = _body_starts([row.id for row in rows])
        kinds = registry().resource_kinds
        marks = parsed.highlight
        for row in rows:
            kind = kinds.get(f"{row.plugin}.{row.kind}")
            source = "\n".join(t for t in (row.summary, bodies.get(row.id, "")) if t)
            results.hits.append(Hit(row, row.space, str(kind.label) if kind else row.kind,
                                    snippets.highlight(row.title, marks),
                                    snippets.snippet(source, marks)))
    return results
