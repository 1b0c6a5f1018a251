"""Run a search through the permission gate, in SQL, one page at a time.

Every condition on who may see what is part of the SQL statement -- read rights
(:func:`placette.visibility_clause`), moderation (:func:`placette.moderation_clause`) and the
plugin's module being on in the space -- so counts, pages and facets never include, then drop,
something the person may not see.  A page costs one statement: it counts the matches (the
total), names the spaces holding the most (the facets) and reads the page's resources, ranked,
with their space and the start of their text.  On SQLite it reads the index's recent tier
(:mod:`.engines`); a second statement reads the full index when the tier does not hold the
window's matches.

Relevance is ranked among the newest :data:`RANK_WINDOW` matches the person may see, so a
common word costs what a rare one does; with more, the total is a lower bound
(``Results.capped``) and the page invites the person to narrow the search.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup
from peewee import SQL, Expression, Field, IntegerField, Model, fn

from ..db import database, is_postgres
from ..kernel import registry
from ..models import Module, Resource, SearchDocument, Space
from ..moderation.visibility import moderation_clause
from ..permissions import visibility_clause
from ..plugin_manager import KERNEL
from ..query_memo import prepared, viewer_key
from . import snippets
from .engines import FTS_TABLE, PG_CONFIG, PG_TABLE, RECENT_TABLE
from .text import ParsedQuery, fts5_query, parse

PER_PAGE = 20
MAX_PAGE = 500
FACETS = 15
# Relevance is ranked among the newest RANK_WINDOW matches a person may see; beyond, the page
# says "more than 200 results" and suggests narrowing.  A word found in half the city's notes
# ranks poorly anyway (its weight is low), and people refine rather than page through 26,000
# results (200 are ten pages); in exchange a common word costs what a rare one does.  Search
# engines do the same (Elasticsearch counts exactly up to 10,000 by default).  The window's
# size is the page's cost on SQLite: FTS5 computes bm25 for every row of it (about 1.2 us a
# row, after a fixed 0.75 ms to count the documents holding each common word), and the
# permission gate walks about 1.7 matches per visible one -- at the benchmark's medium scale
# 1,000 cost 4.4 ms of a 9 ms page, 300 cost 1.8 ms, 200 1.5 ms.
RANK_WINDOW = 200


class _FtsRow(Model):
    """The SQLite FTS5 table, for building queries (created by the migration, never by peewee).

    ``hidden`` is FTS5's hidden column named after the table: ``MATCH`` and ``bm25()`` take it,
    which keeps working when peewee aliases the table."""

    rowid = IntegerField(primary_key=True)
    hidden = Field(column_name=FTS_TABLE)

    class Meta:
        database = database
        table_name = FTS_TABLE


class _RecentRow(Model):
    """The SQLite recent tier (:data:`.engines.RECENT_TABLE`): the newest documents of
    :class:`_FtsRow`'s table, in a table of the same shape."""

    rowid = IntegerField(primary_key=True)
    hidden = Field(column_name=RECENT_TABLE)

    class Meta:
        database = database
        table_name = RECENT_TABLE


class _VectorRow(Model):
    """The PostgreSQL ``tsvector`` table (created by the migration)."""

    resource_id = IntegerField(primary_key=True)
    vector = Field()

    class Meta:
        database = database
        table_name = PG_TABLE


class FoundResource:
    """What a hit shows of its resource (read-only): the registry's columns a result needs,
    read as a tuple -- a whole ``Resource`` model per hit was a tenth of the page."""

    __slots__ = ("id", "plugin", "kind", "object_id", "title", "url", "state", "updated_at")

    def __init__(self, id, plugin, kind, object_id, title, url, state, updated_at):
        self.id, self.plugin, self.kind, self.object_id = id, plugin, kind, object_id
        self.title, self.url, self.state, self.updated_at = title, url, state, updated_at

    @property
    def key(self) -> str:
        return f"{self.plugin}.{self.kind}:{self.object_id}"


class SpaceRef:
    """A space as results and facets name it: its id, link slug and name."""

    __slots__ = ("id", "slug", "name")

    def __init__(self, id, slug, name):
        self.id, self.slug, self.name = id, slug, name


@dataclass
class Hit:
    resource: FoundResource
    space: SpaceRef
    kind_label: str
    title: Markup
    snippet: Markup


@dataclass
class Results:
    query: ParsedQuery
    page: int = 1
    per_page: int = PER_PAGE
    total: int = 0  # a lower bound when ``capped``
    capped: bool = False  # more matches than RANK_WINDOW: ranked among the newest ones
    hits: list[Hit] = field(default_factory=list)
    facets: list[tuple[SpaceRef, int]] = field(default_factory=list)

    @property
    def pages(self) -> int:
        return max(1, (self.total + self.per_page - 1) // self.per_page)


def _match_condition(term: str, fts=_FtsRow) -> Expression:
    """The engine's "matches ``term``" (FTS5 syntax on SQLite, web-search text on PostgreSQL);
    ``fts``: which SQLite table (the full index or the recent tier)."""
    if is_postgres():
        return Expression(_VectorRow.vector, "@@", _tsquery(term))
    return Expression(fts.hidden, "MATCH", term)


def _tsquery(term: str):
    return fn.websearch_to_tsquery(SQL(f"'{PG_CONFIG}'::regconfig"), term)


def _score(term: str, fts=_FtsRow):
    """Relevance, higher is better: bm25 on SQLite (in the full-text query itself, the only
    place FTS5 computes it), ``ts_rank_cd`` on PostgreSQL."""
    if is_postgres():
        return fn.ts_rank_cd(_VectorRow.vector, _tsquery(term))
    return 0 - fn.bm25(fts.hidden, 10.0, 1.0)


def gate(actor: Any):
    """The SQL condition of "this person may see this resource" over Resource and Space.

    The module switch is an ``EXISTS`` after the kernel test, not a join: the database looks
    the space's module up only for a plugin's resource (a join looked it up for every match
    walked, notes included)."""
    active = [KERNEL, *registry().names]
    module_on = (Resource.plugin == KERNEL) | fn.EXISTS(
        Module.select(SQL("1")).where((Module.space == Resource.space)
                                      & (Module.plugin == Resource.plugin)
                                      & (Module.enabled == True)))  # noqa: E712
    return (visibility_clause(actor, Resource.space, Space.visibility, Resource.visibility,
                              archived=Space.archived_at)
            & moderation_clause(actor) & Resource.plugin.in_(active) & module_on)


def _window(actor: Any, term: str, space_id: int | None, window: int, fts=_FtsRow):
    """The newest ``window + 1`` matches the person may see: ``(rid, sid, score, at)``.

    The full-text index is walked newest first (its row ids are the resources' ids) and the
    gate checked row by row, so the walk stops after ``window + 1`` visible matches: a word
    found in 26,000 notes costs what a word found in a thousand does (2.8 ms instead of 44 on
    SQLite), and relevance is computed for those rows only.  ``fts``: the SQLite table walked
    (the full index, or the recent tier).
    """
    if is_postgres():
        index, rid = _VectorRow, _VectorRow.resource_id
    else:
        index, rid = fts, fts.rowid
    query = (index.select(rid.alias("rid"), Resource.space.alias("sid"),
                          _score(term, fts).alias("score"), Resource.updated_at.alias("at"))
             .join(Resource, on=(Resource.id == rid))
             .join(Space, on=(Space.id == Resource.space))
             .where(_match_condition(term, fts) & gate(actor))
             .order_by(rid.desc()).limit(window + 1))
    if space_id is not None:
        query = query.where(Resource.space == space_id)
    return query


def _page_sql(per_page: int, offset: int) -> str:
    """The page's part of :func:`_ranked_page`'s statement: its hits ranked, each with what a
    hit shows of its resource and space and the start of its text for the snippet.  Its sort
    keys come along: the join may return the rows in any order, and Python puts them back in
    the ranking's.

    Columns: 1 (the part), the resource's id, its space's id, slug and name, its plugin, kind,
    object id, title, url, state and ``updated_at``, its summary, the start of its text, then
    the score and ``at`` it was ranked by: sixteen, the width of every part of the UNION."""
    r, s, d = (Resource._meta, Space._meta, SearchDocument._meta)
    columns = ", ".join(f'"r"."{r.fields[name].column_name}"' for name in (
        "plugin", "kind", "object_id", "title", "url", "state", "updated_at", "summary"))
    return (f'SELECT 1, "r"."{r.primary_key.column_name}", "s"."id", "s"."slug", "s"."name", '
            f'{columns}, SUBSTR("d"."{d.fields["body"].column_name}", 1, '
            f'{int(snippets.SOURCE_CHARS)}), "p"."score", "p"."at" FROM '
            f'(SELECT "rid", "score", "at" FROM "search_shown" '
            f'ORDER BY "score" DESC, "at" DESC, "rid" DESC '
            f'LIMIT {int(per_page)} OFFSET {int(offset)}) AS "p" '
            f'JOIN "{r.table_name}" AS "r" ON "r"."{r.primary_key.column_name}" = "p"."rid" '
            f'JOIN "{s.table_name}" AS "s" ON "s"."id" = "r"."{r.fields["space"].column_name}" '
            f'LEFT OUTER JOIN "{d.table_name}" AS "d" '
            f'ON "d"."{d.fields["resource"].column_name}" = "r"."{r.primary_key.column_name}"')


# What pads the facets' and the count's five columns to the page's sixteen (see _page_sql).
_NULLS = ", NULL" * 11


def _ranked_page(actor: Any, parsed: ParsedQuery, space: Space | None, page: int,
                 per_page: int, facets: int) -> tuple[list[tuple[int, str, str, int]],
                                                      list[tuple], int]:
    """In one statement: the ``facets`` spaces holding the most matches (none when 0), the
    page's hits in ranking order, each with its resource, its space and the start of its text
    (see :func:`_page_sql`), and how many matches the window holds (one more than
    :data:`RANK_WINDOW` when there are more).

    On SQLite the recent tier is read first (:mod:`.engines`, "The recent tier"): when it holds
    more than the window's matches, or the whole index, its answer is the full index's -- the
    same newest matches, ranked with rarities counted over fewer documents (1.85 -> 1.0 ms for
    two common words at the benchmark's medium scale).  Otherwise (a rare word, a person who may
    see few of the newest texts) the full index answers, as it always did.
    """
    if is_postgres():
        return _ranked_page_in(actor, parsed, space, page, per_page, facets, None)[:3]
    per_space, hits, matches, whole = _ranked_page_in(actor, parsed, space, page, per_page,
                                                      facets, _RecentRow)
    if matches > RANK_WINDOW or whole:
        return per_space, hits, matches
    return _ranked_page_in(actor, parsed, space, page, per_page, facets, _FtsRow)[:3]


def _ranked_page_in(actor: Any, parsed: ParsedQuery, space: Space | None, page: int,
                    per_page: int, facets: int, fts) -> tuple[list, list, int, bool]:
    """:func:`_ranked_page` from one index: ``fts`` is the SQLite table read (``None`` on
    PostgreSQL).  The fourth value says whether that table is the whole index (the recent tier
    before it ever dropped a row).

    The full-text engine and the permission gate run once, into a materialised CTE of what the
    person may see among the newest matches (:func:`_window`); the facets group it, the page
    sorts it by relevance and reads its rows.  Two statements -- counts, then the ranked page --
    ran the engine and the gate twice; the page's resources read by a statement of their own
    cost one more round (on PostgreSQL, a trip to the server).  Only the facets shown leave the
    database: the total is the window's count, not the sum of a row per space (hundreds of rows
    for a common word).
    """
    window = RANK_WINDOW

    def build(_viewer, space_id, size, _table, term):
        return _window(actor, term, space_id, size, fts or _FtsRow)

    # The gate's SQL is written once per viewer, space and table (placette.prepared); the words
    # searched are a parameter.
    gated = prepared("search.window", build, viewer_key(actor, moderation=True),
                     None if space is None else space.id, window,
                     "recent" if fts is _RecentRow else "full",
                     term=parsed.text if is_postgres() else fts5_query(parsed))
    gated_sql, params = gated.sql, gated.params
    spaces = Space._meta.table_name
    # The page first: on PostgreSQL, a UNION takes each column's type from its first part,
    # and the others' NULLs then take that type.
    parts = [_page_sql(per_page, (page - 1) * per_page)]
    if facets:
        # Busiest first, then by name in code point order (Python's, SQLite's own; "C" on
        # PostgreSQL, whose default collation follows the locale).
        name = '"s"."name" COLLATE "C"' if is_postgres() else '"s"."name"'
        parts.append(
            f'SELECT 0, "t"."sid", "t"."n", "t"."slug", "t"."name"{_NULLS} FROM '
            f'(SELECT "f"."sid", "f"."n", "s"."slug", "s"."name" FROM '
            f'(SELECT "sid", COUNT(*) AS "n" FROM "search_shown" GROUP BY "sid") AS "f" '
            f'JOIN "{spaces}" AS "s" ON "s"."id" = "f"."sid" '
            f'ORDER BY "f"."n" DESC, {name} LIMIT {int(facets)}) AS "t"')
    if fts is _RecentRow:
        # Whether the recent tier is the whole index: its oldest row is the index's oldest
        # (NULL, so no, when it is empty).  Two reads of one row each.
        parts.append(f'SELECT 3, (SELECT rowid FROM "{RECENT_TABLE}" ORDER BY rowid LIMIT 1) '
                     f'<= (SELECT rowid FROM "{FTS_TABLE}" ORDER BY rowid LIMIT 1), '
                     f'NULL, NULL, NULL{_NULLS}')
    parts.append(f'SELECT 2, COUNT(*), NULL, NULL, NULL{_NULLS} FROM "search_gated"')
    # "search_shown": the window itself, without the extra row that only tells "there is more"
    # -- the oldest, when there is one: a filter read in place, where sorting the window again
    # into a table of its own (ORDER BY "rid" DESC LIMIT window) cost about 0.1 ms on SQLite.
    sql = (f'WITH "search_gated" AS MATERIALIZED ({gated_sql}), '
           f'"search_shown" AS NOT MATERIALIZED (SELECT * FROM "search_gated" '
           f'WHERE (SELECT COUNT(*) FROM "search_gated") <= {int(window)} '
           f'OR "rid" > (SELECT MIN("rid") FROM "search_gated")) ' + " UNION ALL ".join(parts))
    per_space, hits, matches, whole = [], [], 0, False
    for row in database.execute_sql(sql, params).fetchall():
        part = row[0]
        if part == 1:
            hits.append(row)
        elif part == 0:
            per_space.append((row[1], row[3], row[4], row[2]))
        elif part == 3:
            whole = bool(row[1])
        else:
            matches = row[1]
    # The ranking's order: ORDER BY "score" DESC, "at" DESC, "rid" DESC.
    hits.sort(key=lambda row: (row[14], row[15], row[1]), reverse=True)
    return per_space, hits, matches, whole


def search(actor: Any, text: str, space: Space | None = None, page: int = 1,
           per_page: int = PER_PAGE, with_facets: bool = True) -> Results:
    """One page of what ``actor`` may see matching ``text`` (never raises on what people type)."""
    parsed = parse(text)
    page = min(max(1, page), MAX_PAGE)
    results = Results(parsed, page, per_page)
    if parsed.is_empty:
        return results
    per_space, rows, matches = _ranked_page(actor, parsed, space, page, per_page,
                                            FACETS if with_facets and space is None else 0)
    results.total, results.capped = min(matches, RANK_WINDOW), matches > RANK_WINDOW
    per_space.sort(key=lambda row: (-row[3], row[2]))
    results.facets = [(SpaceRef(sid, slug, name), n) for sid, slug, name, n in per_space]
    if rows:
        kinds = registry().resource_kinds
        marks = parsed.highlight
        stored_time = Resource.updated_at.python_value  # SQLite's text -> datetime
        spaces: dict[int, SpaceRef] = {}
        labels: dict[tuple[str, str], str] = {}  # each kind's label translated once a page
        for (_part, rid, sid, slug, name, plugin, kind_name, object_id, title, url, state,
             updated_at, summary, body_start, _score, _at) in rows:
            resource = FoundResource(rid, plugin, kind_name, object_id, title, url, state,
                                     stored_time(updated_at))
            space = spaces.get(sid)
            if space is None:
                space = spaces[sid] = SpaceRef(sid, slug, name)
            label = labels.get((plugin, kind_name))
            if label is None:
                kind = kinds.get(f"{plugin}.{kind_name}")
                label = labels[plugin, kind_name] = str(kind.label) if kind else kind_name
            source = "\n".join(t for t in (summary, body_start) if t)
            results.hits.append(Hit(resource, space, label,
                                    snippets.highlight(title, marks),
                                    snippets.snippet(source, marks)))
    return results
