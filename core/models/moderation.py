"""Moderation: reports people make on resources, and the review case each reported or
pre-moderated resource opens for the space's animators.

The resource's own ``state`` (visible | hidden | pending, on :class:`Resource`) is what every
surface honours; these tables keep the why and the who, for the queue and the author.
"""
from __future__ import annotations

from peewee import BooleanField, CharField, DateTimeField, ForeignKeyField, IntegerField, TextField

from ..db import KernelModel, utcnow
from .resources import Resource
from .users import User

REPORT_CATEGORIES = ("abuse", "spam", "personal_data", "off_topic", "other")


class ModerationCase(KernelModel):
    """The review of one resource.  ``open`` cases are the queue; a decision closes the case.

    ``trigger`` says why it opened (``reports`` or ``premoderation``); ``report_count`` counts the
    distinct people whose reports are still open (denormalised so the queue costs one query).
    ``author_reason`` is the moderators' explanation shown to the author when hidden.
    """

    resource = ForeignKeyField(Resource, unique=True, backref="+", on_delete="CASCADE")
    open = BooleanField(default=True, index=True)
    trigger = CharField(max_length=16, default="reports")
    report_count = IntegerField(default=0)
    opened_at = DateTimeField(default=utcnow, index=True)
    last_report_at = DateTimeField(null=True)
    decision = CharField(max_length=16, null=True)  # approve | hide | restore
    author_reason = TextField(default="")
    decided_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    decided_at = DateTimeField(null=True)
    # Kept copies of the resource's space and plugin, and its place in the queue (``rank`` 0:
    # the resource is hidden -- someone's words are off the site, reviewed first -- 1:
    # otherwise): the queue counts its open cases and finds a page of them in the order it
    # shows from an index of this table alone, instead of reading every open case's resource.
    # Kept by placette.moderation.service (open_case, _set_state) and placette.resources.publish.
    space_id = IntegerField(null=True)
    plugin = CharField(max_length=64, default="")
    rank = IntegerField(default=1)

    class Meta:
        indexes = (
            # the queue (city-wide or the spaces one animates): count and pages
            (("open", "rank", "opened_at", "id", "plugin", "space_id"), False),
            # one space's queue
            (("space_id", "open", "rank", "opened_at", "id"), False),
        )


def queue_rank(state: str) -> int:
    """A case's ``rank`` for its resource's ``state``: hidden ones come first."""
    return 0 if state == "hidden" else 1


class Report(KernelModel):
    """Someone signalling a resource to the animators, with a category and their words.

    A report stays open until the case is decided; reporting again while open only updates the
    reason, so one person never counts twice towards the hiding threshold.
    """

    resource = ForeignKeyField(Resource, backref="+", on_delete="CASCADE")
    reporter = ForeignKeyField(User, backref="+", on_delete="CASCADE")
    category = CharField(max_length=16, default="other")
    reason = TextField(default="")
    created_at = DateTimeField(default=utcnow)
    closed_at = DateTimeField(null=True)

    class Meta:
        indexes = ((("resource", "closed_at"), False), (("reporter", "created_at"), False))
