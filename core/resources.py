"""Keep the resource registry in step with a plugin's items.

A plugin calls :func:`publish` after creating or editing an item people see, and :func:`withdraw`
after deleting it; kernel services (search, activity, moderation, showcase, exports) then know the
item without knowing the plugin.  Both are cheap upserts, safe to call inside the plugin's
transaction.

``publish`` also keeps the search index in step (title, summary and the plugin's
``search_documents`` text; call it again when that text changes) and, for a new item, applies the
space's pre-moderation: a newcomer's first contributions may start ``pending`` (see
:mod:`placette.moderation.service`) -- check ``resource.state`` on the returned row to tell the
author their contribution awaits an animator.  It never changes the moderation state of an existing item:
an edit does not undo a moderator's decision.
"""
from __future__ import annotations

from typing import Any

from .db import utcnow
from .kernel import registry
from .models import Resource, Space
from .permissions import ITEM_VISIBILITIES


def _key(plugin: str, kind: str, object_id: Any) -> tuple[str, str, str]:
    return plugin, kind, str(object_id)


def publish(plugin: str, kind: str, object_id: Any, *, space: Space, title: str, url: str,
            author: Any = None, visibility: str | None = None, summary: str = "") -> Resource:
    if f"{plugin}.{kind}" not in registry().resource_kinds:
        raise ValueError(f"resource kind {plugin}.{kind} is not declared by "
                         f"register_resource_kinds()")
    if visibility not in (None, *ITEM_VISIBILITIES):
        raise ValueError(f"visibility must be one of {ITEM_VISIBILITIES} or None")
    plugin, kind, oid = _key(plugin, kind, object_id)
    now = utcnow()
    fields = {"space": space.id if hasattr(space, "id") else space, "title": title[:300],
              "url": url, "author": getattr(author, "id", author), "visibility": visibility,
              "summary": (summary or "")[:1000], "updated_at": now}
    from .moderation.service import hold_for_review, initial_state
    from .search.engines import index_resource
    resource = Resource.get_or_none(plugin=plugin, kind=kind, object_id=oid)
    if resource is None:
        state = initial_state(fields["space"], fields["author"])
        resource = Resource.create(plugin=plugin, kind=kind, object_id=oid, created_at=now,
                                   state=state, **fields)
        if state == "pending":
            hold_for_review(resource)
    else:
        moved = resource.space_id != fields["space"]
        for name, value in fields.items():
            setattr(resource, name, value)
        resource.save()
        if moved:  # its review case (if any) is in the queue of its new space
            from .models import ModerationCase
            ModerationCase.update(space_id=resource.space_id).where(
                ModerationCase.resource == resource.id).execute()
    index_resource(resource)
    return resource


def withdraw(plugin: str, kind: str, object_id: Any) -> None:
    """Forget a deleted item: its reports, review case, events and search entry go with it."""
    plugin, kind, oid = _key(plugin, kind, object_id)
    Resource.delete().where((Resource.plugin == plugin) & (Resource.kind == kind)
                            & (Resource.object_id == oid)).execute()


def lookup(plugin: str, kind: str, object_id: Any) -> Resource | None:
    """The registry row of a published item (``None`` if never published or withdrawn) -- e.g.
    to render ``render_slot("resource.footer", resource=...)`` on its page."""
    plugin, kind, oid = _key(plugin, kind, object_id)
    return registry_row(plugin, kind, oid)


def registry_row(plugin: str, kind: str, object_id: str) -> Resource | None:
    """The registry row of ``plugin.kind:object_id``: every item page asks for it (its
    moderation state, its slots), so its SQL is written once (:func:`placette.prepared`)."""
    from .query_memo import prepared
    rows = prepared("resources.row", lambda plugin, kind, oid: (
        Resource.select().where((Resource.plugin == plugin) & (Resource.kind == kind)
                                & (Resource.object_id == oid)).limit(1)),
        plugin=plugin, kind=kind, oid=object_id).rows()
    return rows[0] if rows else None


def declared_kind(key: str):
    """The :class:`ResourceKind` declared as ``key`` (``"plugin.kind"``), or ``None``.

    Lets a plugin that attaches to other plugins' items (comments, attachments) tell "this kind
    does not exist" (a client's mistake: 4xx) from "no such item" (404) without importing them.
    """
    return registry().resource_kinds.get(key)
