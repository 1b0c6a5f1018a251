"""API: ``GET /api/v1/search`` and ``POST /api/v1/reports``.

Both go through the same gate as the pages: a search only ever returns what the caller may see,
and reporting something the caller may not see answers 404, exactly as if it did not exist.
"""
from __future__ import annotations

import datetime as dt

from flask import request
from flask_login import current_user
from pydantic import BaseModel, Field, model_validator

from ..models import REPORT_CATEGORIES, Space
from ..moderation.limits import report_allowed
from ..moderation.service import ModerationError, parse_key, report, visible_resource
from ..permissions import can_read
from ..search import snippets
from ..search.query import RANK_WINDOW, search
from .errors import ApiError
from .registry import Api
from .schemas import Strict
from .views import _paginated

MAX_PER_PAGE = 50


class SearchHitOut(BaseModel):
    resource: str = Field(description="the resource's key, <plugin>.<kind>:<id>")
    plugin: str
    kind: str
    kind_label: str
    title: str
    url: str
    space: str = Field(description="slug of the resource's space")
    space_name: str
    snippet: str = Field(description="a passage around the first match, plain text")
    snippet_html: str = Field(description="the same passage, HTML-escaped, matches in <mark>")
    title_html: str = Field(description="the title, HTML-escaped, matches in <mark>")
    state: str = Field(description="visible, or hidden/pending (shown to author and moderators)")
    updated_at: dt.datetime


class ReportIn(Strict):
    """Report a resource to the animators of its space.

    Name the resource with ``resource`` ("<plugin>.<kind>:<id>", e.g. "agenda.meeting:12") or with
    the three fields ``plugin``, ``kind`` and ``object_id``."""

    resource: str | None = Field(None, max_length=200, examples=["agenda.meeting:12"])
    plugin: str | None = Field(None, max_length=64)
    kind: str | None = Field(None, max_length=64)
    object_id: str | None = Field(None, max_length=64)
    reason: str = Field("", max_length=2000, description="what is wrong, for the animators; "
                        "required when category is 'other'")
    category: str = Field("other", description=f"one of {', '.join(REPORT_CATEGORIES)}")

    @model_validator(mode="after")
    def _one_way_of_naming(self):
        separate = (self.plugin, self.kind, self.object_id)
        if self.resource is None and not all(separate):
            raise ValueError("give 'resource' (<plugin>.<kind>:<id>) or plugin, kind and "
                             "object_id")
        if self.resource is not None and any(separate):
            raise ValueError("give either 'resource' or plugin/kind/object_id, not both")
        if self.category not in REPORT_CATEGORIES:
            raise ValueError(f"category must be one of {', '.join(REPORT_CATEGORIES)}")
        return self

    def key(self) -> tuple[str, str, str]:
        if self.resource is not None:
            return parse_key(self.resource)
        return self.plugin, self.kind, self.object_id


class ReportOut(BaseModel):
    id: int
    resource: str
    category: str
    reason: str
    created_at: dt.datetime
    created: bool = Field(description="false when this updated the caller's open report")


def register(api: Api) -> None:
    @api.route("/search", summary="Search everything the caller may see", tags=["search"],
               response=list[SearchHitOut],
               description="Words are all required; \"quoted words\" form a phrase, OR offers "
                           "alternatives, a leading - excludes. Accents and French word forms "
                           "do not matter. Any text is accepted: what cannot be understood is "
                           "ignored. Total in X-Total-Count, pages in Link. Results are ranked "
                           f"among the newest {RANK_WINDOW:,} matches the caller may see: "
                           "with more, X-Total-Capped: true says X-Total-Count is a lower "
                           "bound.",
               query={"q": "what to look for", "space": "only in this space (slug)",
                      "page": "page number (1...)",
                      "per_page": f"results per page (1-{MAX_PER_PAGE}, default 20)"})
    def search_api():
        def number(name: str, default: int, high: int) -> int:
            raw = request.args.get(name, str(default))
            if not (len(raw) <= 9 and raw.isascii() and raw.isdigit()) \
                    or not 1 <= int(raw) <= high:
                raise ApiError(400, "invalid_parameter",
                               f"{name} must be an integer from 1 to {high}")
            return int(raw)
        page, per_page = number("page", 1, 500), number("per_page", 20, MAX_PER_PAGE)
        slug = request.args.get("space") or None
        space = None
        if slug:
            space = Space.get_or_none(Space.slug == slug[:64])
            if space is None or not can_read(current_user, space):
                raise ApiError(404, "not_found", "not found")
        text = request.args.get("q", "")
        found = search(current_user, text, space=space, page=page, per_page=per_page,
                       with_facets=False)
        items = [{"resource": hit.resource.key, "plugin": hit.resource.plugin,
                  "kind": hit.resource.kind, "kind_label": hit.kind_label,
                  "title": hit.resource.title, "url": hit.resource.url,
                  "space": hit.space.slug, "space_name": hit.space.name,
                  "snippet": snippets.plain(hit.snippet), "snippet_html": str(hit.snippet),
                  "title_html": str(hit.title), "state": hit.resource.state,
                  "updated_at": hit.resource.updated_at} for hit in found.hits]
        response = _paginated(items, found.total, page, per_page, request.endpoint, q=text,
                              space=slug)
        if found.capped:  # X-Total-Count is then a lower bound (see the search page)
            response.headers["X-Total-Capped"] = "true"
        return response

    @api.route("/reports", methods=["POST"], body=ReportIn, response=ReportOut, status=201,
               auth="required", tags=["moderation"],
               statuses={429: "rate_limited: this account reports too often; try later"},
               summary="Report a resource to the animators of its space",
               description="Body: {\"resource\": \"<plugin>.<kind>:<id>\", \"reason\": \"...\", "
                           "\"category\": \"abuse|spam|personal_data|off_topic|other\"} (or "
                           "plugin, kind and object_id instead of resource). 404 when the "
                           "caller may not see the resource; 409 own_resource; 429 "
                           "rate_limited when one account reports too often. Reporting again "
                           "while one's report is open updates it (200).")
    def create_report(body: ReportIn):
        try:
            resource = visible_resource(current_user, *body.key())
        except ModerationError as exc:
            raise ApiError(exc.status, exc.code, exc.message) from None
        if not report_allowed(current_user):
            raise ApiError(429, "rate_limited", "too many reports in a short time; try later")
        try:
            saved, created = report(current_user, resource, body.reason, body.category)
        except ModerationError as exc:
            raise ApiError(exc.status, exc.code, exc.message) from None
        return ({"id": saved.id, "resource": resource.key, "category": saved.category,
                 "reason": saved.reason, "created_at": saved.created_at, "created": created},
                201 if created else 200)
