"""The library's pages under ``/s/<space>/documents/`` (the blueprint answers 404 where the
space is not readable or the module is off).  Every document and folder is looked up through
``placette.can()``: what one may not see answers 404, files included.  A document hidden or pending
in moderation is 404 too -- page, downloads, thumbnails -- except for its author and the space's
animators, who see why on its page."""
from __future__ import annotations

from urllib.parse import urlparse

from flask import (abort, flash, jsonify, redirect, render_template, request, url_for)
from flask_login import current_user

import placette
from placette import _

from . import library, queries, visibility
from .filetypes import TYPES
from .forms import (AttachForm, ConfirmForm, EditForm, FolderForm, UploadForm, ValidateForm,
                    VersionForm)
from .models import Attachment, Document, Folder, Version
from .settings import space_settings

bp = placette.space_blueprint("documents", __name__)


# -- lookups ------------------------------------------------------------------------------------

def _folder_or_404(space, folder_id: int | None) -> Folder | None:
    if folder_id is None:
        return None
    folder = Folder.get_or_none((Folder.id == folder_id) & (Folder.space == space.id))
    if folder is None:
        abort(404)
    folder.space = space  # already loaded: no query for the permission check
    if not placette.can(current_user, "view", folder):
        abort(404)
    return folder


def _document_or_404(space, document_id: int) -> Document:
    document = queries.not_moderated(
        Document.select().where((Document.id == document_id) & (Document.space == space.id)),
        current_user).first()
    if document is None or not placette.can(current_user, "view", document):
        abort(404)
    document.space = space  # already loaded: no query per permission check
    return document


def _allowed(action: str, target) -> bool:
    return placette.can(current_user._get_current_object(), action, target)


def _require(action: str, target) -> None:
    placette.require(current_user, action, target)


def _page() -> int:
    raw = request.args.get("page", "1")
    return int(raw) if raw.isdigit() and 0 < int(raw) < 100000 else 1


def _folder_choices(space, folders, include_root=True) -> list[tuple[str, str]]:
    paths = queries.folder_paths(folders)
    options = [("", _("Library (top level)"))] if include_root else []
    for folder in sorted(folders, key=lambda f: [p.name.lower() for p in paths[f.id]]):
        options.append((str(folder.id), " / ".join(p.name for p in paths[folder.id])))
    return options


def _wants_json() -> bool:
    return request.headers.get("X-Requested-With") == "XMLHttpRequest"


def _size(value: int | None) -> str:
    if value is None:
        return ""
    if value < 1024:
        return _("%(n)s bytes", n=value)
    if value < 1024 * 1024:
        return _("%(n)s KB", n=round(value / 1024))
    return _("%(n)s MB", n=round(value / (1024 * 1024), 1))


@bp.app_template_filter("documents_size")
def size_filter(value):
    return _size(value)


@bp.app_template_global("documents_type_label")
def type_label(key: str) -> str:
    return TYPES[key].label if key in TYPES else key


@bp.app_template_global("documents_visibility_label")
def visibility_label(value: str | None) -> str:
    return str(visibility.LABELS.get(value, value))


# -- browsing -----------------------------------------------------------------------------------

def _listing(space, folder: Folder | None):
    actor = current_user._get_current_object()  # once: folders and rows are checked one by one
    folders = queries.folders_of(space, actor)
    paths = queries.folder_paths(folders)
    children = [f for f in folders if f.parent_id == (folder.id if folder else None)]
    page = _page()
    rows, total = queries.folder_documents(space, folder, actor, page)
    has_images = any(r.document.kind == "image" for r in rows)
    target = folder or space
    can_upload = _allowed("documents.document.upload", target)
    can_folders = _allowed("documents.folder.manage", target)
    undescribed = 0
    if can_upload and has_images:
        undescribed = sum(1 for r in rows if r.document.kind == "image" and not
                          r.document.alt_text)
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
    rows = queries.gallery(space, folder, current_user)
    folders = queries.folders_of(space, current_user) if folder else []
    path = queries.folder_paths(folders).get(folder.id, []) if folder else []
    target = folder or space
    missing = queries.undescribed_images(space, folder, current_user) \
        if _allowed("documents.document.upload", target) else []
    return render_template("documents/gallery.html", space=space, folder=folder, rows=rows,
                           path=path, missing=missing)


@bp.route("/photos/<int:document_id>")
def photo(space, document_id):
    document = _document_or_404(space, document_id)
    if document.kind != "image" or not document.alt_text:
        return redirect(url_for(".document", document_id=document.id))
    folder = document.folder if document.folder_id else None
    rows = queries.gallery(space, folder, current_user)
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
    row = queries.document_with_version(space, document_id, current_user)
    if row is None:
        abort(404)
    doc = row.document
    doc.space = space
    versions = queries.versions_of(doc)
    folders = queries.folders_of(space, current_user)
    path = queries.folder_paths(folders).get(doc.folder_id, []) if doc.folder_id else []
    attached_to = [a.resource for a in Attachment.select(Attachment, placette.Resource)
                   .join(placette.Resource)
                   .where((Attachment.document == doc.id)
                          & placette.moderation_clause(current_user))
                   if placette.can(current_user, "view", a.resource)]
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


def _serve(space, doc: Document, version: Version, variant: str = "file"):
    store = library.storage()
    public = space.visibility == "public" and doc.visibility in (None, "public")
    if variant == "file":
        return _send(store, version.storage_key, version.mime, version.file_name,
                     version.file_type, public, version.sha256)
    key = version.thumb_key if variant == "thumb" else version.web_key
    if not key:
        abort(404)
    extension = key.rsplit(".", 1)[-1]
    mime = "image/png" if extension == "png" else "image/jpeg"
    stem = version.file_name.rsplit(".", 1)[0]
    return _send(store, key, mime, f"{stem}-{variant}.{extension}",
                 "png" if extension == "png" else "jpeg", public,
                 f"{version.sha256}-{variant}")


def _send(*args):
    from .downloads import send_stored
    return send_stored(*args)


@bp.route("/files/<int:document_id>/download")
def download(space, document_id):
    doc = _document_or_404(space, document_id)
    version = Version.get_or_none(Version.id == doc.current_version_id)
    if version is None:
        abort(404)
    return _serve(space, doc, version)


@bp.route("/files/<int:document_id>/versions/<int:number>/download")
def download_version(space, document_id, number):
    doc = _document_or_404(space, document_id)
    version = Version.get_or_none((Version.document == doc.id) & (Version.number == number))
    if version is None:
        abort(404)
    return _serve(space, doc, version)


@bp.route("/files/<int:document_id>/thumbnail")
def thumbnail(space, document_id):
    doc = _document_or_404(space, document_id)
    version = Version.get_or_none(Version.id == doc.current_version_id)
    if version is None:
        abort(404)
    return _serve(space, doc, version, "thumb")


@bp.route("/files/<int:document_id>/web")
def web_copy(space, document_id):
    doc = _document_or_404(space, document_id)
    version = Version.get_or_none(Version.id == doc.current_version_id)
    if version is None:
        abort(404)
    return _serve(space, doc, version, "web")


# -- uploading ----------------------------------------------------------------------------------

def _incoming(field_name: str) -> list[library.Incoming]:
    return [library.Incoming(f.stream, f.filename or "") for f in request.files.getlist(field_name)
            if f is not None and (f.filename or "").strip() != ""]


def _upload_form(space):
    form = UploadForm()
    folders = queries.folders_of(space, current_user)
    writable = [f for f in folders if _allowed("documents.document.upload", f)]
    form.folder.choices = _folder_choices(space, writable)
    return form, {f.id: f for f in writable}


@bp.route("/upload", methods=["GET", "POST"])
def upload(space):
    if not current_user.is_authenticated:
        abort(401)
    form, _writable = _upload_form(space)
    raw_folder = (form.folder.data if request.method == "POST"
                  else request.args.get("folder")) or ""
    folder = None
    if raw_folder:
        if not raw_folder.isdigit():
            abort(404)
        folder = _folder_or_404(space, int(raw_folder))
    _require("documents.document.upload", folder or space)
    if request.method == "GET":
        form.folder.data = raw_folder
    form.visibility.choices = visibility.choices(current_user, space,
                                                 folder.visibility if folder else None)
    settings = space_settings(space)
    errors: list[tuple[str, str, str]] = []
    status = 200
    if request.method == "POST" and form.validate_on_submit():
        try:
            created = library.upload(
                space, current_user, _incoming("files"), folder=folder,
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
    ids = [int(p) for p in raw.split(",") if p.strip().isdigit()][:100]
    documents = []
    for doc in queries.not_moderated(
            Document.select().where((Document.id.in_(ids)) & (Document.space == space.id)
                                    & (Document.kind == "image")), current_user):
        doc.space = space  # loaded already: no query per permission check
        if placette.can(current_user, "documents.document.edit", doc):
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
                library.edit(doc, current_user,
                             alt_text=request.form.get(f"alt-{doc.id}", "")[:500],
                             description=request.form.get(f"caption-{doc.id}", "")[:5000])
            flash(_("The photos are described: they now appear in the gallery."), "success")
            first = documents[0]
            return redirect(url_for(".folder", folder_id=first.folder_id) if first.folder_id
                            else url_for(".index"))
    return render_template("documents/describe.html", space=space, documents=documents,
                           form=form, missing=missing, ids=",".join(str(d.id) for d in documents)
                           ), (422 if missing else 200)


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
        version = library.add_version(doc, current_user, items[0])
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
        version = library.restore_version(doc, current_user, number)
    except library.LibraryError:
        abort(404)
    flash(_("Version %(old)s restored as version %(new)s.", old=number, new=version.number),
          "success")
    return redirect(url_for(".document", document_id=doc.id))


@bp.route("/files/<int:document_id>/edit", methods=["GET", "POST"])
def edit(space, document_id):
    doc = _document_or_404(space, document_id)
    _require("documents.document.edit", doc)
    folders = queries.folders_of(space, current_user)
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
        current_user, space, target_folder.visibility if target_folder else None)
    if request.method == "GET":
        form.folder.data = chosen
        form.visibility.data = doc.visibility or ""
        form.tags.data = ", ".join(queries.tags_of([doc.id]).get(doc.id, []))
    error = None
    if request.method == "POST" and form.validate_on_submit():
        try:
            library.edit(doc, current_user, title=form.title.data,
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
    library.delete(doc, current_user)
    flash(_("The document was deleted."), "success")
    return redirect(url_for(".folder", folder_id=folder_id) if folder_id else url_for(".index"))


@bp.route("/files/<int:document_id>/validate", methods=["POST"])
def validate(space, document_id):
    doc = _document_or_404(space, document_id)
    _require("documents.document.validate", doc)
    form = ValidateForm()
    if not form.validate_on_submit():
        abort(400)
    library.set_validated(doc, current_user, bool(form.validated.data))
    flash(_("Marked as validated by the city.") if form.validated.data
          else _("The validation mark was removed."), "success")
    return redirect(url_for(".document", document_id=doc.id))


# -- folders ------------------------------------------------------------------------------------

@bp.route("/folders", methods=["POST"])
def create_folder(space):
    form = FolderForm()
    parent = None
    if form.parent.data:
        if not str(form.parent.data).isdigit():
            abort(404)
        parent = _folder_or_404(space, int(form.parent.data))
    _require("documents.folder.manage", parent or space)
    form.visibility.choices = visibility.choices(current_user, space,
                                                 parent.visibility if parent else None)
    if not form.validate_on_submit():
        flash(_("A folder name is required."), "error")
    else:
        try:
            created = library.create_folder(space, current_user, form.name.data, parent,
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
        current_user, space, folder.parent.visibility if folder.parent_id else None)
    if request.method == "GET":
        form.visibility.data = folder.visibility or ""
    error = None
    if request.method == "POST" and form.validate_on_submit():
        try:
            library.edit_folder(folder, current_user, form.name.data,
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
        library.delete_folder(folder, current_user)
    except library.LibraryError as exc:
        flash(exc.message, "error")
        return redirect(url_for(".folder", folder_id=folder.id))
    flash(_("The folder was deleted."), "success")
    return redirect(url_for(".folder", folder_id=parent_id) if parent_id else url_for(".index"))


# -- attachments (the resource.attachments slot posts here) -------------------------------------

def _safe_next(default: str) -> str:
    target = request.form.get("next") or ""
    parsed = urlparse(target)
    if target.startswith("/") and not target.startswith("//") and not parsed.netloc:
        return target
    return default


def _resource_or_404(space, raw_id: str):
    if not (raw_id or "").isdigit():
        abort(404)
    resource = placette.Resource.get_or_none((placette.Resource.id == int(raw_id))
                                             & (placette.Resource.space == space.id)
                                             & placette.moderation_clause(current_user))
    if resource is None or not placette.can(current_user, "view", resource):
        abort(404)
    return resource


@bp.route("/attach", methods=["POST"])
def attach(space):
    form = AttachForm()
    resource = _resource_or_404(space, form.resource_id.data)
    _require("documents.document.attach", resource)
    back = _safe_next(resource.url)
    if not form.validate_on_submit():
        abort(400)
    try:
        items = _incoming("files")
        if items:
            _require("documents.document.upload", space)
            documents = library.upload(space, current_user, items)
        elif form.document.data and str(form.document.data).isdigit():
            documents = [_document_or_404(space, int(form.document.data))]
        else:
            raise library.LibraryError("no_file", _("Choose a document or a file."))
        for doc in documents:
            library.attach(doc, resource, current_user)
    except library.LibraryError as exc:
        flash(exc.message, "error")
    else:
        flash(placette.ngettext("%(num)s document attached.", "%(num)s documents attached.",
                                len(documents)), "success")
    return redirect(back)


@bp.route("/attachments/<int:attachment_id>/remove", methods=["POST"])
def detach(space, attachment_id):
    attachment = Attachment.get_or_none(Attachment.id == attachment_id)
    if attachment is None:
        abort(404)
    resource = placette.Resource.get_or_none((placette.Resource.id == attachment.resource_id)
                                             & placette.moderation_clause(current_user))
    _document_or_404(space, attachment.document_id)
    if resource is None or not placette.can(current_user, "view", resource):
        abort(404)
    _require("documents.document.attach", resource)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    library.detach(attachment)
    flash(_("The document was detached."), "success")
    return redirect(_safe_next(resource.url))
