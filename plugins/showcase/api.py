"""The showcase JSON API, under ``/api/v1/spaces/<slug>/showcase/`` (in the OpenAPI document).

Animators only: whoever may not manage the space's window gets 404 (its items are not named)."""
from __future__ import annotations

import datetime as dt
from typing import Literal

import placette
from flask_login import current_user
from pydantic import BaseModel, ConfigDict, Field

from . import service
from .exports import base_url, iso
from .models import Item


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PickIn(Strict):
    resource: str = Field(min_length=3, max_length=200,
                          description='"<plugin>.<kind>:<id>", e.g. "pages.page:3"')
    introduction: str | None = Field(None, max_length=service.MAX_INTRODUCTION,
                                     description="plain text shown to the public")


class ItemPatch(Strict):
    introduction: str | None = Field(None, max_length=service.MAX_INTRODUCTION)
    position: int | None = Field(None, ge=1, le=10000, description="1 = first")


class ItemOut(BaseModel):
    id: int
    resource: str
    category: str
    title: str
    introduction: str
    state: Literal["shown", "withdrawn"]
    position: int
    decided_at: dt.datetime | None
    answer_status: str | None
    dataset: str | None
    atom_id: str
    url: str | None
    published_at: dt.datetime
    republished_at: dt.datetime | None
    updated_at: dt.datetime
    withdrawn_at: dt.datetime | None


def item_out(space, item: Item) -> dict:
    return {"id": item.id, "resource": item.resource_key, "category": item.category,
            "title": item.title, "introduction": item.introduction, "state": item.state,
            "position": item.position, "decided_at": iso(item.decided_at),
            "answer_status": item.answer_status, "dataset": item.dataset,
            "atom_id": f"urn:uuid:{item.uuid}",
            "url": f"{base_url()}/vitrine/{space.slug}/{item.id}" if item.state == "shown"
            else None,
            "published_at": iso(item.published_at), "republished_at": iso(item.republished_at),
            "updated_at": iso(item.updated_at), "withdrawn_at": iso(item.withdrawn_at)}


def _fail(exc: service.ShowcaseError):
    return placette.ApiError(exc.status, exc.code, exc.message,
                             {"field": exc.field} if exc.field else None)


def _manager(space) -> None:
    if not service.may_manage(current_user, space):
        raise placette.ApiError(404, "not_found", "not found")


def _item(space, item_id: int) -> Item:
    _manager(space)
    item = service.item_in(space, item_id)
    if item is None:
        raise placette.ApiError(404, "not_found", "not found")
    return item


def register(api) -> None:
    @api.space_route("showcase", "/items", response=list[ItemOut], auth="required",
                     summary="Items of the space's public window, shown first (animators)")
    def list_items(space):
        _manager(space)
        return [item_out(space, i) for i in service.items_for_animators(space)]

    @api.space_route("showcase", "/items", methods=["POST"], body=PickIn, response=ItemOut,
                     status=201, auth="required",
                     statuses={422: "malformed key, unknown kind, item of another space"},
                     summary="Publish a frozen copy of an offered item (animators)")
    def pick_item(space, body: PickIn):
        _manager(space)
        try:
            item = service.pick(space, current_user, body.resource, body.introduction)
        except service.ShowcaseError as exc:
            raise _fail(exc) from None
        return item_out(space, item), 201

    @api.space_route("showcase", "/items/<int:item_id>", methods=["PATCH"], body=ItemPatch,
                     response=ItemOut, auth="required",
                     statuses={409: "the item was withdrawn"},
                     summary="Change an item's introduction or position (animators)")
    def patch_item(space, item_id, body: ItemPatch):
        item = _item(space, item_id)
        try:
            item = service.update(item, current_user, body.introduction, body.position)
        except service.ShowcaseError as exc:
            raise _fail(exc) from None
        return item_out(space, item)

    @api.space_route("showcase", "/items/<int:item_id>", methods=["DELETE"], response=ItemOut,
                     auth="required",
                     summary="Withdraw an item from every page, feed, export and embed")
    def delete_item(space, item_id):
        item = _item(space, item_id)
        try:
            item = service.withdraw(item, current_user)
        except service.ShowcaseError as exc:
            raise _fail(exc) from None
        return item_out(space, item)

    @api.space_route("showcase", "/items/<int:item_id>/republish", methods=["POST"],
                     response=ItemOut, auth="required",
                     statuses={409: "withdrawn, or the original was deleted"},
                     summary="Copy the original again, as it is now (animators)")
    def republish_item(space, item_id):
        item = _item(space, item_id)
        try:
            item = service.republish(item, current_user)
        except service.ShowcaseError as exc:
            raise _fail(exc) from None
        return item_out(space, item)
