"""The audit log: who did what, when, with the state before and after."""
from __future__ import annotations

from peewee import CharField, DateTimeField, ForeignKeyField

from ..db import KernelModel, utcnow
from .fields import JsonField
from .spaces import Space
from .users import User


class AuditEntry(KernelModel):
    actor = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    actor_label = CharField(max_length=254, default="")  # survives the actor's erasure
    action = CharField(max_length=100, index=True)
    target = CharField(max_length=200, default="")
    space = ForeignKeyField(Space, null=True, backref="+", on_delete="SET NULL")
    before = JsonField(null=True)
    after = JsonField(null=True)
    created_at = DateTimeField(default=utcnow, index=True)

    class Meta:
        indexes = ((("space", "created_at"), False),)  # a space's log, newest first
