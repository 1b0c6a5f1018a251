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
    after_commit(lambda: _dispatch_later(event_id, name))
    return event


def _dispatch_later(event_id: int, name: str | None = None) -> None:
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
    try:
        if name is not None and name in listeners():
            current().queue.enqueue("placette.events.listen", event_id)
    except Exception:
        log.exception("event %s could not be handed to its listeners", event_id)


def listeners() -> dict[str, list[tuple[str, Any]]]:
    """``{event_name: [(plugin, function), ...]}`` from every ``event_listeners()`` hook,
    collected once per app and checked: listening to an event that its (activated) plugin does
    not declare stops the start; one of a plugin that is not activated is left out."""
    from .errors import PluginError
    kernel = current()
    found = kernel.services.get("event_listeners")
    if found is None:
        found = {}
        for plugin, value in kernel.registry.call_each("event_listeners", strict=True):
            for name, function in (value or {}).items():
                if name not in kernel.registry.event_types:
                    if name.split(".", 1)[0] not in kernel.registry.plugins:
                        continue  # the emitting plugin is not activated: nothing to hear
                    raise PluginError(f"plugin '{plugin}': event_listeners() listens to "
                                      f"'{name}', which its plugin does not declare")
                if not callable(function):
                    raise PluginError(f"plugin '{plugin}': the listener of '{name}' is not "
                                      f"callable")
                found.setdefault(name, []).append((plugin, function))
        kernel.services["event_listeners"] = found
    return found


def listen(event_id: int) -> int:
    """The task ``placette.events.listen``: hand one committed event to its listeners.

    Each listener runs in its own transaction; one that raises is rolled back and logged with
    its plugin's name, the others still run, and the task raises at the end so huey retries it
    (listeners are idempotent by contract).  Returns how many listeners ran."""
    from .db import atomic
    event = Event.get_or_none(Event.id == event_id)
    if event is None:
        return 0
    ran, failed = 0, []
    for plugin, function in listeners().get(event.name, []):
        try:
            with atomic():
                function(event)
            ran += 1
        except Exception:
            log.exception("plugin '%s': listener of %s failed on event %s", plugin, event.name,
                          event_id)
            failed.append(plugin)
    if failed:
        raise RuntimeError(f"listeners of event {event_id} failed: {', '.join(failed)}")
    return ran
