"""Build the one OpenAPI 3.1 document from the declared endpoints, plugins' included."""
from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, TypeAdapter
from pydantic.json_schema import models_json_schema

from ..version import __version__
from .errors import ERROR_SCHEMA
from .registry import Api

_PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")


def _schema_of(annotation: Any, components: dict[str, Any]) -> dict[str, Any]:
    if annotation is None:
        return {}
    adapter = TypeAdapter(annotation)
    schema = adapter.json_schema(ref_template="#/components/schemas/{model}")
    for name, definition in schema.pop("$defs", {}).items():
        components.setdefault(name, definition)
    return schema


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
                               "schema": {"type": "integer" if converter == "int"
                                          else "string"}})
        for name, description in endpoint.query.items():
            parameters.append({"name": name, "in": "query", "required": False,
                               "description": description, "schema": {"type": "string"}})
        for method in endpoint.methods:
            operation: dict[str, Any] = {
                "summary": endpoint.summary,
                "operationId": f"{endpoint.plugin}_{endpoint.view.__name__}_{method.lower()}",
                "tags": endpoint.tags,
                "responses": {
                    str(endpoint.status): {"description": "success"},
                    "4XX": {"description": "error", "content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/Error"}}}},
                },
            }
            if endpoint.description:
                operation["description"] = endpoint.description
            if parameters:
                operation["parameters"] = parameters
            if endpoint.response is not None:
                operation["responses"][str(endpoint.status)]["content"] = {
                    endpoint.content_type: {"schema": _schema_of(endpoint.response, components)}}
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
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer"},
                "session": {"type": "apiKey", "in": "cookie", "name": "session"},
            },
        },
    }


def is_model(value: Any) -> bool:
    return isinstance(value, type) and issubclass(value, BaseModel)
