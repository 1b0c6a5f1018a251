"""The plugin's two tables: rooms (with the current key holder) and the hand-over log.

Tables are named ``keys_*`` (the kernel refuses a plugin table without its prefix).  People are
referenced with ``SET NULL``: erasing an account keeps the log readable ("a former member")
without keeping the person.
"""
from __future__ import annotations

from peewee import (BooleanField, CharField, DateTimeField, ForeignKeyField, IntegerField,
                    TextField)

import placette


class Room(placette.BaseModel):
    """A meeting room of a space, and who holds its key right now.

    ``held_since`` is ``None`` when the key waits at the key desk.  ``version`` grows at every
    hand-over: a hand-over names the version it saw, so two people recording one at the same
    moment cannot both win (the second one is told to look again).
    """

    space = ForeignKeyField(placette.Space, backref="+", on_delete="CASCADE")
    name = CharField(max_length=120)
    place = CharField(max_length=200, default="")
    holder = ForeignKeyField(placette.User, null=True, backref="+", on_delete="SET NULL")
    held_since = DateTimeField(null=True)
    reminded_at = DateTimeField(null=True)
    version = IntegerField(default=0)
    created_at = DateTimeField(default=placette.utcnow)

    class Meta:
        table_name = "keys_room"
        indexes = ((("space", "name"), True),)

    @property
    def at_desk(self) -> bool:
        return self.held_since is None

    @property
    def path(self) -> str:
        """The room's page, built without a request (seeding, tasks, the resource registry)."""
        return f"/s/{self.space.slug}/keys/rooms/{self.id}"


class Handover(placette.BaseModel):
    """One line of the log: the key of ``room`` went from ``giver`` to ``receiver``.

    ``from_desk`` / ``returned`` mark a key taken from / brought back to the key desk (then
    ``giver`` / ``receiver`` is empty); an empty person otherwise means they have since deleted
    their account.
    """

    room = ForeignKeyField(Room, backref="handovers", on_delete="CASCADE")
    giver = ForeignKeyField(placette.User, null=True, backref="+", on_delete="SET NULL")
    receiver = ForeignKeyField(placette.User, null=True, backref="+", on_delete="SET NULL")
    from_desk = BooleanField(default=False)
    returned = BooleanField(default=False)
    recorded_by = ForeignKeyField(placette.User, null=True, backref="+", on_delete="SET NULL")
    note = TextField(default="")
    created_at = DateTimeField(default=placette.utcnow, index=True)

    class Meta:
        table_name = "keys_handover"
        indexes = ((("room", "created_at"), False),)


MODELS = [Room, Handover]
