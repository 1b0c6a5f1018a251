"""Emit events: the one way plugins tell the kernel "something happened".

``placette.emit("agenda.meeting.moved", space=space, resource=resource, actor=user,
data={"old_start": ...})`` records the event in the caller's transaction and, once that commits,
hands it to the kernel's services (activity, notifications, digests).  A rolled-back change never
produces an event.  ``recipients`` narrows who is notified (ids of users, e.g. those who answered
"yes"); by default it is the space's members.  Whoever it is, each person is only notified of what
they may see at sending time.
"""
from __future__ import annotations

import logging
from typing import Any, Iterable

from .db import after_commit
from .kernel import current, registry
from .models import Event, Resource, Space

log = logging.getLogger("placette.events")


class UnknownEvent(ValueError):
    pass


def emit(name: str, *, space: Space, resource: Resource | None = None, actor: Any = None,
         data: dict[str, Any] | None = None,
         recipients: Iterable[int] | None = None) -> Event:
    if name not in registry().event_types:
        raise UnknownEvent(f"event {name!r} is not declared by any register_events() hook")
    event = Event.create(
        name=name, plugin=name.split(".", 1)[0], space=space.id if hasattr(space, "id") else space,
        resource=resource.id if hasattr(resource, "id") else resource,
        actor=getattr(actor, "id", None) if actor is not None and getattr(
            actor, "is_authenticated", True) else None,
        data=data or {},
        recipients=sorted({int(r.id if hasattr(r, "id") else r) for r in recipients})
        if recipients is not None else None)
    event_id = event.id
    after_commit(lambda: _dispatch_later(event_id))
    return event


def _dispatch_later(event_id: int) -> None:
    """After commit: queue the fan-out (services register the ``placette.events.dispatch`` task).

    Never raises: the caller's change is already committed, and an event whose hand-over failed
    (queue down, process killed) keeps ``dispatched_at`` empty, so the periodic sweep
    (``placette.events.sweep``) dispatches it later.
    """
    try:
        queue = current().queue
        if "placette.events.dispatch" in queue.tasks:
            queue.enqueue("placette.events.dispatch", event_id)
    except Exception:
        log.exception("event %s could not be queued; the sweep will dispatch it", event_id)
