"""What pages offers the public window (the showcase plugin, through the kernel's hooks): a
page, its text rendered and sanitised, as the public will read it once frozen."""
from __future__ import annotations

import datetime as dt

import placette

from .models import Page
from .service import KIND, PLUGIN, pages_of


def _offer(page: Page, resource) -> placette.ShowcaseOffer:
    text = placette.plain_text(page.body or "")  # Markdown source -> plain text
    return placette.ShowcaseOffer(
        resource=resource, category="page", title=page.title,
        body_html=str(placette.render_markdown(page.body or "")),
        summary=text[:280], decided_at=page.updated_at.replace(tzinfo=dt.timezone.utc))


def items(space, actor) -> list[placette.ShowcaseOffer]:
    """The space's pages the actor may see (visibility and moderation honoured)."""
    if space is None or not placette.is_enabled(space, PLUGIN):
        return []
    pages = pages_of(space, actor)
    if not pages:
        return []
    rows = {r.object_id: r for r in placette.Resource.select().where(
        (placette.Resource.plugin == PLUGIN) & (placette.Resource.kind == KIND)
        & placette.Resource.object_id.in_([str(p.id) for p in pages]))}
    return [_offer(p, rows[str(p.id)]) for p in pages if str(p.id) in rows]


def item(resource, actor) -> placette.ShowcaseOffer | None:
    if resource.plugin != PLUGIN or resource.kind != KIND:
        return None
    space = placette.Space.get_by_id(resource.space_id)
    if not placette.is_enabled(space, PLUGIN):
        return None
    page = Page.get_or_none((Page.id == int(resource.object_id)) & (Page.space == space.id))
    if page is None or not placette.can_read(actor, space, page.visibility):
        return None
    if not placette.moderation_state(PLUGIN, KIND, page.id).visible_to(actor):
        return None
    return _offer(page, resource)
