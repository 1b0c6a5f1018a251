"""Picking, republishing, withdrawing and ordering shown items: the one place that writes them.

Pages and the API call these functions and turn a :class:`ShowcaseError` into a form message or
a JSON error; nothing is published when one is raised.
"""
from __future__ import annotations

import datetime as dt
import re

import nh3
import placette
from peewee import fn

from . import records, store
from .models import File, Item

MAX_INTRODUCTION = 2000
MAX_FILE_BYTES = 50 * 1024 * 1024
_KEY = re.compile(r"^(?P<plugin>[a-z][a-z0-9_]{0,30})\.(?P<kind>[a-z][a-z0-9_]{0,63}):"
                  r"(?P<object_id>[A-Za-z0-9_-]{1,64})$")


class ShowcaseError(Exception):
    def __init__(self, status: int, code: str, message: str, field: str | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.field = status, code, message, field


def _(text: str, **kw) -> str:
    return placette._(text, **kw)


def may_manage(actor, space) -> bool:
    return placette.can(actor, "showcase.manage", space)


def may_withdraw(actor, space) -> bool:
    """Animators of the space; city administrators (who hold every role) withdraw anything."""
    return may_manage(actor, space)


def resource_key(resource) -> str:
    return f"{resource.plugin}.{resource.kind}:{resource.object_id}"


def parse_key(text: str):
    """``"<plugin>.<kind>:<id>"`` -> the registry row; a malformed key or an undeclared kind
    is a 422, a row that does not exist a 404 (as one that may not be seen)."""
    match = _KEY.match((text or "").strip())
    if match is None:
        raise ShowcaseError(422, "invalid_resource",
                            _('Expected "<plugin>.<kind>:<id>", for example "pages.page:3".'),
                            "resource")
    plugin, kind, object_id = match.group("plugin", "kind", "object_id")
    if placette.declared_kind(f"{plugin}.{kind}") is None:
        raise ShowcaseError(422, "unknown_kind", _("Unknown kind of item: %(kind)s.",
                                                   kind=f"{plugin}.{kind}"), "resource")
    resource = placette.lookup_resource(plugin, kind, object_id)
    if resource is None:
        raise ShowcaseError(404, "not_found", _("No such item."), "resource")
    return resource


def clean_introduction(text: str | None) -> str:
    """Plain text, kept as typed (it is escaped wherever it is shown); bounded."""
    text = (text or "").replace("\r\n", "\n").strip()
    if len(text) > MAX_INTRODUCTION:
        raise ShowcaseError(422, "introduction_too_long",
                            _("The introduction is limited to %(n)s characters.",
                              n=MAX_INTRODUCTION), "introduction")
    if "\x00" in text:
        raise ShowcaseError(422, "invalid_introduction", _("The introduction holds a null "
                                                           "character."), "introduction")
    return text


def _offer_for(space, actor, resource):
    offer = placette.showcase_offer(resource, actor)
    if offer is None:
        raise ShowcaseError(404, "not_found", _("No such item."), "resource")
    if resource.space_id != space.id:
        raise ShowcaseError(422, "other_space",
                            _("This item belongs to another space: pick it from there."),
                            "resource")
    return offer


def _naive_utc(value: dt.datetime | None) -> dt.datetime | None:
    if value is None or value.tzinfo is None:
        return value
    return value.astimezone(dt.timezone.utc).replace(tzinfo=None)


def _copy_one(f, position: int, copied: list[dict], source: str = "") -> dict:
    data = f.read()
    if len(data) > MAX_FILE_BYTES:
        raise ShowcaseError(422, "file_too_large", _("A file of this item is too large "
                                                     "to be published."))
    row = {"name": f.name[:255], "content_type": f.content_type[:100], "size": len(data),
           "storage_key": store.put(data), "position": position,
           "alt": (f.alt or "").strip()[:2000], "caption": (f.caption or "").strip()[:300],
           "source": (source or "")[:200]}
    copied.append(row)
    return row


def _copy_files(offer) -> list[dict]:
    """Read every file of the offer (and a photo's thumbnail) once and copy it to the public
    store, before the transaction: a failure leaves nothing published, only unreferenced bytes
    we delete.  Each row is a photo or file; a thumbnail's row is under ``"thumbnail"``."""
    copied: list[dict] = []
    rows = []
    try:
        for position, f in enumerate(offer.files):
            row = _copy_one(f, position, copied, getattr(f, "source", ""))
            if f.thumbnail is not None and row["alt"]:
                row["thumbnail"] = _copy_one(f.thumbnail, position, copied)
            rows.append(row)
    except BaseException:
        _forget(copied)
        raise
    return rows


def _stored_keys(rows: list[dict]) -> list[str]:
    return [key for row in rows for key in
            (row["storage_key"], *([row["thumbnail"]["storage_key"]] if "thumbnail" in row
                                   else []))]


def _forget(rows: list[dict]) -> None:
    for key in _stored_keys(rows):
        store.delete(key)


def _create_files(item_id: int, rows: list[dict]) -> None:
    for row in rows:
        fields = {k: v for k, v in row.items() if k != "thumbnail"}
        photo = File.create(item=item_id, **fields)
        if "thumbnail" in row:
            File.create(item=item_id, thumbnail_of=photo.id, **row["thumbnail"])
    if any(row["source"] and row["alt"] and "thumbnail" not in row for row in rows):
        # A photo without its thumbnail yet: it may have been made while we copied (so no
        # "files ready" event will find this item); look again once this commits.
        placette.after_commit(lambda: placette.enqueue("showcase.complete_photos", item_id))


#: What a frozen body may hold: nh3's safe defaults, without ``h1`` (the item's title is its
#: page's only one).
BODY_TAGS = set(nh3.ALLOWED_TAGS) - {"h1"}


def _freeze(item: Item, offer) -> None:
    """Copy the offer.  Its HTML is sanitised again: offers come from any installed plugin,
    and the public window must not trust a third party's idea of safe markup."""
    item.category = offer.category
    item.title = offer.title[:300]
    item.summary = offer.summary
    item.body_html = nh3.clean(offer.body_html or "", tags=BODY_TAGS)
    item.decided_at = _naive_utc(offer.decided_at)
    item.answer_status = offer.answer_status
    item.dataset = offer.dataset
    item.data = dict(offer.data)


def pick(space, actor, key: str, introduction: str | None = "") -> Item:
    """Publish a frozen copy of the offer ``key`` of ``space``."""
    if not may_manage(actor, space):
        raise ShowcaseError(403, "forbidden", _("Only the animators choose what is shown."))
    introduction = clean_introduction(introduction)
    resource = parse_key(key)
    offer = _offer_for(space, actor, resource)
    if Item.select().where((Item.space == space.id) & (Item.state == "shown")
                           & (Item.resource_key == resource_key(resource))).exists():
        raise ShowcaseError(409, "already_shown",
                            _("This item is already in the public window: republish it to "
                              "show its changes."), "resource")
    files = _copy_files(offer)
    try:
        with placette.atomic():
            last = (Item.select(fn.MAX(Item.position)).where(Item.space == space.id).scalar())
            now = placette.utcnow()
            item = Item(space=space.id, resource_key=resource_key(resource),
                        introduction=introduction, position=(last or 0) + 1,
                        picked_by=getattr(actor, "id", None), published_at=now, updated_at=now)
            _freeze(item, offer)
            records.stamp(item)
            item.save(force_insert=True)
            _create_files(item.id, files)
            placette.record_audit(actor, "showcase.pick", resource_key(resource), space=space,
                                  after={"item": item.id, "title": item.title})
    except BaseException:
        _forget(files)
        raise
    return item


def item_in(space, item_id: int) -> Item | None:
    return Item.get_or_none((Item.id == item_id) & (Item.space == space.id))


def republish(item: Item, actor) -> Item:
    """Copy the original again (its text and files as they are now)."""
    space = placette.Space.get_by_id(item.space_id)
    if not may_manage(actor, space):
        raise ShowcaseError(403, "forbidden", _("Only the animators choose what is shown."))
    if item.state != "shown":
        raise ShowcaseError(409, "withdrawn", _("This item was withdrawn: pick it again."))
    plugin_kind, _sep, object_id = item.resource_key.partition(":")
    plugin, _dot, kind = plugin_kind.partition(".")
    resource = placette.lookup_resource(plugin, kind, object_id)
    if resource is None:
        raise ShowcaseError(409, "original_gone",
                            _("The original was deleted: the copy stays as it is, or withdraw "
                              "it."))
    offer = _offer_for(space, actor, resource)
    files = _copy_files(offer)
    try:
        with placette.atomic():
            if _lock(item.id).state != "shown":
                raise ShowcaseError(409, "withdrawn",
                                    _("This item was withdrawn: pick it again."))
            old_keys = [f.storage_key for f in File.select(File.storage_key)
                        .where(File.item == item.id)]
            _freeze(item, offer)
            item.republished_at = item.updated_at = placette.utcnow()
            records.stamp(item)
            item.save()
            File.delete().where(File.item == item.id).execute()
            _create_files(item.id, files)
            placette.record_audit(actor, "showcase.republish", item.resource_key, space=space,
                                  after={"item": item.id, "title": item.title})
    except BaseException:
        _forget(files)
        raise
    placette.after_commit(lambda: [store.delete(k) for k in old_keys])
    return item


def update(item: Item, actor, introduction: str | None = None,
           position: int | None = None) -> Item:
    space = placette.Space.get_by_id(item.space_id)
    if not may_manage(actor, space):
        raise ShowcaseError(403, "forbidden", _("Only the animators choose what is shown."))
    if item.state != "shown":
        raise ShowcaseError(409, "withdrawn", _("This item was withdrawn: pick it again."))
    with placette.atomic():
        if introduction is not None:
            item.introduction = clean_introduction(introduction)
            item.updated_at = placette.utcnow()
        if position is not None:
            _move(item, position)
        records.stamp(item)  # its updated_at is in its open-data record
        item.save()
    return item


def _move(item: Item, position: int) -> None:
    """Put ``item`` at ``position`` (1 = first) among the space's shown items, renumbered."""
    rows = list(Item.select(Item.id).where((Item.space == item.space_id)
                                           & (Item.state == "shown") & (Item.id != item.id))
                .order_by(Item.position, Item.id))
    position = max(1, min(position, len(rows) + 1))
    ids = [r.id for r in rows]
    ids.insert(position - 1, item.id)
    for index, item_id in enumerate(ids, start=1):
        if item_id == item.id:
            item.position = index
        else:
            Item.update(position=index).where(Item.id == item_id).execute()


def withdraw(item: Item, actor) -> Item:
    """Take the item out of every page, feed, export and embed at once: its copy is emptied
    (title kept for the animators' list), its files deleted; its address answers 410."""
    space = placette.Space.get_by_id(item.space_id)
    if not may_withdraw(actor, space):
        raise ShowcaseError(403, "forbidden", _("Only the animators choose what is shown."))
    if item.state == "withdrawn":
        return item
    with placette.atomic():
        _lock(item.id)  # a photo being completed (complete_photos) finishes first, or not at all
        keys = [f.storage_key for f in File.select(File.storage_key)
                .where(File.item == item.id)]
        item.state = "withdrawn"
        item.withdrawn_at = item.updated_at = placette.utcnow()
        item.body_html = item.summary = item.introduction = ""
        item.data = {}
        for name in records.COLUMNS:  # out of every export
            setattr(item, name, None)
        item.save()
        File.delete().where(File.item == item.id).execute()
        placette.record_audit(actor, "showcase.withdraw", item.resource_key, space=space,
                              after={"item": item.id})
    placette.after_commit(lambda: [store.delete(k) for k in keys])
    return item


def items_for_animators(space) -> list[Item]:
    return list(Item.select().where(Item.space == space.id)
                .order_by(Item.state, Item.position, Item.id))


# -- photos completed once their thumbnails exist ---------------------------------------------

def _lock(item_id: int) -> Item | None:
    """The item's row, locked until the transaction ends (PostgreSQL ``FOR UPDATE``; SQLite's
    transactions already hold the write lock from their start): republishing, withdrawing and
    completing a photo of one item happen one after the other."""
    query = Item.select().where(Item.id == item_id)
    if placette.database.for_update:
        query = query.for_update()
    return query.get_or_none()


def _current_offer(item: Item):
    """The item's original as offered now to the animator who picked it, or None (original
    gone, that person gone or no longer choosing what this window shows)."""
    plugin_kind, _sep, object_id = item.resource_key.partition(":")
    plugin, _dot, kind = plugin_kind.partition(".")
    resource = placette.lookup_resource(plugin, kind, object_id)
    if resource is None or resource.space_id != item.space_id or item.picked_by_id is None:
        return None
    actor = placette.User.get_or_none(placette.User.id == item.picked_by_id)
    space = placette.Space.get_or_none(placette.Space.id == item.space_id)
    if actor is None or space is None or not may_manage(actor, space):
        return None
    return placette.showcase_offer(resource, actor)


def complete_photos(item_id: int, sources=None) -> int:
    """Give the shown photos of ``item_id`` that have no thumbnail (they were picked before it
    was made) their thumbnail and the photo as offered now (the web-sized copy), when the
    original still offers that very photo (same ``source``) with a thumbnail; ``sources``
    narrows it to those originals.  Everything else of the copy stays as frozen: its text, the
    photo's text alternative, caption and place, and which photos it holds -- a photo since
    removed from the original is not completed, one added to it is not added.  Idempotent (a
    completed photo is left alone) and safe against a withdrawal or republication running at
    the same time.  Returns how many photos were completed.

    The task ``showcase.complete_photos`` (queued after a pick or republication that copied a
    photo without thumbnail) and the listener of ``placette.showcase.files_ready`` call it."""
    item = Item.get_or_none(Item.id == item_id)
    if item is None or item.state != "shown":
        return 0
    query = File.select().where((File.item == item.id) & File.thumbnail_of.is_null()
                                & (File.source != ""))
    if sources is not None:
        query = query.where(File.source.in_(list(sources)))
    done = {t for (t,) in File.select(File.thumbnail_of).where(
        (File.item == item.id) & File.thumbnail_of.is_null(False)).tuples()}
    waiting = {p.source: p for p in query if p.id not in done and p.alt}
    if not waiting:
        return 0
    offer = _current_offer(item)
    if offer is None:
        return 0
    completed = 0
    for f in offer.files:
        photo = waiting.pop(getattr(f, "source", "") or "", None)
        if photo is not None and f.thumbnail is not None and _complete(item.id, photo, f):
            completed += 1
    return completed


def _complete(item_id: int, photo: File, offered) -> bool:
    copied: list[dict] = []
    try:
        web = _copy_one(offered, photo.position, copied)
        thumbnail = _copy_one(offered.thumbnail, photo.position, copied)
    except ShowcaseError:
        _forget(copied)
        return False
    except BaseException:
        _forget(copied)
        raise
    try:
        with placette.atomic():
            locked = _lock(item_id)
            # Only the very row we read, still without thumbnail: a withdrawal deleted it, a
            # republication replaced it, another run completed it -- then nothing changes.
            changed = locked is not None and locked.state == "shown" and (
                File.update(name=web["name"], content_type=web["content_type"],
                            size=web["size"], storage_key=web["storage_key"])
                .where((File.id == photo.id) & (File.storage_key == photo.storage_key)
                       & (File.item == item_id)).execute())
            if changed:
                File.create(item=item_id, thumbnail_of=photo.id,
                            **{k: v for k, v in thumbnail.items() if k != "source"})
    except BaseException:
        _forget(copied)
        raise
    if not changed:
        _forget(copied)
        return False
    old = photo.storage_key
    placette.after_commit(lambda: store.delete(old))
    return True


def on_files_ready(event) -> int:
    """Listener of ``placette.showcase.files_ready``: complete the shown items of the event's
    space that hold one of the named originals."""
    sources = [str(s) for s in (event.data or {}).get("sources", []) if s]
    if not sources:
        return 0
    items = {item_id for (item_id,) in File.select(File.item)
             .join(Item, on=(File.item == Item.id))
             .where(File.source.in_(sources) & File.thumbnail_of.is_null()
                    & (Item.space == event.space_id) & (Item.state == "shown")).tuples()}
    return sum(complete_photos(item_id, sources) for item_id in sorted(items))
