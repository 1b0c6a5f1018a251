"""Events: what happened to a resource, recorded in the same transaction as the change."""
from __future__ import annotations

from peewee import CharField, DateTimeField, ForeignKeyField

from ..db import KernelModel, utcnow
from .fields import JsonField
from .resources import Resource
from .spaces import Space
from .users import User


class Event(KernelModel):
    """One occurrence of a declared event type (``agenda.meeting.moved``).

    Written inside the caller's transaction -- a rolled-back change leaves no event -- and handed
    to the notification services only after commit (``dispatched_at`` marks it done, so a crash
    between the two is caught up by the periodic sweep).
    """

    name = CharField(max_length=100, index=True)
    plugin = CharField(max_length=64, default="")  # the name's prefix: filters disabled modules
    space = ForeignKeyField(Space, backref="events", on_delete="CASCADE")
    resource = ForeignKeyField(Resource, null=True, backref="events", on_delete="CASCADE")
    actor = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    data = JsonField(default=dict)
    recipients = JsonField(null=True)  # explicit user ids, or None: the space's members
    created_at = DateTimeField(default=utcnow, index=True)
    dispatched_at = DateTimeField(null=True, index=True)

    class Meta:
        # (space, id): a space's newest events read backwards from the index, without a sort
        # (the dashboard's and space home's activity, placette.notifications.queries).
        indexes = ((("space", "created_at"), False), (("space", "id"), False))
