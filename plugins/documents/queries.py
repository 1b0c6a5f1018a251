"""Read side: every list is a fixed number of queries, whatever the number of rows.

Visibility always comes from :func:`placette.visible` (one SQL condition), never re-implemented,
and moderation from :func:`placette.exclude_moderated` (one ``NOT EXISTS`` in the same statement):
a hidden or pending document is listed only to its author and the space's animators.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from peewee import JOIN, Cast, Table, fn

import placette

from .models import Attachment, Document, Folder, Tag, Version

PER_PAGE = 50
CITY_PER_PAGE = 50
CITY_FACETS = 20  # spaces offered in the city view's space filter
# Alias objects made once (peewee builds a class per aliased column, cached on the alias).
_AUTHOR = placette.User.alias("author")
_UPLOADER = placette.User.alias("uploader")
_DOC_SPACE = placette.Space.alias("doc_space")
# Documents per (space, item visibility), kept by the database's triggers on every write to
# documents_document (migration 0003).  A bare table, not a model: the instance copy
# (``placette db copy``) must not copy it, the target's triggers rebuild it from the documents.
SPACE_COUNTS = Table("documents_space_count", ("space_id", "visibility", "n"),
                     _database=Document._meta.database)  # SQL in the engine's dialect
# Per space holding documents, what each kind of reader without a role there may read of them
# (anonymous, signed in, city admin), kept by triggers on the counts above, the space and its
# module row (migration 0005): the city page's busiest spaces are an index walk.  Not a model
# either, for the same reason.
SPACE_REACH = Table("documents_space_reach", ("space_id", "public_n", "network_n", "all_n"),
                    _database=Document._meta.database)
# Lists never load a version's extracted text (up to half a million characters each).
LIST_VERSION_FIELDS = [f for f in Version._meta.sorted_fields if f.name != "text"]


@dataclass
class Row:
    """A document with what a list shows about it."""

    document: Document
    version: Version
    tags: list[str] = field(default_factory=list)
    attachment_id: int | None = None
    updated: str = ""
    type_size: str = ""  # "PDF, 2.1 MB": set for the tables (views.filters.label_table)


# The tables of documents (a folder's page, the city's resources) show a few fields of each row:
# they read those as tuples into the small objects below, named like the models' fields, instead
# of building a Document and a Version of some twenty fields each per row -- a third of the
# listing's time.  Pages that need the whole document (its own page, the API, the public window)
# keep reading model instances.
TABLE_FIELDS = (Document.id, Document.title, Document.visibility, Document.kind,
                Document.alt_text, Document.validated_at, Document.updated_at,
                Version.file_type, Version.size, Version.number)


class ListedDocument:
    """What a table shows of a document (read-only; ``space`` set by the city view)."""

    __slots__ = ("id", "title", "visibility", "kind", "alt_text", "validated_at", "updated_at",
                 "space")

    def __init__(self, id, title, visibility, kind, alt_text, validated_at, updated_at,
                 space=None):
        self.id, self.title, self.visibility, self.kind = id, title, visibility, kind
        self.alt_text, self.validated_at, self.updated_at = alt_text, validated_at, updated_at
        self.space = space


class ListedVersion:
    """What a table shows of a document's current version."""

    __slots__ = ("file_type", "size", "number")

    def __init__(self, file_type, size, number):
        self.file_type, self.size, self.number = file_type, size, number


class ListedSpace:
    """The space of a row of the city's table: its link and its name."""

    __slots__ = ("id", "slug", "name")

    def __init__(self, id, slug, name):
        self.id, self.slug, self.name = id, slug, name


def _table_rows(values: list[tuple], with_space: bool = False) -> list[Row]:
    """Rows of a table from tuples of ``TABLE_FIELDS`` (then the space's id, slug and name)."""
    spaces: dict = {}
    rows = []
    for value in values:
        document = ListedDocument(*value[:7])
        if with_space:
            sid = value[10]
            space = spaces.get(sid)
            if space is None:
                space = spaces[sid] = ListedSpace(*value[10:13])
            document.space = space
        rows.append(Row(document, ListedVersion(*value[7:10])))
    tags = tags_of([row.document.id for row in rows])
    for row in rows:
        row.tags = tags.get(row.document.id, [])
    _label_dates(rows)
    return rows


def _label_dates(rows: list[Row]) -> None:
    """Format each distinct day once (Babel formatting per row is a large share of a list)."""
    labels: dict = {}
    for row in rows:
        day = row.document.updated_at.date() if row.document.updated_at else None
        if day not in labels:
            labels[day] = placette.format_date(day, "medium") if day else ""
        row.updated = labels[day]


def _documents_query(actor, with_author: bool = False):
    query = (Document.select(Document, *LIST_VERSION_FIELDS)
             .join(Version, on=(Version.id == Document.current_version_id)))
    if with_author:
        author = _AUTHOR
        query = (query.select_extend(author).switch(Document)
                 .join(author, JOIN.LEFT_OUTER, on=(Document.author == author.id)))
    return not_moderated(placette.visible(query, actor), actor)


def not_moderated(query, actor):
    """Drop documents hidden or pending for ``actor`` (see the module docstring)."""
    return placette.exclude_moderated(query, actor, "documents", "document", id_field=Document.id)


def _rows(query) -> list[Row]:
    return _rows_of(list(query))


def _rows_of(documents: list[Document]) -> list[Row]:
    rows = [Row(d, d.version) for d in documents]
    tags = tags_of([d.id for d in documents])
    for row in rows:
        row.tags = tags.get(row.document.id, [])
    _label_dates(rows)
    return rows


def tags_of(document_ids: list[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    if not document_ids:
        return found
    def build(count, **late):
        return (Tag.select(Tag.document, Tag.name)
                .where(Tag.document.in_([late[f"i{n}"] for n in range(count)]))
                .order_by(Tag.name))

    # The ids are late values: the SQL is written once per page size, whichever documents
    # the page lists (keyed on the ids, every upload wrote it anew).
    for document_id, name in placette.prepared(
            "documents.tags_of", build, len(document_ids),
            **{f"i{n}": did for n, did in enumerate(document_ids)}).tuples():
        found.setdefault(document_id, []).append(name)
    return found


def folders_of(space, actor) -> list[Folder]:
    """Every folder of the space the actor may see (one query; used for trees and selects),
    on every page of the library: its SQL is written once per viewer and space."""
    def build(_viewer, space_id):
        return (placette.visible(Folder.select().where(Folder.space == space_id), actor)
                .order_by(Folder.name))

    return placette.prepared("documents.folders_of", build, placette.viewer_key(actor),
                             space.id).rows()


def folder_paths(folders: list[Folder]) -> dict[int, list[Folder]]:
    """``{folder id: [root, ..., folder]}`` computed from one list of folders."""
    by_id = {f.id: f for f in folders}
    paths: dict[int, list[Folder]] = {}
    for folder in folders:
        chain, current, guard = [], folder, 0
        while current is not None and guard < 64:
            chain.append(current)
            current = by_id.get(current.parent_id) if current.parent_id else None
            guard += 1
        paths[folder.id] = list(reversed(chain))
    return paths


def _folder_query(actor, space_id, folder_id, with_author=False):
    return _documents_query(actor, with_author).where(
        (Document.space == space_id)
        & (Document.folder.is_null() if folder_id is None else Document.folder == folder_id))


def _folder_count(actor, viewer, space_id, folder_id) -> int:
    """The documents of a folder the actor may see (one statement, written once per viewer and
    folder; the same for the page's table and the API's list)."""
    def base(_viewer, space_id, folder_id):
        return _folder_query(actor, space_id, folder_id)

    return placette.prepared("documents.folder.count", base, viewer, space_id, folder_id).count()


def folder_documents(space, folder, actor, page: int = 1, per_page: int = PER_PAGE,
                     with_author: bool = False):
    def listing(_viewer, space_id, folder_id, with_author, page, per_page):
        return (_folder_query(actor, space_id, folder_id, with_author)
                .order_by(Document.title, Document.id).paginate(page, per_page))

    # A folder's page, on every visit to the library: written once per viewer and folder.
    viewer = placette.viewer_key(actor, moderation=True)
    folder_id = None if folder is None else folder.id
    total = _folder_count(actor, viewer, space.id, folder_id)
    documents = placette.prepared("documents.folder", listing, viewer, space.id, folder_id,
                                  with_author, page, per_page).rows()
    return _rows_of(documents), total


def folder_table(space, folder, actor, page: int = 1, per_page: int = PER_PAGE):
    """A folder's page as its table shows it (:data:`TABLE_FIELDS`): ``(rows, total)``, the
    same documents and count as :func:`folder_documents`, read as tuples."""
    def listing(_viewer, space_id, folder_id, page, per_page):
        query = (Document.select(*TABLE_FIELDS)
                 .join(Version, on=(Version.id == Document.current_version_id))
                 .where((Document.space == space_id)
                        & (Document.folder.is_null() if folder_id is None
                           else Document.folder == folder_id)))
        return (not_moderated(placette.visible(query, actor), actor)
                .order_by(Document.title, Document.id).paginate(page, per_page))

    viewer = placette.viewer_key(actor, moderation=True)
    folder_id = None if folder is None else folder.id
    total = _folder_count(actor, viewer, space.id, folder_id)
    values = placette.prepared("documents.folder.table", listing, viewer, space.id, folder_id,
                               page, per_page).tuples()
    return _table_rows(values), total


def gallery(space, folder, actor) -> list[Row]:
    """Images of a folder that have a text alternative (the others are not shown yet)."""
    query = _documents_query(actor).where(
        (Document.space == space.id) & (Document.kind == "image") & (Document.alt_text != "")
        & (Document.folder.is_null() if folder is None else Document.folder == folder.id))
    return _rows(query.order_by(Document.created_at, Document.id).limit(500))


def latest_documents(space, actor, limit: int = 50) -> list[Row]:
    """The space's documents the actor may see, in every folder, most recently changed first."""
    query = _documents_query(actor).where(Document.space == space.id)
    return _rows(query.order_by(Document.updated_at.desc(), Document.id.desc()).limit(limit))


def gallery_counts(space, actor) -> dict[int, int]:
    """``{folder id: photos}``: how many described photos each folder of the space shows the
    actor (folders with none are left out) -- one query, for the public window's picker."""
    query = (Document.select(Document.folder, fn.COUNT(Document.id))
             .where((Document.space == space.id) & (Document.kind == "image")
                    & (Document.alt_text != "") & Document.folder.is_null(False)))
    query = not_moderated(placette.visible(query, actor), actor).group_by(Document.folder)
    return {folder_id: n for folder_id, n in query.tuples()}


def undescribed_images(space, folder, actor) -> list[Row]:
    query = _documents_query(actor).where(
        (Document.space == space.id) & (Document.kind == "image") & (Document.alt_text == "")
        & (Document.folder.is_null() if folder is None else Document.folder == folder.id))
    return _rows(query.order_by(Document.created_at, Document.id).limit(200))


def document_with_version(space, document_id: int, actor) -> Row | None:
    query = _documents_query(actor, with_author=True).where((Document.space == space.id)
                                                            & (Document.id == document_id))
    rows = _rows(query)
    return rows[0] if rows else None


def versions_of(document: Document) -> list[Version]:
    uploader = _UPLOADER
    return list(Version.select(Version, uploader)
                .join(uploader, JOIN.LEFT_OUTER, on=(Version.uploaded_by == uploader.id))
                .where(Version.document == document.id)
                .order_by(Version.number.desc()))


def _kept_counts(actor, space, space_ids):
    """Documents per space the actor may read in ``space_ids`` (their own spaces, where a role
    widens what they read), summed from the kept counts (a few rows per space) instead of
    counting every document; moderation is not in them (see the caller)."""
    module, counts = placette.Module, SPACE_COUNTS
    return (counts.select(space.id, fn.SUM(counts.n))
            .join(space, on=(counts.space_id == space.id))
            .join(module, on=((module.space == space.id) & (module.plugin == "documents")
                              & (module.enabled == True)))  # noqa: E712
            .where((counts.n > 0) & counts.space_id.in_(space_ids) & placette.visibility_clause(
                actor, space.id, space.visibility, fn.NULLIF(counts.visibility, ""),
                archived=space.archived_at))
            .group_by(space.id))


def _moderated_counts(actor, space):
    """Per space, the documents the actor could read but moderation hides from them: walked
    from the registry's few non-visible rows (its partial index, kernel migration 0008) to the
    documents by primary key, never over every document of the city.

    The index's condition is written as a literal, not a parameter: SQLite plans a statement
    whose parameter decides whether a partial index applies again at every run, with the
    value bound -- 0.5 ms of the city page's facets statement (0.65 -> 0.17 ms at medium
    scale), the text being some 4 KB."""
    module, resource = placette.Module, placette.Resource
    return (resource.select(space.id, fn.COUNT(Document.id))
            .join(Document, on=(Document.id == Cast(resource.object_id, "INTEGER")))
            .join(space, on=(Document.space == space.id))
            .join(module, on=((module.space == space.id) & (module.plugin == "documents")
                              & (module.enabled == True)))  # noqa: E712
            .where((resource.plugin == "documents") & (resource.kind == "document")
                   & placette.held_back(resource) & ~placette.moderation_clause(actor, resource)
                   & placette.visibility_clause(actor, space.id, space.visibility,
                                                Document.visibility, archived=space.archived_at))
            .group_by(space.id))


def _reach_facets(actor, viewer, space, moderated):
    """The city page's facets without filters (see :func:`city_documents`), from the kept reach
    of every space (migration 0005) instead of the kept counts of every space joined to it.

    Outside the reader's own spaces what they may read is one of the table's columns, the same
    for every reader of their kind: ``public_n`` for an anonymous visitor, ``network_n`` for a
    signed-in person, ``all_n`` for a city admin (who reads everything).  In their own spaces a
    role widens it (members read "members" items, animators everything): those few are counted
    exactly from documents_space_count, as before.  Then what moderation hides from this reader
    (``moderated``, a few rows at most) is subtracted.  The busiest spaces are taken from an
    index walk of the column, the reader's spaces skipped: CITY_FACETS + (spaces with hidden
    documents) of them, since a space without hidden documents keeps its count and twenty of
    those outrank any space further down; the reader's own spaces join those candidates.
    """
    Space, reach = placette.Space, SPACE_REACH
    kind = viewer[0]  # placette.viewer_key: ("anonymous",), ("admin", id) or (id, roles...)
    if kind == "anonymous":
        column, mine = reach.public_n, []
    elif kind == "admin":
        column, mine = reach.all_n, []
    else:
        column, mine = reach.network_n, sorted(placette.roles_of(actor))
    others = reach.space_id.not_in(mine) if mine else None
    hidden = moderated.cte("documents_hidden", columns=("sid", "n"), materialized=True)
    hidden_spaces = Document.select(fn.COUNT(hidden.c.sid)).from_(hidden)
    walk = (reach.select(reach.space_id.alias("sid"), column.alias("n"))
            .where(column > 0 if others is None else (column > 0) & others)
            .order_by(column.desc(), reach.space_id)
            .limit(fn.COALESCE(hidden_spaces, 0) + CITY_FACETS).alias("walk"))
    top = walk.select_from(walk.c.sid, walk.c.n)
    total = fn.COALESCE(reach.select(fn.SUM(column)), 0)
    ctes = [hidden]
    if mine:
        # The column summed over every row, less the reader's own spaces looked up by key (a
        # NOT IN tested on each of the 1,000 rows tripled the sum's time), plus their exact
        # counts -- materialised once: read by the candidates and by the total.
        exact = _kept_counts(actor, space, mine).cte("documents_mine", columns=("sid", "n"),
                                                     materialized=True)
        ctes.append(exact)
        top = top + Document.select(exact.c.sid, exact.c.n).from_(exact)  # UNION ALL
        total = (total - fn.COALESCE(reach.select(fn.SUM(column))
                                     .where(reach.space_id.in_(mine)), 0)
                 + fn.COALESCE(Document.select(fn.SUM(exact.c.n)).from_(exact), 0))
    total = total - fn.COALESCE(Document.select(fn.SUM(hidden.c.n)).from_(hidden), 0)
    candidates = top.cte("documents_candidates", columns=("sid", "n"))
    ctes.append(candidates)
    n = candidates.c.n - fn.COALESCE(hidden.c.n, 0)
    busiest = (Document.select(candidates.c.sid, n.alias("n"), total.alias("total"))
               .from_(candidates)
               .join(hidden, JOIN.LEFT_OUTER, on=(hidden.c.sid == candidates.c.sid))
               .where(n > 0).order_by(n.desc(), candidates.c.sid)
               .limit(CITY_FACETS).alias("busiest"))
    return (busiest.select_from(Space.slug, Space.name, busiest.c.n, busiest.c.total)
            .join(Space, on=(Space.id == busiest.c.sid)).with_cte(*ctes))


def _city_filters(query, space, actor, space_slug, tag, kind, text, newest_first=False):
    module = placette.Module
    # Listing the newest documents of every space: "+ 0" keeps SQLite off the space_id index,
    # so it walks the updated_at index from the newest and stops at the page's end (1 ms)
    # instead of reading and sorting every visible document of the city (28 ms for 10,000).
    # With a space filter, the space_id index is the right way in.
    on_space = (Document.space + 0 if newest_first and not space_slug else Document.space)
    query = (query.join(space, on=(on_space == space.id))
             .join(module, on=((module.space == space.id) & (module.plugin == "documents")
                               & (module.enabled == True))))  # noqa: E712
    query = not_moderated(placette.visible(query, actor), actor)
    if space_slug:
        query = query.where(space.slug == space_slug)
    if kind:
        query = query.where(Document.kind == kind)
    if tag:
        query = query.where(Document.id.in_(Tag.select(Tag.document).where(Tag.name == tag)))
    if text:
        query = query.where(Document.title.contains(text) | Document.description.contains(text))
    return query


def city_documents(actor, space_slug: str | None = None, tag: str | None = None,
                   kind: str | None = None, text: str | None = None, page: int = 1,
                   per_page: int = CITY_PER_PAGE):
    """The "resources" view: everything the actor may see, in spaces where the library is on.

    Returns ``(rows, total, by_space)``: the page, the number of matching documents, and the
    spaces holding the most of them (``CITY_FACETS`` of ``(slug, name, count)``) for the space
    filter.  The count gives the filter its options -- the spaces that have matching
    documents, not every library of the city (593 options, 33 KB of the page, at the
    benchmark's medium scale).  Without filters (most visits) it comes from the tables the
    database keeps (:func:`_reach_facets`): no document is read.  Filtered, it runs on documents
    alone (no version join), grouped by space.
    """
    space = _DOC_SPACE

    def count(_viewer, space_slug, tag, kind, text):
        # With filters only (without, see _reach_facets).  Space ids only: grouping on the
        # names too made SQLite carry them through the sort.
        query = Document.select(space.id, fn.COUNT(Document.id))
        return (_city_filters(query, space, actor, space_slug, tag, kind, text)
                .group_by(space.id))

    def listing(_viewer, space_slug, tag, kind, text, page, per_page):
        # What the table shows (TABLE_FIELDS), and of the space its name and the link's slug.
        query = (Document.select(*TABLE_FIELDS, space.id, space.slug, space.name)
                 .join(Version, on=(Version.id == Document.current_version_id))
                 .switch(Document))
        query = _city_filters(query, space, actor, space_slug, tag, kind, text,
                              newest_first=True)
        return (query.order_by(Document.updated_at.desc(), Document.id.desc())
                .paginate(page, per_page))

    def facets(_viewer, space_slug, tag, kind, text):
        # One statement: the counts per space, their total over every space, and the
        # CITY_FACETS busiest spaces named -- instead of some 600 rows (one per space) carried
        # to Python to be summed and sorted, and a query for the names.  The names are joined
        # to the busiest only, not to every space before the sort.
        Space = placette.Space
        if space_slug or tag or kind or text:
            counted = count(_viewer, space_slug, tag, kind, text).cte(
                "documents_counted", columns=("sid", "n"))
            n = counted.c.n
            busiest = (counted.select_from(counted.c.sid, n.alias("n"),
                                           fn.SUM(n).over().alias("total"))
                       .where(n > 0).order_by(n.desc(), counted.c.sid)
                       .limit(CITY_FACETS).alias("busiest"))
            return (busiest.select_from(Space.slug, Space.name, busiest.c.n, busiest.c.total)
                    .join(Space, on=(Space.id == busiest.c.sid)).with_cte(counted))
        return _reach_facets(actor, _viewer, space, _moderated_counts(actor, space))

    # The city's "resources" page: its two statements are written once per viewer and filter.
    viewer = placette.viewer_key(actor, moderation=True)
    filters = (space_slug, tag, kind, text)
    counts = placette.prepared("documents.city.facets", facets, viewer, *filters).tuples()
    total = int(counts[0][3]) if counts else 0
    named = sorted(((slug, name, int(n)) for slug, name, n, _total in counts),
                   key=lambda row: (-row[2], row[1]))
    values = placette.prepared("documents.city.table", listing, viewer, *filters, page,
                               per_page).tuples()
    return _table_rows(values, with_space=True), total, named


def attach_candidates(space_id: int, actor) -> list[tuple[int, str]]:
    """``(id, title)`` of the space's newest 200 documents the actor may see: the choices of
    the "attach a document" form under an item (SQL written once per viewer and space)."""
    def build(_viewer, space_id):
        return (not_moderated(placette.visible(
            Document.select(Document.id, Document.title)
            .where(Document.space == space_id), actor), actor)
            .order_by(Document.updated_at.desc()).limit(200))

    return placette.prepared("documents.attach_candidates", build,
                             placette.viewer_key(actor, moderation=True), space_id).tuples()


def attachments_of(resource, actor) -> list[Row]:
    """The documents attached to an item that the actor may see, by title (two prepared
    statements: the links, then the documents -- their ids late values)."""
    def links_of(rid):
        return (Attachment.select(Attachment.document, Attachment.id)
                .where(Attachment.resource == rid))

    links = dict(placette.prepared("documents.attachment_links", links_of,
                                   rid=resource.id).tuples())
    if not links:
        return []

    def build(_viewer, count, **late):
        return (_documents_query(actor)
                .where(Document.id.in_([late[f"i{n}"] for n in range(count)]))
                .order_by(Document.title))

    rows = _rows_of(placette.prepared(
        "documents.attachments", build, placette.viewer_key(actor, moderation=True), len(links),
        **{f"i{n}": did for n, did in enumerate(links)}).rows())
    for row in rows:
        row.attachment_id = links[row.document.id]
    return rows
