"""API errors: always ``{"error": {"code", "message"}}`` (plus ``details`` when useful), never HTML."""
from __future__ import annotations

from typing import Any

from flask import jsonify
from werkzeug.exceptions import HTTPException

HTTP_CODES = {400: "bad_request", 401: "unauthenticated", 403: "forbidden", 404: "not_found",
              405: "method_not_allowed", 409: "conflict", 413: "body_too_large",
              415: "unsupported_media_type", 422: "invalid_body", 429: "rate_limited",
              500: "internal_error", 503: "unavailable"}


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, details: Any = None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = details


def error_response(status: int, code: str, message: str, details: Any = None):
    body: dict[str, Any] = {"error": {"code": code, "message": message}}
    if details is not None:
        body["error"]["details"] = details
    response = jsonify(body)
    response.status_code = status
    return response


def busy_response(retry_after: int):
    """503 for a write that could not get the database's lock in time: nothing was written,
    the same request may simply be sent again after ``Retry-After`` seconds."""
    response = error_response(503, "busy", "the database is busy with other writes; nothing "
                              f"was changed: retry in {retry_after} s")
    response.headers["Retry-After"] = str(retry_after)
    return response


def unavailable_response(retry_after: int, what: str = "the database"):
    """503 while a part of the site (the database, the queue) does not answer: nothing was
    written, the same request may be sent again after ``Retry-After`` seconds."""
    response = error_response(503, "unavailable", f"{what} does not answer at the moment; "
                              f"nothing was changed: retry in {retry_after} s")
    response.headers["Retry-After"] = str(retry_after)
    return response


def from_http_exception(exc: HTTPException):
    status = exc.code or 500
    message = {404: "not found", 405: "method not allowed",
               413: "the request body is too large"}.get(status, exc.description or exc.name)
    response = error_response(status, HTTP_CODES.get(status, "error"), message)
    if status == 405 and getattr(exc, "valid_methods", None):
        response.headers["Allow"] = ", ".join(exc.valid_methods)
    return response


BUSY_RESPONSE = {
    "description": "busy: the database could not take this write in time and nothing was "
                   "changed; send the same request again after Retry-After seconds",
    "headers": {"Retry-After": {"description": "seconds to wait", "schema": {"type": "integer"}}},
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
}

ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {"error": {"type": "object", "required": ["code", "message"], "properties": {
        "code": {"type": "string"}, "message": {"type": "string"}, "details": {}}}},
}


def install(app) -> None:
    """Turn :class:`ApiError` into its JSON response (HTTP errors: see ``web.errors``)."""
    @app.errorhandler(ApiError)
    def api_error(exc: ApiError):
        return error_response(exc.status, exc.code, exc.message, exc.details)
