"""Declare API endpoints once: the route, its validation and its OpenAPI description.

Kernel and plugins use the same object (plugins receive it in ``register_api(api)``)::

    @api.space_route("agenda", "/meetings", methods=["POST"], body=MeetingIn,
                     response=MeetingOut, status=201, summary="Create a meeting")
    def create_meeting(space, body): ...

``space_route`` puts the path under ``/api/v1/spaces/<slug>/<plugin>/``, answers 404 (JSON) when
the caller may not read the space or the module is off there, and passes the ``space``.  A
declared ``body`` is parsed as JSON and validated by its pydantic model (unknown fields refused);
the view receives the model instance.  Views return a dict or list (200), or ``(data, status)``.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Any, Callable

from flask import Blueprint, current_app, g, jsonify, request
from flask_login import current_user
from pydantic import BaseModel, ValidationError

from ..errors import PluginError
from .errors import ApiError

KERNEL = "placette"

_PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")


@dataclass
class Endpoint:
    path: str  # Flask syntax, relative to /api/v1
    methods: list[str]
    view: Callable
    summary: str
    description: str = ""
    tags: list[str] = field(default_factory=list)
    body: type[BaseModel] | None = None
    response: Any = None
    status: int = 200
    auth: str = "optional"  # optional | required
    plugin: str = "placette"
    query: dict[str, str] = field(default_factory=dict)  # name -> description
    content_type: str = "application/json"
    # A request body that is not JSON (e.g. a multipart file upload): an OpenAPI requestBody
    # object copied as is into the document; the view reads ``request`` itself.
    request_body: dict[str, Any] | None = None
    # Statuses this endpoint answers beyond its success and the shared errors the OpenAPI
    # document lists for every endpoint of its kind (see ``openapi.error_statuses``):
    # {status: description}, e.g. {429: "too many reports"} or {206: "a range of the file"}.
    statuses: dict[int, str] = field(default_factory=dict)


class Api:
    def __init__(self):
        self.endpoints: list[Endpoint] = []
        #: The plugin whose ``register_api`` is running (set by the app factory): what it
        #: declares is checked against its name, so no plugin can take another's paths.
        self.owner: str = KERNEL

    def _check(self, path: str, methods: list[str], plugin: str) -> None:
        owner = self.owner
        if owner == KERNEL:
            return
        # ``/me/...``: the signed-in person's own things (the sms plugin's ``/me/phone``); any
        # plugin may add one there, and a path taken twice is refused below and at build time.
        prefixes = (f"/{owner}", f"/spaces/<slug>/{owner}", "/me")
        if plugin != owner or not any(path.startswith(p + "/") if p == "/me" else
                                      (path == p or path.startswith(p + "/")) for p in prefixes):
            raise PluginError(f"plugin '{owner}': API path {path} must be under "
                              f"/api/v1/spaces/<slug>/{owner}/, /api/v1/{owner}/ or "
                              f"/api/v1/me/")
        for endpoint in self.endpoints:
            if endpoint.path == path and set(endpoint.methods) & set(methods):
                raise PluginError(f"plugin '{owner}': API path {path} is already declared by "
                                  f"'{endpoint.plugin}'")

    def route(self, path: str, methods=("GET",), summary: str = "", description: str = "",
              tags=(), body=None, response=None, status: int = 200, auth: str = "optional",
              plugin: str | None = None, query: dict[str, str] | None = None,
              content_type: str = "application/json",
              request_body: dict[str, Any] | None = None,
              statuses: dict[int, str] | None = None) -> Callable:
        plugin = plugin or self.owner
        methods = [m.upper() for m in methods]
        self._check(path, methods, plugin)

        def decorator(view: Callable) -> Callable:
            self.endpoints.append(Endpoint(path, methods, view,
                                           summary or (view.__doc__ or "").strip().split("\n")[0],
                                           description, list(tags) or [plugin], body, response,
                                           status, auth, plugin, dict(query or {}),
                                           content_type, request_body,
                                           dict(statuses or {})))
            return view
        return decorator

    def space_route(self, plugin: str, path: str, **kwargs) -> Callable:
        """Route under ``/spaces/<slug>/<plugin>``: visibility and module guard included."""
        full = f"/spaces/<slug>/{plugin}{path}"
        kwargs.setdefault("tags", [plugin])

        def decorator(view: Callable) -> Callable:
            @functools.wraps(view)
            def guarded(slug: str, **params):
                from ..modules import is_enabled
                from .views import readable_space
                space = readable_space(slug)
                if not is_enabled(space, plugin):
                    raise ApiError(404, "not_found", "not found")
                g.space = space
                return view(space=space, **params)
            return self.route(full, plugin=plugin, **kwargs)(guarded)
        return decorator

    # -- building --------------------------------------------------------------------------

    def blueprint(self) -> Blueprint:
        bp = Blueprint("api", __name__, url_prefix="/api/v1")
        seen: set[tuple[str, str]] = set()
        for endpoint in self.endpoints:
            for method in endpoint.methods:
                if (endpoint.path, method) in seen:
                    raise ValueError(f"API path {method} {endpoint.path} declared twice")
                seen.add((endpoint.path, method))
            name = f"{endpoint.plugin}__{endpoint.view.__name__}__{len(seen)}"
            bp.add_url_rule(endpoint.path, endpoint=name, view_func=_wrap(endpoint),
                            methods=endpoint.methods)
        return bp

    def openapi_path(self, path: str) -> str:
        return "/api/v1" + _PARAM.sub(lambda m: "{" + m.group(2) + "}", path)


SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
MAX_JSON_BYTES = 1024 * 1024  # a JSON body is small; files go through their own endpoints


FORM_TYPES = frozenset({"application/x-www-form-urlencoded", "text/plain"})


def refuse_cross_site(method: str) -> None:
    """An unsafe call authenticated by the session cookie must not be a forged cross-site form.

    The cookie is ``SameSite=Lax`` (no cookie on another site's POST), and for what Lax leaves
    open (a sibling sub-domain is "same-site") the body type decides:

    * ``application/json`` -- a form cannot send it, and a script on another origin needs a CORS
      preflight that we never grant: accepted;
    * ``application/x-www-form-urlencoded`` / ``text/plain`` -- what forged forms send, and no API
      client needs: refused;
    * ``multipart/form-data`` (uploads) and a body-less ``POST`` -- a form or a no-cors fetch can
      send them too: they need a valid ``X-CSRFToken`` header (our pages' scripts send it);
    * a body-less ``PUT``/``PATCH``/``DELETE`` -- those methods always need a preflight: accepted.

    Bearer tokens are never sent by a browser on its own, so they need none of this.
    """
    if method in SAFE_METHODS or not current_user.is_authenticated:
        return
    if request.headers.get("Authorization", "").lower().startswith("bearer "):
        return
    if request.is_json:
        return
    mimetype = request.mimetype
    if mimetype in FORM_TYPES:
        raise ApiError(415, "unsupported_media_type", "send the request as application/json: "
                       "calls authenticated by the session cookie must not be forgeable by "
                       "another site's form")
    needs_token = mimetype == "multipart/form-data" or (method == "POST" and not mimetype)
    if not needs_token or not current_app.config.get("WTF_CSRF_ENABLED", True):
        return
    from flask_wtf.csrf import ValidationError as CSRFInvalid, validate_csrf
    try:
        validate_csrf(request.headers.get("X-CSRFToken"))
    except CSRFInvalid:
        raise ApiError(415, "unsupported_media_type", "send the request as application/json, "
                       "or with an X-CSRFToken header: calls authenticated by the session "
                       "cookie must not be forgeable by another site's form") from None


def _wrap(endpoint: Endpoint) -> Callable:
    @functools.wraps(endpoint.view)
    def view(**params):
        if endpoint.auth == "required" and not current_user.is_authenticated:
            raise ApiError(401, "unauthenticated", "sign in or send Authorization: Bearer TOKEN")
        refuse_cross_site(request.method)
        if endpoint.body is not None and request.method in ("POST", "PUT", "PATCH"):
            params["body"] = parse_body(endpoint.body)
        result = endpoint.view(**params)
        if hasattr(result, "status_code"):  # a ready response (files, CSV...)
            return result
        status = endpoint.status
        if isinstance(result, tuple):
            result, status = result
        if result is None:
            return "", 204
        if isinstance(result, BaseModel):
            result = result.model_dump(mode="json")
        response = jsonify(result)
        response.status_code = status
        return response
    return view


def parse_body(model: type[BaseModel]) -> BaseModel:
    """Parse the JSON body into ``model``; every problem is a 4xx with a stable code."""
    if not request.is_json:
        raise ApiError(415, "unsupported_media_type", "send the body as application/json")
    if (request.content_length or 0) > MAX_JSON_BYTES:
        raise ApiError(413, "body_too_large", f"a JSON body may hold at most {MAX_JSON_BYTES} "
                       f"bytes")
    data = request.get_json(silent=True)
    if data is None:
        raise ApiError(400, "malformed_json", "the body is not valid JSON")
    if not isinstance(data, dict):
        raise ApiError(422, "invalid_body", "the body must be a JSON object")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        details = [{"field": ".".join(str(p) for p in e["loc"]) or "(body)",
                    "message": e["msg"], "type": e["type"]} for e in exc.errors()]
        message = "; ".join(f"{d['field']}: {d['message']}" for d in details[:5])
        raise ApiError(422, "invalid_body", message, details) from None
