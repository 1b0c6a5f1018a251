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


def _copy_one(f, position: int, copied: list[dict]) -> dict:
    data = f.read()
    if len(data) > MAX_FILE_BYTES:
        raise ShowcaseError(422, "file_too_large", _("A file of this item is too large "
                                                     "to be published."))
    row = {"name": f.name[:255], "content_type": f.content_type[:100], "size": len(data),
           "storage_key": store.put(data), "position": position,
           "alt": (f.alt or "").strip()[:2000], "caption": (f.caption or "").strip()[:300]}
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
            row = _copy_one(f, position, copied)
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
    old_keys = [f.storage_key for f in File.select(File.storage_key).where(File.item == item.id)]
    try:
        with placette.atomic():
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
    keys = [f.storage_key for f in File.select(File.storage_key).where(File.item == item.id)]
    with placette.atomic():
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
