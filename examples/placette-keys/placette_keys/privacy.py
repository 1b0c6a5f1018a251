"""RGPD: what the plugin keeps about a person, and how it forgets them.

Export: the keys they hold and every hand-over they gave, received or recorded.  Erasure keeps the
log (the city needs to know where its keys went) but removes the person from it: they become
"a former member", and notes they wrote are blanked.
"""
from __future__ import annotations

import placette

from .models import Handover, Room


def _iso(value):
    return value.isoformat() if value is not None else None


def export(user) -> dict:
    rooms = (Room.select(Room, placette.Space).join(placette.Space)
             .where(Room.holder == user.id))
    entries = (Handover.select(Handover, Room, placette.Space).join(Room).join(placette.Space)
               .where((Handover.giver == user.id) | (Handover.receiver == user.id)
                      | (Handover.recorded_by == user.id))
               .order_by(Handover.created_at))
    return {
        "keys_held": [{"space": r.space.slug, "room": r.name, "since": _iso(r.held_since)}
                      for r in rooms],
        "handovers": [{"space": h.room.space.slug, "room": h.room.name, "at": _iso(h.created_at),
                       "gave": h.giver_id == user.id, "received": h.receiver_id == user.id,
                       "recorded": h.recorded_by_id == user.id,
                       "note": h.note if h.recorded_by_id == user.id else ""}
                      for h in entries],
    }


def erase(user) -> None:
    Room.update(holder=None).where(Room.holder == user.id).execute()
    Handover.update(note="").where(Handover.recorded_by == user.id).execute()
    Handover.update(giver=None).where(Handover.giver == user.id).execute()
    Handover.update(receiver=None).where(Handover.receiver == user.id).execute()
    Handover.update(recorded_by=None).where(Handover.recorded_by == user.id).execute()
