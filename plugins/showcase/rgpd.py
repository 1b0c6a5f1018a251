"""What the showcase keeps about a person: which items they picked (no view is linked to anyone)."""
from __future__ import annotations

from .models import Item


def export(user) -> dict:
    rows = Item.select(Item.id, Item.title, Item.published_at).where(Item.picked_by == user.id)
    return {"picked_items": [{"id": r.id, "title": r.title,
                              "published_at": r.published_at.isoformat() + "Z"} for r in rows]}


def erase(user) -> None:
    Item.update(picked_by=None).where(Item.picked_by == user.id).execute()
