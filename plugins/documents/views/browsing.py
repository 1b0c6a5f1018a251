"""Browsing the library: a folder's listing, the photo gallery, one photo, a document's page."""
from __future__ import annotations

from flask import abort, redirect, render_template, url_for

import placette

from .. import queries, visibility
from ..forms import ConfirmForm, FolderForm, ValidateForm, VersionForm
from ..models import Attachment, Folder
from . import bp
from .common import _actor, _allowed, _document_or_404, _folder_or_404, _page
from .filters import label_table


def _listing(space, folder: Folder | None):
    actor = _actor()  # once: folders and rows are checked one by one
    folders = queries.folders_of(space, actor)
    paths = queries.folder_paths(folders)
    children = [f for f in folders if f.parent_id == (folder.id if folder else None)]
    page = _page()
    rows, total = queries.folder_table(space, folder, actor, page)
    label_table(rows)
    has_images = any(r.document.kind == "image" for r in rows)
    target = folder or space
    can_upload = _allowed("documents.document.upload", target)
    can_folders = _allowed("documents.folder.manage", target)
    undescribed = 0
    if can_upload and has_images:
        undescribed = sum(1 for r in rows if r.document.kind == "image" and not
                          r.document.alt_text)
    folder_form = None
    if can_folders:  # the "new folder" form is only shown to those who may create one
        folder_form = FolderForm()
        folder_form.visibility.choices = visibility.choices(
            actor, space, folder.visibility if folder else None)
    return render_template(
        "documents/folder.html", space=space, folder=folder, children=children,
        path=paths.get(folder.id, []) if folder else [], rows=rows, total=total, page=page,
        per_page=queries.PER_PAGE, can_upload=can_upload, can_folders=can_folders,
        has_images=has_images, undescribed=undescribed, folder_form=folder_form,
        confirm=ConfirmForm())


@bp.route("/")
def index(space):
    return _listing(space, None)


@bp.route("/folders/<int:folder_id>")
def folder(space, folder_id):
    return _listing(space, _folder_or_404(space, folder_id))


@bp.route("/gallery")
@bp.route("/folders/<int:folder_id>/gallery")
def gallery(space, folder_id=None):
    folder = _folder_or_404(space, folder_id)
    rows = queries.gallery(space, folder, _actor())
    folders = queries.folders_of(space, _actor()) if folder else []
    path = queries.folder_paths(folders).get(folder.id, []) if folder else []
    target = folder or space
    missing = queries.undescribed_images(space, folder, _actor()) \
        if _allowed("documents.document.upload", target) else []
    return render_template("documents/gallery.html", space=space, folder=folder, rows=rows,
                           path=path, missing=missing)


@bp.route("/photos/<int:document_id>")
def photo(space, document_id):
    document = _document_or_404(space, document_id)
    if document.kind != "image" or not document.alt_text:
        return redirect(url_for(".document", document_id=document.id))
    folder = document.folder if document.folder_id else None
    rows = queries.gallery(space, folder, _actor())
    ids = [r.document.id for r in rows]
    if document.id not in ids:
        abort(404)
    index = ids.index(document.id)
    current = rows[index]
    return render_template(
        "documents/photo.html", space=space, folder=folder, row=current, position=index + 1,
        count=len(rows), previous=rows[index - 1].document if index > 0 else None,
        next=rows[index + 1].document if index + 1 < len(rows) else None)


# -- one document -------------------------------------------------------------------------------

@bp.route("/files/<int:document_id>")
def document(space, document_id):
    row = queries.document_with_version(space, document_id, _actor())
    if row is None:
        abort(404)
    doc = row.document
    doc.space = space
    versions = queries.versions_of(doc)
    folders = queries.folders_of(space, _actor())
    path = queries.folder_paths(folders).get(doc.folder_id, []) if doc.folder_id else []
    attached_to = [a.resource for a in Attachment.select(Attachment, placette.Resource)
                   .join(placette.Resource)
                   .where((Attachment.document == doc.id)
                          & placette.moderation_clause(_actor()))
                   if placette.can(_actor(), "view", a.resource)]
    validator = None
    if doc.validated_by_id:
        validator = placette.User.get_or_none(placette.User.id == doc.validated_by_id)
    moderation = placette.moderation_state("documents", "document", doc.id)
    return render_template(
        "documents/document.html", space=space, row=row, doc=doc, versions=versions,
        path=path, attached_to=attached_to, validator=validator, moderation=moderation,
        resource=moderation.resource,
        can_edit=_allowed("documents.document.edit", doc),
        can_delete=_allowed("documents.document.delete", doc),
        can_validate=_allowed("documents.document.validate", doc),
        version_form=VersionForm(), confirm=ConfirmForm(), validate_form=ValidateForm())
