"""The one public projection of shown items: every page, feed, export, embed and oEmbed answer
reads shown items through this module, and only the fields in :data:`PUBLIC_FIELDS`.

An item that is withdrawn, or whose space is archived or no longer has the showcase on, is not
here: so withdrawing removes it from everything at once, and a new public surface cannot forget
the rule.  The queries are a fixed number whatever the number of items (two: items with their
space, then their files).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields

import placette
from peewee import JOIN

from .models import File, Item

#: What the public may read of a shown item -- nothing else leaves the database.
PUBLIC_FIELDS = ("id", "uuid", "category", "title", "summary", "body_html", "introduction",
                 "decided_at", "answer_status", "dataset", "data", "published_at",
                 "republished_at", "updated_at", "position")

#: What the public may read of a council in the window.
SPACE_FIELDS = ("slug", "name")


#: Files a page shows as pictures (when described); anything else is a download.
PICTURE_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp"})

#: A photo without thumbnail is shown in a gallery's grid itself only up to this weight (a small
#: picture); a heavier one -- a phone's 4 MB original, picked before its thumbnail was made --
#: is a link carrying its text alternative instead, until its thumbnail arrives.
GRID_MAX_BYTES = 256 * 1024


@dataclass(frozen=True)
class PublicFile:
    id: int
    name: str
    content_type: str
    size: int
    alt: str = ""
    caption: str = ""
    thumbnail_id: int | None = None  # the file id of its smaller copy, for the gallery grid

    @property
    def is_photo(self) -> bool:
        """Shown in the page as a picture: a raster image with a text alternative."""
        return bool(self.alt) and self.content_type in PICTURE_TYPES

    @property
    def grid_id(self) -> int | None:
        """The file a gallery's grid loads for this photo: its thumbnail, else the photo itself
        when it is light (:data:`GRID_MAX_BYTES`), else None (no picture in the grid)."""
        if self.thumbnail_id is not None:
            return self.thumbnail_id
        return self.id if self.size <= GRID_MAX_BYTES else None


@dataclass(frozen=True)
class PublicItem:
    id: int
    uuid: str
    category: str
    title: str
    summary: str
    body_html: str
    introduction: str
    decided_at: dt.datetime | None
    answer_status: str | None
    dataset: str | None
    data: dict
    published_at: dt.datetime
    republished_at: dt.datetime | None
    updated_at: dt.datetime
    position: int
    space_slug: str
    space_name: str
    files: tuple[PublicFile, ...] = ()

    @property
    def photos(self) -> tuple[PublicFile, ...]:
        return tuple(f for f in self.files if f.is_photo)

    @property
    def downloads(self) -> tuple[PublicFile, ...]:
        return tuple(f for f in self.files if not f.is_photo)

    @property
    def atom_id(self) -> str:
        return f"urn:uuid:{self.uuid}"

    @property
    def path(self) -> str:
        return f"/vitrine/{self.space_slug}/{self.id}"

    @property
    def council_path(self) -> str:
        return f"/vitrine/{self.space_slug}/"


@dataclass(frozen=True)
class PublicSpace:
    slug: str
    name: str
    latitude: float | None
    longitude: float | None
    items: int


# ``_build`` fills a PublicItem from a row's tuple: the public fields, then slug and name.
assert tuple(f.name for f in fields(PublicItem))[:len(PUBLIC_FIELDS) + 2] == (
    *PUBLIC_FIELDS, "space_slug", "space_name")


def _shown(query, space_field):
    """``query`` joined to the showcase's module row of ``space_field``'s space, kept only
    where the module is on and the space is not archived (the caller joins the space).  A join
    on the unique (space, plugin) index rather than ``IN`` (the spaces where it is on): SQLite
    built a temporary index over every space's module rows for each query of a page."""
    Module = placette.Module
    return (query.join(Module, on=((Module.space == space_field)
                                   & (Module.plugin == "showcase")))
            .where((Module.enabled == True) & placette.Space.archived_at.is_null()))  # noqa: E712


def _base():
    return _shown(Item.select(*(getattr(Item, f) for f in PUBLIC_FIELDS),
                              placette.Space.slug, placette.Space.name)
                  .join(placette.Space, on=(Item.space == placette.Space.id))
                  .switch(Item), Item.space).where(Item.state == "shown")


def _build(query, with_files: bool = True) -> list[PublicItem]:
    """Rows as plain tuples (no model instance per row): the public fields in order, then the
    space's slug and name; their files too (a second query) unless ``with_files`` is false."""
    rows = query.tuples()
    files: dict[int, list[PublicFile]] = {}
    if rows and with_files:
        found = list(File.select(File.id, File.item, File.name, File.content_type, File.size,
                                 File.alt, File.caption, File.thumbnail_of)
                     .where(File.item.in_([r[0] for r in rows]))
                     .order_by(File.position, File.id).tuples())
        thumbnails = {thumbnail_of: fid for fid, _i, _n, _c, _s, _a, _cap, thumbnail_of in found
                      if thumbnail_of}
        for fid, item_id, name, content_type, size, alt, caption, thumbnail_of in found:
            if thumbnail_of is None:
                files.setdefault(item_id, []).append(PublicFile(
                    fid, name, content_type, size, alt, caption, thumbnails.get(fid)))
    return [PublicItem(*r, files=tuple(files.get(r[0], ()))) for r in rows]


def items(space_slug: str | None = None, *, categories=None, dataset: str | None = None,
          limit: int | None = None, newest: bool = False,
          with_files: bool = True) -> list[PublicItem]:
    """Shown items: a council's in the animators' order, or the city's newest first; without
    their files (one query less) for a page that shows none, such as cards."""
    categories = tuple(categories) if categories else ()
    late = {"slug": space_slug} if space_slug is not None else {}
    # The window's pages run these on every uncached visit: their SQL is written once per shape
    # (placette.prepared), the space's slug being a value bound at each call.
    return _build(placette.prepared("showcase.items", _items_query, space_slug is not None,
                                    categories, dataset, limit, newest, **late), with_files)


def _items_query(by_space, categories, dataset, limit, newest, slug=None):
    query = _base()
    if by_space:
        query = query.where(placette.Space.slug == slug)
    if categories:
        query = query.where(Item.category.in_(list(categories)))
    if dataset is not None:
        query = query.where(Item.dataset == dataset)
    if newest or not by_space:
        query = query.order_by(Item.updated_at.desc(), Item.id.desc())
    else:
        query = query.order_by(Item.position, Item.id)
    if limit:
        query = query.limit(limit)
    return query


#: What a download reads of each record, per format: the council's slug and name, the item's id
#: and uuid, and its stored pieces (records.py); the pieces are null on a row written without
#: them, which :func:`record_fields` reads instead.
EXPORT_PIECES = {"csv": ("csv_head", "csv_tail", "csv_keys", "csv_cells"),
                 "json": ("json_head", "json_tail", "json_data")}


def export_rows(dataset: str, fmt: str) -> list[tuple]:
    """A dataset's shown items, newest first, as ``(id, uuid, slug, name, *pieces)`` of
    :data:`EXPORT_PIECES` ``[fmt]`` (one query, text columns only)."""
    def build(dataset, fmt):
        return (_shown(Item.select(Item.id, Item.uuid, placette.Space.slug, placette.Space.name,
                                   *(getattr(Item, name) for name in EXPORT_PIECES[fmt]))
                       .join(placette.Space, on=(Item.space == placette.Space.id))
                       .switch(Item), Item.space)
                .where((Item.state == "shown") & (Item.dataset == dataset))
                .order_by(Item.updated_at.desc(), Item.id.desc()))

    return placette.prepared("showcase.export_rows", build, dataset, fmt).tuples()


def record_fields(ids) -> dict[int, tuple]:
    """``{id: (category, title, decided_at, answer_status, published_at, updated_at, data)}``
    of the items ``ids``: a record built at download time, for rows without stored pieces."""
    if not ids:
        return {}
    return {row[0]: row[1:] for row in
            Item.select(Item.id, Item.category, Item.title, Item.decided_at, Item.answer_status,
                        Item.published_at, Item.updated_at, Item.data)
            .where(Item.id.in_(list(ids))).tuples()}


def upcoming(limit: int = 5, with_files: bool = True) -> list[PublicItem]:
    """Shown meetings still to come, soonest first ("what is next")."""
    def build(limit, now):
        return (_base().where((Item.category == "meeting") & (Item.decided_at >= now))
                .order_by(Item.decided_at, Item.id).limit(limit))

    return _build(placette.prepared("showcase.upcoming", build, limit, now=placette.utcnow()),
                  with_files)


def one(space_slug: str, item_id: int) -> PublicItem | str | None:
    """The item, ``"gone"`` when it was withdrawn (410), or None (404)."""
    found = _build(_base().where((placette.Space.slug == space_slug) & (Item.id == item_id)))
    if found:
        return found[0]
    gone = (Item.select(Item.id).join(placette.Space, on=(Item.space == placette.Space.id))
            .where((placette.Space.slug == space_slug) & (Item.id == item_id)
                   & (Item.state == "withdrawn")).exists())
    return "gone" if gone else None


def file_of(space_slug: str, item_id: int, file_id: int):
    """(PublicFile, storage key) of a shown item's file, ``"gone"`` or None."""
    item = one(space_slug, item_id)
    if not isinstance(item, PublicItem):
        return item
    row = File.get_or_none((File.id == file_id) & (File.item == item_id))
    if row is None:
        return None
    return PublicFile(row.id, row.name, row.content_type, row.size, row.alt,
                      row.caption), row.storage_key


def spaces(slug: str | None = None) -> list[PublicSpace]:
    """The councils with at least one shown item (or just the one named ``slug``), with their
    place on the map if set."""
    late = {"slug": slug} if slug is not None else {}
    rows = placette.prepared("showcase.spaces", _spaces_query, slug is not None, **late).tuples()
    result = []
    for space_slug, name, settings, n in rows:
        settings = settings or {}
        lat, lon = settings.get("latitude"), settings.get("longitude")
        ok = isinstance(lat, (int, float)) and isinstance(lon, (int, float))
        result.append(PublicSpace(space_slug, name,
                                  float(lat) if ok else None, float(lon) if ok else None, n))
    return result


def _spaces_query(one, slug=None):
    """The councils' names, settings and numbers of shown items.  The items are counted by
    space first (over the covering (space, state, position) index), then joined to their
    spaces: grouping the joined rows by every column made SQLite sort 1,440 rows twice."""
    from peewee import fn
    Module = placette.Module
    counts = (Item.select(Item.space.alias("space_id"), fn.COUNT(Item.id).alias("n"))
              .where(Item.state == "shown").group_by(Item.space).alias("counts"))
    query = (placette.Space.select(placette.Space.slug, placette.Space.name, Module.settings,
                                   counts.c.n)
             .join(counts, on=(counts.c.space_id == placette.Space.id))
             .join(Module, on=((Module.space == placette.Space.id)
                               & (Module.plugin == "showcase")))
             .where(placette.Space.archived_at.is_null() & (Module.enabled == True))  # noqa: E712
             .order_by(placette.Space.position, placette.Space.name))
    if one:
        query = query.where(placette.Space.slug == slug)
    return query


def space_named(slug: str) -> PublicSpace | None:
    found = spaces(slug)
    return found[0] if found else None
