"""JSON endpoints under ``/api/v1/spaces/<slug>/pages/`` (they appear in ``/api/openapi.json``).

``api.space_route("pages", ...)`` answers 404 where the space may not be read or the module is
off; each view then asks the same gate as the pages: a page narrower than what the caller may
read, or hidden or pending in moderation, answers ``404 not_found`` too.
"""
from __future__ import annotations

import datetime as dt

import placette
from flask_login import current_user
from pydantic import BaseModel, Field

from . import service


class PersonOut(BaseModel):
    id: int
    display_name: str


class PageOut(BaseModel):
    slug: str
    title: str
    position: int
    visibility: str | None = Field(description="null: the space's own; else narrower")
    url: str
    created_at: dt.datetime
    updated_at: dt.datetime
    updated_by: PersonOut | None = Field(description="null: a former member")


class PageDetail(PageOut):
    body: str = Field(description="the text, in Markdown")
    html: str = Field(description="the text as sanitised HTML (headings start at h2)")


def _person(user) -> dict | None:
    return {"id": user.id, "display_name": user.display_name} if user else None


def page_out(page, space) -> dict:
    updater = page.updated_by if page.updated_by_id else None
    return {"slug": page.slug, "title": page.title, "position": page.position,
            "visibility": page.visibility, "url": service.page_path(page, space.slug),
            "created_at": page.created_at, "updated_at": page.updated_at,
            "updated_by": _person(updater)}


def register(api) -> None:
    @api.space_route("pages", "/pages", response=list[PageOut],
                     summary="Pages of a space the caller may see, in order")
    def list_pages(space):
        return [page_out(p, space) for p in service.pages_of(space, current_user)]

    @api.space_route("pages", "/pages/<page_slug>", response=PageDetail,
                     summary="One page of a space, with its text")
    def get_page(space, page_slug):
        page, _moderation = service.viewable(space, page_slug, current_user)
        if page is None:
            raise placette.ApiError(404, "not_found", "not found")
        return {**page_out(page, space), "body": page.body,
                "html": str(placette.render_markdown(page.body))}
