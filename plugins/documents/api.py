"""JSON API under ``/api/v1/spaces/<slug>/documents/`` (in the one OpenAPI document).

Same rules as the pages: what the caller may not see answers 404, uploads are multipart (all the
files of a request are stored, or none, with each refusal listed in ``error.details``).
"""
from __future__ import annotations

import datetime as dt

from flask import request
from flask_login import current_user
from pydantic import BaseModel, ConfigDict, Field

import placette

from . import library, queries
from .models import Folder, Version

MAX_PAGE = 500

UPLOAD_BODY = {"required": True, "content": {"multipart/form-data": {"schema": {
    "type": "object", "required": ["file"],
    "properties": {
        "file": {"type": "array", "items": {"type": "string", "format": "binary"},
                 "description": "one or more files (repeat the field)"},
        "folder_id": {"type": "integer", "minimum": 1, "maximum": placette.MAX_ID},
        "title": {"type": "string", "description": "used when one file is sent"},
        "description": {"type": "string"},
        "alt_text": {"type": "string", "description": "text alternative of an image"},
        "tags": {"type": "string", "description": "comma-separated"},
        "visibility": {"type": "string",
                       "enum": ["", "public", "network", "members", "animators"]}}}}}}
# Downloads are conditional and answer ranges (werkzeug's send_file, see downloads.py).
DOWNLOAD_STATUSES = {206: "the range asked for (Range header)",
                     304: "not modified since the ETag or date sent",
                     416: "the range asked for is outside the file"}
VERSION_BODY = {"required": True, "content": {"multipart/form-data": {"schema": {
    "type": "object", "required": ["file"],
    "properties": {"file": {"type": "string", "format": "binary"}}}}}}


class FileOut(BaseModel):
    name: str
    type: str
    mime: str
    size: int
    version: int
    sha256: str


class VersionOut(BaseModel):
    number: int
    file_name: str
    type: str
    size: int
    uploaded_by: str | None
    created_at: dt.datetime
    restored_from: int | None
    download_url: str


class DocumentOut(BaseModel):
    id: int
    title: str
    description: str
    alt_text: str
    tags: list[str]
    visibility: str | None
    kind: str
    folder_id: int | None
    author: str | None
    validated: bool
    validated_at: dt.datetime | None
    created_at: dt.datetime
    updated_at: dt.datetime
    url: str
    download_url: str
    file: FileOut


class DocumentPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: placette.OneLineStr | None = Field(None, max_length=300)
    description: str | None = Field(None, max_length=5000)
    alt_text: placette.OneLineStr | None = Field(None, max_length=500)
    tags: list[str] | None = None
    visibility: str | None = None
    folder_id: placette.Id | None = None
    validated: bool | None = None


class FolderOut(BaseModel):
    id: int
    name: str
    parent_id: int | None
    visibility: str | None


class FolderIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: placette.OneLineStr = Field(min_length=1, max_length=150)
    parent_id: placette.Id | None = None
    visibility: str | None = None


def _error(exc: library.LibraryError) -> placette.ApiError:
    details = [{"file": n, "code": c, "message": m} for n, c, m in exc.errors] or None
    return placette.ApiError(exc.status, exc.code, exc.message, details)


def _base(space) -> str:
    return f"/api/v1/spaces/{space.slug}/documents/files"


def document_out(space, row: queries.Row) -> dict:
    doc, version = row.document, row.version
    author = getattr(doc, "author", None) if doc.author_id else None
    return {
        "id": doc.id, "title": doc.title, "description": doc.description,
        "alt_text": doc.alt_text, "tags": row.tags, "visibility": doc.visibility,
        "kind": doc.kind, "folder_id": doc.folder_id,
        "author": author.display_name if author is not None else None,
        "validated": doc.validated_at is not None, "validated_at": doc.validated_at,
        "created_at": doc.created_at, "updated_at": doc.updated_at,
        "url": library.document_url(doc, space),
        "download_url": f"{_base(space)}/{doc.id}/download",
        "file": {"name": version.file_name, "type": version.file_type, "mime": version.mime,
                 "size": version.size, "version": version.number, "sha256": version.sha256},
    }


def _row_or_404(space, document_id: int) -> queries.Row:
    row = queries.document_with_version(space, document_id, current_user)
    if row is None:
        raise placette.ApiError(404, "not_found", "not found")
    row.document.space = space
    return row


def _folder_or_404(space, folder_id, invalid: int = 422) -> Folder | None:
    """The folder ``folder_id`` names (None: the top level); ``invalid`` is the status of a
    value that is no id (400 in a query string, 422 in a body)."""
    if folder_id in (None, ""):
        return None
    number = folder_id if isinstance(folder_id, int) else placette.parse_id(str(folder_id))
    if number is None:
        code = "invalid_parameter" if invalid == 400 else "invalid_body"
        raise placette.ApiError(invalid, code, "folder_id must be a positive integer")
    folder = Folder.get_or_none((Folder.id == number) & (Folder.space == space.id))
    if folder is None or not placette.can(current_user, "view", folder):
        raise placette.ApiError(404, "not_found", "not found")
    return folder


def _deny(action: str, target) -> None:
    if not placette.can(current_user, action, target):
        if not current_user.is_authenticated:
            raise placette.ApiError(401, "unauthenticated",
                                    "sign in or send Authorization: Bearer TOKEN")
        raise placette.ApiError(403, "forbidden", "you may not do this here")


def _number(name: str, default: int, high: int) -> int:
    raw = request.args.get(name, str(default))
    if not (len(raw) <= 9 and raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= high:
        raise placette.ApiError(400, "invalid_parameter", f"{name} must be an integer from 1 "
                                f"to {high}")
    return int(raw)


def register(api) -> None:
    route = api.space_route

    @route("documents", "/files", summary="Documents of a space's library (one folder)",
           response=list[DocumentOut], query={
               "folder_id": "folder (default: the top level)", "page": "page number",
               "per_page": f"items per page (1-{MAX_PAGE}, default 100)"})
    def list_files(space):
        folder = _folder_or_404(space, request.args.get("folder_id"), invalid=400)
        page, per_page = _number("page", 1, 1_000_000), _number("per_page", 100, MAX_PAGE)
        rows, total = queries.folder_documents(space, folder, current_user, page, per_page,
                                               with_author=True)
        from flask import jsonify
        response = jsonify([document_out(space, r) for r in rows])
        response.headers["X-Total-Count"] = str(total)
        return response

    @route("documents", "/files", methods=["POST"], status=201, auth="required",
           response=list[DocumentOut], request_body=UPLOAD_BODY,
           summary="Upload one or more files (multipart/form-data, field 'file')")
    def upload_files(space):
        folder = _folder_or_404(space, request.form.get("folder_id"))
        _deny("documents.document.upload", folder or space)
        items = [library.Incoming(f.stream, f.filename or "")
                 for f in request.files.getlist("file") if (f.filename or "").strip()]
        try:
            created = library.upload(
                space, current_user, items, folder=folder, title=request.form.get("title", ""),
                description=request.form.get("description", ""),
                tags=request.form.get("tags", ""),
                visibility_value=request.form.get("visibility") or None,
                alt_text=request.form.get("alt_text", ""))
        except library.LibraryError as exc:
            raise _error(exc) from None
        rows = [_row_or_404(space, d.id) for d in created]
        return [document_out(space, r) for r in rows], 201

    @route("documents", "/files/<int:document_id>", summary="One document",
           response=DocumentOut)
    def get_file(space, document_id):
        return document_out(space, _row_or_404(space, document_id))

    @route("documents", "/files/<int:document_id>", methods=["PATCH"], body=DocumentPatch,
           response=DocumentOut, auth="required",
           summary="Change a document's title, description, tags, folder, visibility, mark")
    def patch_file(space, document_id, body: DocumentPatch):
        row = _row_or_404(space, document_id)
        doc = row.document
        fields = body.model_fields_set
        if "validated" in fields:
            _deny("documents.document.validate", doc)
        if fields - {"validated"}:
            _deny("documents.document.edit", doc)
        folder = _folder_or_404(space, body.folder_id) if "folder_id" in fields else False
        try:
            if fields - {"validated"}:
                library.edit(doc, current_user, title=body.title, description=body.description,
                             alt_text=body.alt_text, tags=body.tags,
                             visibility_value=(body.visibility or None) if "visibility" in fields
                             else False, folder=folder)
            if "validated" in fields and body.validated is not None:
                library.set_validated(doc, current_user, body.validated)
        except library.LibraryError as exc:
            raise _error(exc) from None
        return document_out(space, _row_or_404(space, document_id))

    @route("documents", "/files/<int:document_id>", methods=["DELETE"], status=204,
           auth="required", summary="Delete a document and all its versions")
    def delete_file(space, document_id):
        row = _row_or_404(space, document_id)
        _deny("documents.document.delete", row.document)
        library.delete(row.document, current_user)
        return None

    def _download(space, document_id, number=None):
        from .views.files import _serve
        row = _row_or_404(space, document_id)
        version = row.version if number is None else Version.get_or_none(
            (Version.document == row.document.id) & (Version.number == number))
        if version is None:
            raise placette.ApiError(404, "not_found", "not found")
        return _serve(space, row.document, version)

    @route("documents", "/files/<int:document_id>/download", content_type="*/*",
           statuses=DOWNLOAD_STATUSES, summary="The current file (range requests supported)")
    def download_file(space, document_id):
        return _download(space, document_id)

    @route("documents", "/files/<int:document_id>/versions", response=list[VersionOut],
           summary="Every version of a document, newest first")
    def list_versions(space, document_id):
        row = _row_or_404(space, document_id)
        return [{"number": v.number, "file_name": v.file_name, "type": v.file_type,
                 "size": v.size, "created_at": v.created_at, "restored_from": v.restored_from,
                 "uploaded_by": v.uploaded_by.display_name if v.uploaded_by_id else None,
                 "download_url": f"{_base(space)}/{document_id}/versions/{v.number}/download"}
                for v in queries.versions_of(row.document)]

    @route("documents", "/files/<int:document_id>/versions", methods=["POST"], status=201,
           auth="required", request_body=VERSION_BODY, response=DocumentOut,
           summary="Upload a new version (multipart/form-data, field 'file')")
    def post_version(space, document_id):
        row = _row_or_404(space, document_id)
        _deny("documents.document.edit", row.document)
        items = [library.Incoming(f.stream, f.filename or "")
                 for f in request.files.getlist("file") if (f.filename or "").strip()]
        if len(items) != 1:
            raise placette.ApiError(422, "one_file", "send exactly one file in the field 'file'")
        try:
            library.add_version(row.document, current_user, items[0])
        except library.LibraryError as exc:
            raise _error(exc) from None
        return document_out(space, _row_or_404(space, document_id)), 201

    @route("documents", "/files/<int:document_id>/versions/<int:number>/download",
           content_type="*/*", statuses=DOWNLOAD_STATUSES, summary="One version's file")
    def download_version(space, document_id, number):
        return _download(space, document_id, number)

    @route("documents", "/files/<int:document_id>/versions/<int:number>/restore",
           methods=["POST"], status=201, auth="required", response=DocumentOut,
           summary="Make an old version current again (as a new version)")
    def restore_version(space, document_id, number):
        row = _row_or_404(space, document_id)
        _deny("documents.document.edit", row.document)
        try:
            library.restore_version(row.document, current_user, number)
        except library.LibraryError as exc:
            raise _error(exc) from None
        return document_out(space, _row_or_404(space, document_id)), 201

    @route("documents", "/folders", response=list[FolderOut],
           summary="Every folder of the library the caller may see")
    def list_folders(space):
        return [{"id": f.id, "name": f.name, "parent_id": f.parent_id,
                 "visibility": f.visibility} for f in queries.folders_of(space, current_user)]

    @route("documents", "/folders", methods=["POST"], body=FolderIn, status=201,
           response=FolderOut, auth="required", summary="Create a folder")
    def create_folder(space, body: FolderIn):
        parent = _folder_or_404(space, body.parent_id)
        _deny("documents.folder.manage", parent or space)
        try:
            folder = library.create_folder(space, current_user, body.name, parent,
                                           body.visibility)
        except library.LibraryError as exc:
            raise _error(exc) from None
        return {"id": folder.id, "name": folder.name, "parent_id": folder.parent_id,
                "visibility": folder.visibility}, 201


