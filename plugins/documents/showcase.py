"""What documents offers the public window (the showcase plugin): a document, its description
and the bytes of its current version (read once, when the showcase copies it to its public
store -- the private file is never served from there)."""
from __future__ import annotations

import datetime as dt

import placette
from markupsafe import escape

from . import queries
from .library import storage

PLUGIN = "documents"


def _file(version) -> placette.ShowcaseFile:
    key = version.storage_key

    def read() -> bytes:
        with storage().open(key) as handle:
            return handle.read()

    return placette.ShowcaseFile(name=version.file_name, content_type=version.mime, read=read)


def _offer(row, resource) -> placette.ShowcaseOffer:
    document, version = row.document, row.version
    body = str(placette.render_markdown(document.description or ""))
    if document.kind == "image" and document.alt_text:
        label = placette._("Image description:")
        body += f"<p>{escape(label)} {escape(document.alt_text)}</p>"
    moment = document.validated_at or document.updated_at
    return placette.ShowcaseOffer(
        resource=resource, category="document", title=document.title, body_html=body,
        summary=placette.plain_text(document.description or "", 280),
        decided_at=moment.replace(tzinfo=dt.timezone.utc) if moment else None,
        files=(_file(version),))


def items(space, actor) -> list[placette.ShowcaseOffer]:
    """The space's documents the actor may see, newest first (the latest 50)."""
    if space is None or not placette.is_enabled(space, PLUGIN):
        return []
    rows, _total = queries.folder_documents(space, None, actor, per_page=50)
    found = [r for r in rows]
    if not found:
        return []
    resources = {r.object_id: r for r in placette.Resource.select().where(
        (placette.Resource.plugin == PLUGIN) & (placette.Resource.kind == "document")
        & placette.Resource.object_id.in_([str(r.document.id) for r in found]))}
    return [_offer(r, resources[str(r.document.id)]) for r in found
            if str(r.document.id) in resources]


def item(resource, actor) -> placette.ShowcaseOffer | None:
    if resource.plugin != PLUGIN or resource.kind != "document":
        return None
    space = placette.Space.get_by_id(resource.space_id)
    if not placette.is_enabled(space, PLUGIN):
        return None
    row = queries.document_with_version(space, int(resource.object_id), actor)
    return None if row is None else _offer(row, resource)
