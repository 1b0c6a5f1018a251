"""RGPD: what the library keeps about a person, and how it forgets them.

Documents are the council's memory, so erasing an account does not delete what the person
shared: authorship, uploads, validations and attachments are anonymised (set to nobody).  The
export lists everything the person added, with links.
"""
from __future__ import annotations

import placette

from .models import Attachment, Document, Folder, Version


def _iso(value):
    return value.isoformat() if value is not None else None


def export(user) -> dict:
    documents = (Document.select(Document, Version, placette.Space)
                 .join(Version, on=(Version.id == Document.current_version_id))
                 .switch(Document).join(placette.Space)
                 .where(Document.author == user.id).order_by(Document.created_at))
    versions = (Version.select(Version, Document).join(Document)
                .where(Version.uploaded_by == user.id).order_by(Version.created_at))
    return {
        "documents_authored": [
            {"id": d.id, "title": d.title, "description": d.description,
             "file_name": d.version.file_name, "space_id": d.space_id,
             "url": f"/s/{d.space.slug}/documents/files/{d.id}", "created_at": _iso(d.created_at)}
            for d in documents],
        "versions_uploaded": [
            {"document_id": v.document_id, "document_title": v.document.title,
             "version": v.number, "file_name": v.file_name, "size": v.size,
             "created_at": _iso(v.created_at)} for v in versions],
        "documents_validated": [
            {"id": d.id, "title": d.title, "validated_at": _iso(d.validated_at)}
            for d in Document.select().where(Document.validated_by == user.id)],
        "folders_created": [{"id": f.id, "name": f.name, "created_at": _iso(f.created_at)}
                            for f in Folder.select().where(Folder.created_by == user.id)],
        "attachments_made": Attachment.select().where(Attachment.created_by == user.id).count(),
    }


def erase(user) -> None:
    Document.update(author=None).where(Document.author == user.id).execute()
    Document.update(validated_by=None).where(Document.validated_by == user.id).execute()
    Version.update(uploaded_by=None).where(Version.uploaded_by == user.id).execute()
    Folder.update(created_by=None).where(Folder.created_by == user.id).execute()
    Attachment.update(created_by=None).where(Attachment.created_by == user.id).execute()
