"""The resource registry: one row per thing a plugin stores that people see.

Kernel services (moderation, search, activity, notifications, exports) work on these rows without
knowing the plugin; the plugin keeps the row in step through :mod:`placette.resources`.
"""
from __future__ import annotations

from peewee import CharField, DateTimeField, ForeignKeyField, TextField

from ..db import KernelModel, utcnow
from .spaces import Space
from .users import User


class Resource(KernelModel):
    plugin = CharField(max_length=64)
    kind = CharField(max_length=64)
    object_id = CharField(max_length=64)
    space = ForeignKeyField(Space, backref="resources", on_delete="CASCADE")
    visibility = CharField(max_length=16, null=True)  # None: the space's own
    author = ForeignKeyField(User, null=True, backref="resources", on_delete="SET NULL")
    title = CharField(max_length=300)
    summary = TextField(default="")
    url = CharField(max_length=500)
    state = CharField(max_length=16, default="visible")  # visible | hidden | pending
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow, index=True)

    class Meta:
        indexes = ((("plugin", "kind", "object_id"), True), (("space", "updated_at"), False))

    @property
    def key(self) -> str:
        return f"{self.plugin}.{self.kind}:{self.object_id}"
