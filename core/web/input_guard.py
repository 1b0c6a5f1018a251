"""Refuse NUL characters in any input before a view sees them.

PostgreSQL cannot store or even compare a string holding NUL (psycopg2 raises ``ValueError``), so
``/s/%00`` or a form field with ``\\x00`` would be a 500 on PostgreSQL and a silent oddity on
SQLite.  No legitimate input holds one: answer 404 for such a path (no such page can exist) and
400 with a clear message for such a query, form or JSON body.
"""
from __future__ import annotations

from flask import abort, request

from ..api.errors import error_response

NUL = "\x00"


def _has_nul(values) -> bool:
    return any(NUL in value for value in values if isinstance(value, str))


def init(app) -> None:
    @app.before_request
    def refuse_nul_characters():
        if NUL in request.path:
            abort(404)
        found = _has_nul((v for _k, v in request.args.items(multi=True)))
        if not found and request.mimetype in ("application/x-www-form-urlencoded",
                                               "multipart/form-data"):
            found = _has_nul((v for _k, v in request.form.items(multi=True)))
        if not found and request.is_json:
            found = b"\\u0000" in request.get_data(cache=True) or \
                b"\x00" in request.get_data(cache=True)
        if not found:
            return None
        message = "the request holds a NUL character, which no field accepts"
        if request.path.startswith("/api/"):
            return error_response(400, "invalid_characters", message)
        abort(400)
