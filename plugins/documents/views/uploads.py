"""Uploading documents, then describing the photos just uploaded."""
from __future__ import annotations

from flask import abort, flash, jsonify, redirect, render_template, request, url_for

import placette
from placette import _

from .. import library, queries, visibility
from ..filetypes import TYPES
from ..forms import ConfirmForm, UploadForm
from ..models import Document
from ..settings import space_settings
from . import bp
from .common import (_actor, _allowed, _folder_choices, _folder_or_404, _incoming, _require,
                     _wants_json)


def _upload_form(space):
    form = UploadForm()
    folders = queries.folders_of(space, _actor())
    writable = [f for f in folders if _allowed("documents.document.upload", f)]
    form.folder.choices = _folder_choices(space, writable)
    return form, {f.id: f for f in writable}


@bp.route("/upload", methods=["GET", "POST"])
def upload(space):
    if not _actor().is_authenticated:
        abort(401)
    form, _writable = _upload_form(space)
    raw_folder = (form.folder.data if request.method == "POST"
                  else request.args.get("folder")) or ""
    folder = None
    if raw_folder:
        folder_id = placette.parse_id(raw_folder)
        if folder_id is None:
            abort(404)
        folder = _folder_or_404(space, folder_id)
    _require("documents.document.upload", folder or space)
    if request.method == "GET":
        form.folder.data = raw_folder
    form.visibility.choices = visibility.choices(_actor(), space,
                                                 folder.visibility if folder else None)
    settings = space_settings(space)
    errors: list[tuple[str, str, str]] = []
    status = 200
    if request.method == "POST" and form.validate_on_submit():
        try:
            created = library.upload(
                space, _actor(), _incoming("files"), folder=folder,
                title=form.title.data or "", description=form.description.data or "",
                tags=form.tags.data or "", visibility_value=form.visibility.data or None,
                alt_text=form.alt_text.data or "")
        except library.LibraryError as exc:
            if _wants_json():
                return jsonify({"error": {"code": exc.code, "message": exc.message,
                                          "details": [{"file": n, "code": c, "message": m}
                                                      for n, c, m in exc.errors]}}), exc.status
            errors = exc.errors or [("", exc.code, exc.message)]
            status = exc.status
        else:
            undescribed = [d.id for d in created if d.kind == "image" and not d.alt_text]
            back = url_for(".folder", folder_id=folder.id) if folder else url_for(".index")
            target = url_for(".describe", ids=",".join(map(str, undescribed))) \
                if undescribed else back
            if _wants_json():
                return jsonify({"documents": [{"id": d.id, "title": d.title,
                                               "url": library.document_url(d, space)}
                                              for d in created], "next": target,
                                "back": back, "describe": undescribed}), 201
            flash(placette.ngettext("%(num)s document added.", "%(num)s documents added.",
                                    len(created)), "success")
            return redirect(target)
    elif request.method == "POST":
        status = 400
    accept = ",".join(ext for key in settings.allowed_types if key in TYPES
                      for ext in TYPES[key].extensions)
    return render_template("documents/upload.html", space=space, form=form, folder=folder,
                           errors=errors, settings=settings, accept=accept), status


@bp.route("/describe", methods=["GET", "POST"])
def describe(space):
    """Give photos their text alternative (and caption) right after uploading them."""
    raw = (request.values.get("ids") or "")[:2000]
    ids = [i for i in (placette.parse_id(p.strip()) for p in raw.split(",")) if i][:100]
    documents = []
    for doc in queries.not_moderated(
            Document.select().where((Document.id.in_(ids)) & (Document.space == space.id)
                                    & (Document.kind == "image")), _actor()):
        doc.space = space  # loaded already: no query per permission check
        if placette.can(_actor(), "documents.document.edit", doc):
            documents.append(doc)
    if not documents:
        abort(404)
    form = ConfirmForm()
    missing: set[int] = set()
    if request.method == "POST" and form.validate_on_submit():
        for doc in documents:
            alt = (request.form.get(f"alt-{doc.id}") or "").strip()[:500]
            if not alt:
                missing.add(doc.id)
        if not missing:
            for doc in documents:
                library.edit(doc, _actor(),
                             alt_text=request.form.get(f"alt-{doc.id}", "")[:500],
                             description=request.form.get(f"caption-{doc.id}", "")[:5000])
            flash(_("The photos are described: they now appear in the gallery."), "success")
            first = documents[0]
            return redirect(url_for(".folder", folder_id=first.folder_id) if first.folder_id
                            else url_for(".index"))
    return render_template("documents/describe.html", space=space, documents=documents,
                           form=form, missing=missing, ids=",".join(str(d.id) for d in documents)
                           ), (422 if missing else 200)
