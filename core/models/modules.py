"""Plugins as enabled in a space (modules), and per-space adjustments of who may do what."""
from __future__ import annotations

from peewee import BooleanField, CharField, DateTimeField, ForeignKeyField, IntegerField

from ..db import KernelModel, utcnow
from .fields import JsonField
from .spaces import Space


class Module(KernelModel):
    """(space, plugin): on or off, with settings validated against the plugin's schema.

    Turning a module off keeps the plugin's data: switching it back on brings everything back.
    """

    space = ForeignKeyField(Space, backref="modules", on_delete="CASCADE")
    plugin = CharField(max_length=64)
    enabled = BooleanField(default=True)
    settings = JsonField(default=dict)
    position = IntegerField(default=0)
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("space", "plugin"), True),)


class Grant(KernelModel):
    """A space's override of the minimum role an action needs (e.g. members may create meetings)."""

    space = ForeignKeyField(Space, backref="grants", on_delete="CASCADE")
    action = CharField(max_length=100)
    min_role = CharField(max_length=16)

    class Meta:
        indexes = ((("space", "action"), True),)
