"""What documents offers the public window (the showcase plugin).

* a document: its description and the bytes of its current version;
* a folder's photo gallery (registry kind ``documents.folder``): its described photos, each as
  its web-sized copy with its text alternative, caption and thumbnail.  Photos without a text
  alternative are left out, as in the library's own gallery (RGAA: an image that conveys
  information needs one).  A photo whose copies are not made yet is offered as it was uploaded,
  without thumbnail, named by its version (``source``): once they are made, ``processing`` says
  so (``placette.showcase_files_ready``) and the showcase completes the copy it froze.

Bytes are read once, when the showcase copies them to its public store -- the private file is
never served from there.
"""
from __future__ import annotations

import datetime as dt
import mimetypes

import placette
from markupsafe import escape

from . import queries
from .library import storage
from .models import Folder

PLUGIN = "documents"
#: Photos per gallery: the library's own gallery shows at most as many.
MAX_PHOTOS = 60


def _reader(key: str):
    def read() -> bytes:
        with storage().open(key) as handle:
            return handle.read()
    return read


def _file(version) -> placette.ShowcaseFile:
    return placette.ShowcaseFile(name=version.file_name, content_type=version.mime,
                                 read=_reader(version.storage_key))


def _aware(moment):
    return moment.replace(tzinfo=dt.timezone.utc) if moment else None


def _offer(row, resource) -> placette.ShowcaseOffer:
    document, version = row.document, row.version
    body = str(placette.render_markdown(document.description or ""))
    if document.kind == "image" and document.alt_text:
        label = placette._("Image description:")
        body += f"<p>{escape(label)} {escape(document.alt_text)}</p>"
    return placette.ShowcaseOffer(
        resource=resource, category="document", title=document.title, body_html=body,
        summary=placette.plain_text(document.description or "", 280),
        decided_at=_aware(document.validated_at or document.updated_at),
        files=(_file(version),))


def _rendition(version, key: str | None, suffix: str) -> placette.ShowcaseFile | None:
    """The web copy or thumbnail made by ``documents.make_images``, or None if not made."""
    if not key:
        return None
    content_type = mimetypes.guess_type(key)[0] or version.mime
    stem = version.file_name.rsplit(".", 1)[0]
    extension = mimetypes.guess_extension(content_type) or ""
    return placette.ShowcaseFile(name=f"{stem}{suffix}{extension}", content_type=content_type,
                                 read=_reader(key))


def photo_source(version_id: int) -> str:
    """What a gallery's photo is made from (``ShowcaseFile.source``): one version's bytes.
    ``processing.make_images`` names it in ``placette.showcase_files_ready`` once the web copy
    and the thumbnail exist, so a gallery picked before then is completed."""
    return f"{PLUGIN}.version:{version_id}"


def _photo(row) -> placette.ShowcaseFile:
    document, version = row.document, row.version
    web = _rendition(version, version.web_key, "")
    base = web or _file(version)
    return placette.ShowcaseFile(
        name=base.name, content_type=base.content_type, read=base.read,
        alt=document.alt_text, caption=document.title,
        thumbnail=_rendition(version, version.thumb_key, "-thumb"),
        source=photo_source(version.id))


def _gallery_offer(folder: Folder, rows, resource) -> placette.ShowcaseOffer:
    photos = rows[:MAX_PHOTOS]
    count = len(photos)
    summary = placette.ngettext("%(num)d photo", "%(num)d photos", count)
    latest = max((r.document.created_at for r in photos), default=folder.created_at)
    return placette.ShowcaseOffer(
        resource=resource, category="gallery", title=folder.name, summary=summary,
        decided_at=_aware(latest), files=tuple(_photo(r) for r in photos))


def _resources(kind: str, ids) -> dict:
    return {r.object_id: r for r in placette.Resource.select().where(
        (placette.Resource.plugin == PLUGIN) & (placette.Resource.kind == kind)
        & placette.Resource.object_id.in_([str(i) for i in ids]))}


def _galleries(space, actor) -> list[placette.ShowcaseOffer]:
    counts = queries.gallery_counts(space, actor)
    folders = [f for f in queries.folders_of(space, actor) if f.id in counts]
    if not folders:
        return []
    resources = _resources("folder", [f.id for f in folders])
    offers = []
    for folder in folders:
        resource = resources.get(str(folder.id))
        rows = queries.gallery(space, folder, actor) if resource is not None else []
        if rows:
            offers.append(_gallery_offer(folder, rows, resource))
    return offers


def items(space, actor) -> list[placette.ShowcaseOffer]:
    """The space's photo galleries, then its documents the actor may see, in every folder, most
    recently changed first (the latest 50)."""
    if space is None or not placette.is_enabled(space, PLUGIN):
        return []
    rows = queries.latest_documents(space, actor, 50)
    resources = _resources("document", [r.document.id for r in rows]) if rows else {}
    documents = [_offer(r, resources[str(r.document.id)]) for r in rows
                 if str(r.document.id) in resources]
    return _galleries(space, actor) + documents


def _gallery_item(space, resource, actor) -> placette.ShowcaseOffer | None:
    folder = next((f for f in queries.folders_of(space, actor)
                   if str(f.id) == resource.object_id), None)
    if folder is None:
        return None
    rows = queries.gallery(space, folder, actor)
    return _gallery_offer(folder, rows, resource) if rows else None


def item(resource, actor) -> placette.ShowcaseOffer | None:
    if resource.plugin != PLUGIN or resource.kind not in ("document", "folder"):
        return None
    space = placette.Space.get_by_id(resource.space_id)
    if not placette.is_enabled(space, PLUGIN):
        return None
    if resource.kind == "folder":
        return _gallery_item(space, resource, actor)
    row = queries.document_with_version(space, int(resource.object_id), actor)
    return None if row is None else _offer(row, resource)
