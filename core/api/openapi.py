"""Build the one OpenAPI 3.1 document from the declared endpoints, plugins' included."""
from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, TypeAdapter
from pydantic.json_schema import models_json_schema

from ..version import __version__
from .errors import BUSY_RESPONSE, ERROR_SCHEMA
from .ids import MAX_ID
from .registry import Api

_PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})

#: The errors an endpoint may answer, each once in ``components.responses`` (body: Error).
ERRORS = {
    400: ("BadRequest", "A query parameter is invalid (invalid_parameter), the body is not JSON "
                        "(malformed_json), or the request holds characters refused everywhere "
                        "(invalid_characters)."),
    401: ("Unauthenticated", "Sign in, or send Authorization: Bearer TOKEN."),
    403: ("Forbidden", "Signed in, but not allowed to do this here."),
    404: ("NotFound", "No such thing, or the caller may not see it: the two are never told "
                      "apart.  Also an id beyond 2^63-1 in the path."),
    409: ("Conflict", "The request contradicts the current state (already cancelled, changed "
                      "meanwhile, not empty...)."),
    413: ("BodyTooLarge", "The body is larger than the instance accepts."),
    415: ("UnsupportedMediaType", "The body is not of the declared type, or a session call "
                                  "another site's form could forge (send JSON, or the "
                                  "X-CSRFToken header)."),
    422: ("InvalidBody", "The body is well-formed but invalid: error.details names the "
                        "fields."),
    429: ("RateLimited", "Too many requests in a short time: try again later."),
    503: ("Busy", "The database could not take this write in time (code busy); nothing was "
                  "changed: send the same request again after Retry-After seconds."),
}


def error_statuses(endpoint, method: str) -> list[int]:
    """The shared errors an endpoint may answer, from what it declares.

    Every endpoint: 400 (a parameter, or characters refused everywhere) and 404 (a path names
    nothing the caller may see).  Signed-in only, or changing something: 401 and 403.  Changing
    something (POST, PUT, PATCH, DELETE): 409, 413, 415 and 422, and 503 (busy: the database
    could not take the write in time; retry after ``Retry-After``).  Anything else an endpoint
    answers it declares itself (``statuses=`` of :meth:`Api.route`)."""
    found = {400, 404}
    if endpoint.auth == "required" or method in UNSAFE:
        found |= {401, 403}
    if method in UNSAFE:
        found |= {409, 413, 415, 422, 503}
    return sorted(found)


def _schema_of(annotation: Any, components: dict[str, Any], owner: str = "") -> dict[str, Any]:
    if annotation is None:
        return {}
    adapter = TypeAdapter(annotation)
    schema = adapter.json_schema(ref_template="#/components/schemas/{model}")
    defs = schema.pop("$defs", {})
    renamed = {name: _free_name(components, name, definition, owner)
               for name, definition in defs.items()}
    renamed = {old: new for old, new in renamed.items() if new != old}
    if renamed:
        schema, defs = _rename_refs(schema, renamed), _rename_refs(defs, renamed)
    for name, definition in defs.items():
        components[renamed.get(name, name)] = definition
    return schema


def _free_name(components: dict[str, Any], name: str, definition: Any, owner: str) -> str:
    """Components are keyed by the model's class name: two different models with one name (two
    plugins' ``PersonOut``) must not share one schema -- the document would describe one
    plugin's answers with the other's fields.  The later one is qualified by its plugin's name
    (``discussions_PersonOut``)."""
    known = components.get(name)
    if known is None or known == definition:
        return name
    qualified = f"{owner or 'api'}_{name}"
    n = 2
    while components.get(qualified) not in (None, definition):
        qualified = f"{owner or 'api'}_{name}_{n}"
        n += 1
    return qualified


def _rename_refs(value: Any, renamed: dict[str, str]) -> Any:
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if key == "$ref" and isinstance(item, str):
                target = item.rsplit("/", 1)[-1]
                item = f"#/components/schemas/{renamed.get(target, target)}"
            out[key] = _rename_refs(item, renamed)
        return out
    if isinstance(value, list):
        return [_rename_refs(item, renamed) for item in value]
    return value


def build(api: Api, title: str) -> dict[str, Any]:
    components: dict[str, Any] = {"Error": ERROR_SCHEMA}
    models = [e.body for e in api.endpoints if e.body is not None]
    if models:
        _, top = models_json_schema([(m, "validation") for m in set(models)],
                                    ref_template="#/components/schemas/{model}")
        components.update(top.get("$defs", {}))
    paths: dict[str, Any] = {}
    for endpoint in api.endpoints:
        path = api.openapi_path(endpoint.path)
        parameters = []
        for converter, name in _PARAM.findall(endpoint.path):
            parameters.append({"name": name, "in": "path", "required": True,
                               "schema": {"type": "integer", "minimum": 0, "maximum": MAX_ID}
                               if converter == "int" else {"type": "string"}})
        for name, description in endpoint.query.items():
            parameters.append({"name": name, "in": "query", "required": False,
                               "description": description, "schema": {"type": "string"}})
        for method in endpoint.methods:
            operation: dict[str, Any] = {
                "summary": endpoint.summary,
                "operationId": f"{endpoint.plugin}_{endpoint.view.__name__}_{method.lower()}",
                "tags": endpoint.tags,
                "responses": {str(endpoint.status): {"description": "success"}},
            }
            for status in error_statuses(endpoint, method):
                operation["responses"][str(status)] = {
                    "$ref": f"#/components/responses/{ERRORS[status][0]}"}
            for status, description in endpoint.statuses.items():
                operation["responses"][str(status)] = (
                    _error_response(description) if status >= 400
                    else {"description": description})
            operation["responses"] = dict(sorted(operation["responses"].items()))
            if endpoint.description:
                operation["description"] = endpoint.description
            if parameters:
                operation["parameters"] = parameters
            if endpoint.response is not None:
                operation["responses"][str(endpoint.status)]["content"] = {
                    endpoint.content_type: {"schema": _schema_of(
                    endpoint.response, components, endpoint.plugin)}}
            if endpoint.body is not None and method in ("POST", "PUT", "PATCH"):
                operation["requestBody"] = {"required": True, "content": {
                    "application/json": {"schema": {
                        "$ref": f"#/components/schemas/{endpoint.body.__name__}"}}}}
            elif endpoint.request_body is not None and method in ("POST", "PUT", "PATCH"):
                operation["requestBody"] = endpoint.request_body
            if endpoint.auth == "required":
                operation["security"] = [{"bearer": []}, {"session": []}]
            paths.setdefault(path, {})[method.lower()] = operation
    return {
        "openapi": "3.1.0",
        "info": {"title": f"{title} -- placette API", "version": __version__,
                 "description": "Errors are JSON: {\"error\": {\"code\", \"message\"}}. "
                                "Authenticate with a session cookie or Authorization: Bearer "
                                "TOKEN (`placette tokens create EMAIL`)."},
        "servers": [{"url": "/"}],
        "paths": dict(sorted(paths.items())),
        "components": {
            "schemas": components,
            "responses": {name: BUSY_RESPONSE if name == "Busy" else _error_response(description)
                          for name, description in ERRORS.values()},
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer"},
                "session": {"type": "apiKey", "in": "cookie", "name": "session"},
            },
        },
    }


def _error_response(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {
        "schema": {"$ref": "#/components/schemas/Error"}}}}


def is_model(value: Any) -> bool:
    return isinstance(value, type) and issubclass(value, BaseModel)
