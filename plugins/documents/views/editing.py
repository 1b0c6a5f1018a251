"""Changing one document: new and restored versions, its details, deletion, the city's mark."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for

from placette import _

from .. import library, queries, visibility
from ..forms import ConfirmForm, EditForm, ValidateForm, VersionForm
from . import bp
from .common import _actor, _allowed, _document_or_404, _folder_choices, _incoming, _require


@bp.route("/files/<int:document_id>/versions", methods=["POST"])
def new_version(space, document_id):
    doc = _document_or_404(space, document_id)
    _require("documents.document.edit", doc)
    if not VersionForm().validate_on_submit():
        abort(400)
    items = _incoming("file")
    if len(items) != 1:
        flash(_("Choose one file for the new version."), "error")
        return redirect(url_for(".document", document_id=doc.id))
    try:
        version = library.add_version(doc, _actor(), items[0])
    except library.LibraryError as exc:
        flash(exc.message, "error")
    else:
        flash(_("Version %(number)s added.", number=version.number), "success")
    return redirect(url_for(".document", document_id=doc.id))


@bp.route("/files/<int:document_id>/versions/<int:number>/restore", methods=["POST"])
def restore(space, document_id, number):
    doc = _document_or_404(space, document_id)
    _require("documents.document.edit", doc)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        version = library.restore_version(doc, _actor(), number)
    except library.LibraryError:
        abort(404)
    flash(_("Version %(old)s restored as version %(new)s.", old=number, new=version.number),
          "success")
    return redirect(url_for(".document", document_id=doc.id))


@bp.route("/files/<int:document_id>/edit", methods=["GET", "POST"])
def edit(space, document_id):
    doc = _document_or_404(space, document_id)
    _require("documents.document.edit", doc)
    folders = queries.folders_of(space, _actor())
    writable = [f for f in folders if _allowed("documents.document.upload", f)]
    form = EditForm(obj=doc) if request.method == "GET" else EditForm()
    form.folder.choices = _folder_choices(space, writable)
    chosen = form.folder.data if request.method == "POST" else str(doc.folder_id or "")
    target_folder = None
    if chosen:
        target_folder = next((f for f in writable if str(f.id) == chosen), None)
        if target_folder is None:
            abort(404)
    form.visibility.choices = visibility.choices(
        _actor(), space, target_folder.visibility if target_folder else None)
    if request.method == "GET":
        form.folder.data = chosen
        form.visibility.data = doc.visibility or ""
        form.tags.data = ", ".join(queries.tags_of([doc.id]).get(doc.id, []))
    error = None
    if request.method == "POST" and form.validate_on_submit():
        try:
            library.edit(doc, _actor(), title=form.title.data,
                         description=form.description.data or "",
                         alt_text=form.alt_text.data or "", tags=form.tags.data or "",
                         visibility_value=form.visibility.data or None, folder=target_folder)
        except library.LibraryError as exc:
            error = exc.message
        else:
            flash(_("Changes saved."), "success")
            return redirect(url_for(".document", document_id=doc.id))
    return render_template("documents/edit.html", space=space, doc=doc, form=form,
                           error=error), (422 if error or form.errors else 200)


@bp.route("/files/<int:document_id>/delete", methods=["POST"])
def delete(space, document_id):
    doc = _document_or_404(space, document_id)
    _require("documents.document.delete", doc)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    folder_id = doc.folder_id
    library.delete(doc, _actor())
    flash(_("The document was deleted."), "success")
    return redirect(url_for(".folder", folder_id=folder_id) if folder_id else url_for(".index"))


@bp.route("/files/<int:document_id>/validate", methods=["POST"])
def validate(space, document_id):
    doc = _document_or_404(space, document_id)
    _require("documents.document.validate", doc)
    form = ValidateForm()
    if not form.validate_on_submit():
        abort(400)
    library.set_validated(doc, _actor(), bool(form.validated.data))
    flash(_("Marked as validated by the city.") if form.validated.data
          else _("The validation mark was removed."), "success")
    return redirect(url_for(".document", document_id=doc.id))
