"""Send a stored file -- only ever after the caller has passed ``placette.can()``.

Werkzeug's ``send_file(conditional=True)`` gives ETag/Last-Modified, ``304``s and range requests
(``206``) for large files, and an RFC 6266 ``Content-Disposition`` with ``filename*`` for
non-ASCII names.  Behind nginx or Apache the body can be left to the web server
(``sendfile = "x-accel-redirect"`` or ``"x-sendfile"`` under ``[plugin.documents]``): placette
still decides who gets the file and sets every header.
"""
from __future__ import annotations

from flask import abort, current_app, request
from werkzeug.utils import send_file

from .settings import instance_settings

INLINE_TYPES = {"pdf", "jpeg", "png", "gif", "webp", "txt"}


def send_stored(store, key: str, mime: str, download_name: str, file_type: str,
                public: bool, etag: str | None = None):
    path = store.local_path(key)
    if path is None or not path.is_file():
        abort(404)
    settings = instance_settings()
    use_server = settings.sendfile != "none"
    response = send_file(path, request.environ, mimetype=mime,
                         as_attachment=file_type not in INLINE_TYPES,
                         download_name=download_name, conditional=True,
                         etag=etag if etag else True, max_age=0, use_x_sendfile=use_server,
                         response_class=current_app.response_class)
    if settings.sendfile == "x-accel-redirect":
        del response.headers["X-Sendfile"]
        response.headers["X-Accel-Redirect"] = settings.accel_prefix.rstrip("/") + "/" + key
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "public, max-age=0, must-revalidate" if public \
        else "private, no-cache"
    response.headers["Content-Security-Policy"] = (
        "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; "
        "frame-ancestors 'self'; sandbox allow-downloads") if file_type not in ("pdf",) \
        else "default-src 'self'; frame-ancestors 'self'"
    return response
