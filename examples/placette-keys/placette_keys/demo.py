"""Demo content: rooms for each council, the city space and each working group (one room each),
a few weeks of hand-overs, one overdue key.

Seeded through the ``seed_demo(city)`` hook; deterministic (``city.random``).  No event is emitted:
a demo city must not start by notifying two hundred people about history.
"""
from __future__ import annotations

import datetime as dt

import placette

from .models import Handover, Room
from .service import publish

GROUP_ROOMS = {"city": ("Salle du conseil municipal", "Hôtel de ville, 2e étage"),
               "group": ("Salle de réunion des groupes", "Maison des associations, 1er étage")}
ROOMS = [("Salle polyvalente", "Maison de quartier, rez-de-chaussée"),
         ("Salle du conseil", "Mairie annexe, 1er étage"),
         ("Local associatif", "Derrière l'école élémentaire")]
NOTES = ["", "", "Code de l'alarme transmis.", "Clé du placard à chaises incluse.",
         "Rendue après la réunion publique."]


def seed(city) -> None:
    """One transaction per space: a demo seeding never holds the write lock for long."""
    rnd = city.random
    for space in city.spaces_with("keys"):
        with placette.atomic():
            _rooms(space, city, rnd)
    with placette.atomic():
        _overdue_key_for_the_demo_member(city)


def _rooms(space, city, rnd) -> None:
    people = city.members_of(space)
    recorder = city.animators_of(space)[0]
    if space.kind in ("neighbourhood", "thematic"):
        rooms = ROOMS[:2 if space.kind == "thematic" else 3]
    else:
        rooms = [GROUP_ROOMS.get(space.kind, GROUP_ROOMS["group"])]
    for name, place in rooms:
        room = Room.create(space=space, name=name, place=place,
                           created_at=city.now - dt.timedelta(days=90))
        holder, when = None, city.now - dt.timedelta(days=22)
        for _ in range(rnd.randint(1, 5) if people else 0):
            when += dt.timedelta(days=rnd.randint(1, 4), hours=rnd.randint(0, 8))
            receiver = None if holder and rnd.random() < 0.3 else rnd.choice(people)
            if receiver is holder:
                continue
            Handover.create(room=room, giver=holder, receiver=receiver,
                            from_desk=holder is None, returned=receiver is None,
                            recorded_by=recorder, note=rnd.choice(NOTES), created_at=when)
            holder = receiver
        room.holder = holder
        room.held_since = when if holder else None
        room.version = room.handovers.count()
        room.save()
        publish(room, space, recorder)


def _overdue_key_for_the_demo_member(city) -> None:
    """Martine (membre@example.org) holds a key for too long: her dashboard reminds her."""
    member = city.accounts.get("member")
    space = city.spaces.get("quartier-bellevue")
    if member is None or space is None or not placette.is_enabled(space, "keys"):
        return
    room = Room.select().where(Room.space == space.id).order_by(Room.id).first()
    if room is None:
        return
    since = city.now - dt.timedelta(days=30)
    Handover.create(room=room, giver=room.holder_id, receiver=member, from_desk=room.at_desk,
                    recorded_by=city.animators_of(space)[0], created_at=since)
    room.holder, room.held_since, room.version = member, since, room.version + 1
    room.save()
