"""Creating, renaming and deleting folders."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for

import placette
from placette import _

from .. import library, visibility
from ..forms import ConfirmForm, FolderForm
from . import bp
from .common import _actor, _folder_or_404, _require


@bp.route("/folders", methods=["POST"])
def create_folder(space):
    form = FolderForm()
    parent = None
    if form.parent.data:
        parent_id = placette.parse_id(str(form.parent.data))
        if parent_id is None:
            abort(404)
        parent = _folder_or_404(space, parent_id)
    _require("documents.folder.manage", parent or space)
    form.visibility.choices = visibility.choices(_actor(), space,
                                                 parent.visibility if parent else None)
    if not form.validate_on_submit():
        flash(_("A folder name is required."), "error")
    else:
        try:
            created = library.create_folder(space, _actor(), form.name.data, parent,
                                            form.visibility.data or None)
        except library.LibraryError as exc:
            flash(exc.message, "error")
        else:
            flash(_("Folder %(name)s created.", name=created.name), "success")
            return redirect(url_for(".folder", folder_id=created.id))
    return redirect(url_for(".folder", folder_id=parent.id) if parent else url_for(".index"))


@bp.route("/folders/<int:folder_id>/edit", methods=["GET", "POST"])
def edit_folder(space, folder_id):
    folder = _folder_or_404(space, folder_id)
    _require("documents.folder.manage", folder)
    form = FolderForm(obj=folder) if request.method == "GET" else FolderForm()
    form.visibility.choices = visibility.choices(
        _actor(), space, folder.parent.visibility if folder.parent_id else None)
    if request.method == "GET":
        form.visibility.data = folder.visibility or ""
    error = None
    if request.method == "POST" and form.validate_on_submit():
        try:
            library.edit_folder(folder, _actor(), form.name.data,
                                form.visibility.data or None)
        except library.LibraryError as exc:
            error = exc.message
        else:
            flash(_("Changes saved."), "success")
            return redirect(url_for(".folder", folder_id=folder.id))
    return render_template("documents/folder_edit.html", space=space, folder=folder, form=form,
                           error=error, confirm=ConfirmForm()), (422 if error else 200)


@bp.route("/folders/<int:folder_id>/delete", methods=["POST"])
def delete_folder(space, folder_id):
    folder = _folder_or_404(space, folder_id)
    _require("documents.folder.manage", folder)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    parent_id = folder.parent_id
    try:
        library.delete_folder(folder, _actor())
    except library.LibraryError as exc:
        flash(exc.message, "error")
        return redirect(url_for(".folder", folder_id=folder.id))
    flash(_("The folder was deleted."), "success")
    return redirect(url_for(".folder", folder_id=parent_id) if parent_id else url_for(".index"))
