"""Serving stored files: downloads of a document's versions, thumbnails and web copies."""
from __future__ import annotations

from flask import abort

from .. import library
from ..models import Document, Version
from . import bp
from .common import _document_or_404


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
    from ..downloads import send_stored
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
