"""RGPD: what the plugin keeps about a person, and how it forgets them.

Pages are the space's editorial memory (a charter, a legal notice), so erasing an account keeps
them: the person is removed as their writer and as the last person who changed them (shown as
"a former member").  The export lists the pages they wrote or changed last, with links.
"""
from __future__ import annotations

import placette

from .models import Page
from .service import page_path


def _iso(value):
    return value.isoformat() if value is not None else None


def export(user) -> dict:
    query = (Page.select(Page, placette.Space).join(placette.Space)
             .where((Page.author == user.id) | (Page.updated_by == user.id))
             .order_by(Page.created_at, Page.id))
    pages = list(query)
    return {
        "pages_written": [{"space": p.space.slug, "slug": p.slug, "title": p.title,
                           "url": page_path(p, p.space.slug), "created_at": _iso(p.created_at)}
                          for p in pages if p.author_id == user.id],
        "pages_last_changed": [{"space": p.space.slug, "slug": p.slug, "title": p.title,
                                "url": page_path(p, p.space.slug),
                                "updated_at": _iso(p.updated_at)}
                               for p in pages if p.updated_by_id == user.id],
    }


def erase(user) -> None:
    Page.update(author=None).where(Page.author == user.id).execute()
    Page.update(updated_by=None).where(Page.updated_by == user.id).execute()
