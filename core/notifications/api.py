"""JSON API: the caller's notifications, marking them read, and a space's activity."""
from __future__ import annotations

import datetime as dt

from flask import request
from flask_login import current_user
from pydantic import BaseModel, Field, model_validator

from ..api.errors import ApiError
from ..api.ids import Id
from ..api.registry import Api
from ..api.schemas import Strict
from ..api.views import MAX_PAGE, _page, _paginated, readable_space
from . import links, queries
from .items import describe


class SpaceRef(BaseModel):
    slug: str
    name: str


class NotificationOut(BaseModel):
    id: int
    event: str = Field(description="event type, e.g. agenda.meeting.moved")
    label: str = Field(description="what happened, in the caller's language")
    title: str
    url: str = Field(description="absolute link to the page concerned")
    space: SpaceRef
    actor: str | None
    created_at: dt.datetime
    read_at: dt.datetime | None


class ReadIn(Strict):
    ids: list[Id] | None = Field(None, max_length=500, description="notifications to mark read")
    all: bool = Field(False, description="mark every notification read")

    @model_validator(mode="after")
    def _one_of(self):
        if self.all == (self.ids is not None):
            raise ValueError("send either ids (a list) or all: true")
        return self


class ReadOut(BaseModel):
    marked: int
    unread: int


class ActivityOut(BaseModel):
    id: int
    event: str
    label: str
    title: str
    url: str
    space: SpaceRef
    actor: str | None
    created_at: dt.datetime


def _event_out(event) -> dict:
    text = describe(event)
    return {"event": event.name, "label": text.label, "title": text.title,
            "url": links.absolute(text.path),
            "space": {"slug": text.space_slug, "name": text.space_name},
            "actor": text.actor_name, "created_at": event.created_at}


def _flag(name: str) -> bool | None:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return None
    if raw.lower() in ("1", "true", "yes"):
        return True
    if raw.lower() in ("0", "false", "no"):
        return False
    raise ApiError(400, "invalid_parameter", f"{name} must be true or false")


def register(api: Api) -> None:
    @api.route("/notifications", summary="The caller's notifications, newest first",
               response=list[NotificationOut], auth="required", tags=["notifications"],
               query={"unread": "true: only unread ones", "page": "page number (1...)",
                      "per_page": f"items per page (1-{MAX_PAGE}, default 100)"})
    def notifications():
        page, per_page = _page()
        unread = _flag("unread")
        rows, total = queries.inbox_page(current_user, bool(unread), page, per_page)
        items = [dict(_event_out(n.event), id=n.id, read_at=n.read_at) for n in rows]
        return _paginated(items, total, page, per_page, request.endpoint,
                          unread="true" if unread else None)

    @api.route("/notifications/read", methods=["POST"], body=ReadIn, response=ReadOut,
               auth="required", tags=["notifications"],
               summary="Mark notifications read: some (ids) or all")
    def notifications_read(body: ReadIn):
        marked = queries.mark_read(current_user, None if body.all else body.ids)
        return {"marked": marked, "unread": queries.unread_count(current_user, cap=None)}

    @api.route("/spaces/<slug>/activity", summary="What happened in a space, newest first",
               response=list[ActivityOut], tags=["spaces"],
               query={"page": "page number (1...)",
                      "per_page": f"items per page (1-{MAX_PAGE}, default 100)"})
    def space_activity(slug):
        space = readable_space(slug)
        page, per_page = _page()
        rows, total = queries.paginate(queries.activity(current_user, [space.id]), page,
                                       per_page)
        items = [dict(_event_out(e), id=e.id) for e in queries.attach_resource_spaces(rows)]
        return _paginated(items, total, page, per_page, request.endpoint, slug=slug)
