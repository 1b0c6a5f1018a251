"""Notifications: who was told about which event, on which channel, and what they asked for.

* :class:`Notification` -- one row per (person, event), written by the fan-out.  It is the in-app
  inbox (bell, list, "mark read") and the source every other channel reads from.
* :class:`Delivery` -- an event pushed *immediately* on a channel (e-mail, SMS...).  Its unique
  (notification, channel) key makes a retried or duplicated delivery task a no-op, and tells the
  digest to leave the item out.
* :class:`DigestState` -- per (person, channel): the last digest period sent and the last
  notification id considered.  Claiming the period is one conditional UPDATE, so two digest runs
  (a restart, a second worker) can never both build a person's digest.
* :class:`Digest` -- one built digest (the items chosen at building time), sent by a task that
  marks ``sent_at``; a crash between building and sending is caught up by the sweep.
* :class:`Mute` -- "stop telling me about this space / this item" (one click from any mail).
* :class:`FeedToken` -- the secret in a person's private Atom feed URLs.
"""
from __future__ import annotations

from peewee import CharField, DateTimeField, ForeignKeyField, IntegerField

from ..db import KernelModel, utcnow
from .events import Event
from .fields import JsonField
from .resources import Resource
from .spaces import Space
from .users import User


class Notification(KernelModel):
    user = ForeignKeyField(User, backref="+", on_delete="CASCADE")
    event = ForeignKeyField(Event, backref="notifications", on_delete="CASCADE")
    created_at = DateTimeField(default=utcnow)
    read_at = DateTimeField(null=True)

    class Meta:
        indexes = ((("user", "event"), True), (("user", "read_at"), False),
                   (("user", "id"), False))


class Delivery(KernelModel):
    notification = ForeignKeyField(Notification, backref="+", on_delete="CASCADE")
    channel = CharField(max_length=64)
    sent_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("notification", "channel"), True),)


class DigestState(KernelModel):
    user = ForeignKeyField(User, backref="+", on_delete="CASCADE")
    channel = CharField(max_length=64)
    period = CharField(max_length=16, null=True)  # "D2026-11-25" or "W2026-48"
    watermark = IntegerField(default=0)  # notifications up to this id have been considered
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("user", "channel"), True),)


class Digest(KernelModel):
    user = ForeignKeyField(User, backref="+", on_delete="CASCADE")
    channel = CharField(max_length=64)
    period = CharField(max_length=16)
    items = JsonField(default=list)  # notification ids, in display order
    built_at = DateTimeField(default=utcnow)
    sent_at = DateTimeField(null=True, index=True)

    class Meta:
        indexes = ((("user", "channel", "period"), True),)


class Mute(KernelModel):
    user = ForeignKeyField(User, backref="+", on_delete="CASCADE")
    space = ForeignKeyField(Space, null=True, backref="+", on_delete="CASCADE")
    resource = ForeignKeyField(Resource, null=True, backref="+", on_delete="CASCADE")
    created_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("user", "space", "resource"), False),)


class FeedToken(KernelModel):
    """Stored as is, unlike sign-in secrets: it only reads feeds the owner may read anyway, and
    the owner must be able to copy their feed addresses again at any time."""

    user = ForeignKeyField(User, backref="+", on_delete="CASCADE", unique=True)
    token = CharField(max_length=64, unique=True)
    created_at = DateTimeField(default=utcnow)


NOTIFICATION_MODELS = [Notification, Delivery, DigestState, Digest, Mute, FeedToken]
