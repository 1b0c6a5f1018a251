"""The agenda's tables (all named ``agenda_*``).

Times are stored as naive UTC, like every timestamp in placette; ``Meeting.timezone`` keeps the
zone the meeting was planned in, so a recurrence ("first Tuesday at 18:00") keeps its wall-clock
time across daylight-saving changes.  ``first_start`` / ``last_end`` bound a whole series so that
lists find the meetings of a time window with one indexed query, recurring or not.
"""
from __future__ import annotations

import datetime as dt

import placette
from peewee import (BooleanField, CharField, DateTimeField, ForeignKeyField, IntegerField,
                    TextField)

STATUSES = ("planned", "moved", "cancelled")
ANSWERS = ("yes", "maybe", "no")
FAR_FUTURE = dt.datetime(2100, 1, 1)  # last_end of an endless series


class Meeting(placette.BaseModel):
    """A meeting, or a series of meetings when ``rrule`` is set.

    ``space`` is the space it was created in (its resource lives there); ``MeetingSpace`` rows
    list every space it appears in (a joint meeting of two councils), the home space included.
    """

    uid = CharField(max_length=120, unique=True)  # iCalendar UID: stable for ever
    space = ForeignKeyField(placette.Space, backref="+", on_delete="CASCADE")
    author = ForeignKeyField(placette.User, null=True, backref="+", on_delete="SET NULL")
    title = CharField(max_length=200)
    description = TextField(default="")
    starts_at = DateTimeField()  # UTC; for a series, the first occurrence (DTSTART)
    ends_at = DateTimeField()
    timezone = CharField(max_length=64, default="Europe/Paris")
    rrule = CharField(max_length=500, null=True)
    first_start = DateTimeField(index=True)  # == starts_at
    last_end = DateTimeField(index=True)  # end of the last occurrence (FAR_FUTURE if endless)
    address = CharField(max_length=300, default="")
    room = CharField(max_length=150, default="")
    map_url = CharField(max_length=500, default="")
    online_url = CharField(max_length=500, default="")
    capacity = IntegerField(null=True)
    visibility = CharField(max_length=16, null=True)  # None: the space's own
    status = CharField(max_length=16, default="planned")
    reminder_hours = placette.JsonField(default=list)
    sequence = IntegerField(default=0)
    resource = ForeignKeyField(placette.Resource, null=True, backref="+", on_delete="SET NULL")
    created_at = DateTimeField(default=placette.utcnow)
    updated_at = DateTimeField(default=placette.utcnow)
    cancelled_at = DateTimeField(null=True)
    materialized_until = DateTimeField(null=True)  # endless series: occurrences written so far

    class Meta:
        table_name = "agenda_meeting"

    def placette_spaces(self):
        """Every space the meeting appears in: ``placette.can()`` grants reading if any allows."""
        cached = getattr(self, "_spaces", None)
        if cached is None:
            # asked by every permission check on the meeting: SQL written once
            cached = placette.prepared("agenda.meeting_spaces", lambda mid: (
                placette.Space.select().join(
                    MeetingSpace, on=(MeetingSpace.space == placette.Space.id))
                .where(MeetingSpace.meeting == mid).order_by(MeetingSpace.id)),
                mid=self.id).rows()
            self._spaces = cached
        return cached

    @property
    def is_recurring(self) -> bool:
        return bool(self.rrule)

    @property
    def is_cancelled(self) -> bool:
        return self.status == "cancelled"


class MeetingSpace(placette.BaseModel):
    """A space a meeting appears in (the link table lists are filtered through)."""

    meeting = ForeignKeyField(Meeting, backref="links", on_delete="CASCADE")
    space = ForeignKeyField(placette.Space, backref="+", on_delete="CASCADE")

    class Meta:
        table_name = "agenda_meeting_space"
        indexes = ((("meeting", "space"), True), (("space", "meeting"), False))


class MeetingException(placette.BaseModel):
    """One occurrence of a series moved or cancelled (iCalendar RECURRENCE-ID / EXDATE)."""

    meeting = ForeignKeyField(Meeting, backref="exceptions", on_delete="CASCADE")
    occurrence = CharField(max_length=20)  # original start, UTC, "20260106T170000Z"
    original_start = DateTimeField()
    status = CharField(max_length=16)  # moved | cancelled
    starts_at = DateTimeField()
    ends_at = DateTimeField()
    updated_at = DateTimeField(default=placette.utcnow)

    class Meta:
        table_name = "agenda_meeting_exception"
        indexes = ((("meeting", "occurrence"), True),)


class MeetingOccurrence(placette.BaseModel):
    """Every date a meeting takes place, written out (a series up to two years ahead).

    Lists, month grids, dashboards and reminders read this table with plain indexed range
    queries: expanding hundreds of series on each page view would not scale (a ten-year monthly
    series costs a millisecond to expand; a city has hundreds).
    """

    meeting = ForeignKeyField(Meeting, backref="occurrences", on_delete="CASCADE")
    key = CharField(max_length=20, default="")  # "" single meeting; else original UTC start
    starts_at = DateTimeField(index=True)
    ends_at = DateTimeField()
    status = CharField(max_length=16, default="planned")

    class Meta:
        table_name = "agenda_occurrence"
        indexes = ((("meeting", "key"), True),)


class Rsvp(placette.BaseModel):
    """Someone's answer for a meeting (``occurrence`` is "" for a single meeting).

    ``waiting`` marks a "yes" beyond capacity: the earliest waiting answer is promoted when a
    seat frees up.
    """

    meeting = ForeignKeyField(Meeting, backref="rsvps", on_delete="CASCADE")
    occurrence = CharField(max_length=20, default="")
    user = ForeignKeyField(placette.User, backref="+", on_delete="CASCADE")
    answer = CharField(max_length=8)
    waiting = BooleanField(default=False)
    created_at = DateTimeField(default=placette.utcnow)
    updated_at = DateTimeField(default=placette.utcnow)

    class Meta:
        table_name = "agenda_rsvp"
        indexes = ((("meeting", "occurrence", "user"), True), (("user", "meeting"), False))


class Minutes(placette.BaseModel):
    """The minutes of a meeting (or of one occurrence of a series): the council's memory."""

    meeting = ForeignKeyField(Meeting, backref="minutes", on_delete="CASCADE")
    occurrence = CharField(max_length=20, default="")
    text = TextField(default="")
    author = ForeignKeyField(placette.User, null=True, backref="+", on_delete="SET NULL")
    updated_at = DateTimeField(default=placette.utcnow)

    class Meta:
        table_name = "agenda_minutes"
        indexes = ((("meeting", "occurrence"), True),)


class ReminderSent(placette.BaseModel):
    """Marker: this person was reminded of this occurrence at this offset.

    The unique index is what makes reminders go out once and only once, however many workers
    run the reminder task at the same moment: only the worker whose insert succeeds emits.
    ``occurrence`` is the occurrence's actual start, so moving a meeting re-arms its reminders.
    """

    meeting = ForeignKeyField(Meeting, backref="+", on_delete="CASCADE")
    occurrence = CharField(max_length=20)
    user = ForeignKeyField(placette.User, backref="+", on_delete="CASCADE")
    offset_hours = IntegerField()
    sent_at = DateTimeField(default=placette.utcnow)

    class Meta:
        table_name = "agenda_reminder_sent"
        indexes = ((("meeting", "occurrence", "user", "offset_hours"), True),)


class FeedToken(placette.BaseModel):
    """A person's secret for calendar feeds (calendar apps cannot sign in); revocable.

    Only the SHA-256 of the token is stored.  Whatever a feed shows is checked against what the
    token's owner may see at fetch time.
    """

    user = ForeignKeyField(placette.User, backref="+", on_delete="CASCADE")
    token_hash = CharField(max_length=64, unique=True)
    hint = CharField(max_length=8, default="")  # first characters, to recognise it
    created_at = DateTimeField(default=placette.utcnow)
    last_used_at = DateTimeField(null=True)
    revoked_at = DateTimeField(null=True)

    class Meta:
        table_name = "agenda_feed_token"


MODELS = [Meeting, MeetingSpace, MeetingException, MeetingOccurrence, Rsvp, Minutes, ReminderSent, FeedToken]
