"""A daily reminder: whoever has kept a key longer than the space allows is told once.

Registered in ``register_tasks`` as the periodic task ``keys.remind_overdue`` (09:00 UTC); the
kernel runs it in ``placette worker``, once per slot however many workers run.  Spaces where the
module is off are skipped: disabled means gone, notifications included.
"""
from __future__ import annotations

import placette

from .models import Room
from .service import PLUGIN, overdue_after, publish


def remind_overdue() -> int:
    """Emit ``keys.key.overdue`` to each overdue holder not yet reminded; returns how many."""
    now = placette.utcnow()
    held = (Room.select(Room, placette.Space).join(placette.Space)
            .where(Room.holder.is_null(False) & Room.reminded_at.is_null()
                   & placette.Space.archived_at.is_null()))
    sent = 0
    for room in held:
        space = room.space
        if not placette.is_enabled(space, PLUGIN) or now - room.held_since <= overdue_after(space):
            continue
        with placette.atomic():
            room.reminded_at = now
            room.save(only=[Room.reminded_at])
            placette.emit("keys.key.overdue", space=space, resource=publish(room, space),
                          data={"room": room.name, "room_id": room.id,
                                "held_since": room.held_since.isoformat()},
                          recipients=[room.holder_id])
        sent += 1
    return sent
