"""What the sms plugin stores: numbers, verification codes, the message log, inbound texts.

Times are naive UTC.  Numbers are E.164 (``+33612345678``).  The log keeps one row per text,
with an idempotency key per (message, person) under a unique constraint: a retried task or a
second worker finds the row taken and never sends twice.  Bodies are erased after the
retention period (``[sms] retention_days``); statuses, segments and counts stay.
"""
from __future__ import annotations

import placette
from peewee import (BooleanField, CharField, DateTimeField, ForeignKeyField, IntegerField,
                    TextField)


class Phone(placette.BaseModel):
    """A person's mobile number.  Texts go only to a verified one; ``stopped_at`` is set by a
    STOP reply or Twilio's error 21610 and blocks every text until START."""

    user = ForeignKeyField(placette.User, unique=True, backref="+", on_delete="CASCADE")
    number = CharField(max_length=20, index=True)
    verified_at = DateTimeField(null=True)
    stopped_at = DateTimeField(null=True)
    created_at = DateTimeField(default=placette.utcnow)
    updated_at = DateTimeField(default=placette.utcnow)

    class Meta:
        table_name = "sms_phone"

    @property
    def reachable(self) -> bool:
        return self.verified_at is not None and self.stopped_at is None


class Code(placette.BaseModel):
    """A 6-digit verification code, stored hashed (HMAC with the instance's secret)."""

    user = ForeignKeyField(placette.User, backref="+", on_delete="CASCADE")
    number = CharField(max_length=20, index=True)
    code_hash = CharField(max_length=64)
    created_at = DateTimeField(default=placette.utcnow, index=True)
    expires_at = DateTimeField()
    tries = IntegerField(default=0)
    used_at = DateTimeField(null=True)

    class Meta:
        table_name = "sms_code"


class Message(placette.BaseModel):
    """One text to one number.  ``status`` is ours until the provider has it (``pending``,
    ``retrying``, ``claimed``, ``blocked``), then the provider's (``queued``, ``sent``,
    ``delivered``, ``undelivered``, ``failed``...) or ``outbox``."""

    space = ForeignKeyField(placette.Space, null=True, backref="+", on_delete="CASCADE")
    user = ForeignKeyField(placette.User, null=True, backref="+", on_delete="SET NULL")
    number = CharField(max_length=20, null=True)  # erased with the account
    kind = CharField(max_length=16)  # notification | verification | help | reply
    event = CharField(max_length=80, default="")
    meeting = IntegerField(null=True)  # the agenda's meeting a reminder is about (replies)
    occurrence = CharField(max_length=20, default="")
    body = TextField(null=True)  # erased after the retention period
    encoding = CharField(max_length=8, default="GSM-7")
    segments = IntegerField(default=1)
    status = CharField(max_length=16, default="pending", index=True)
    error_code = CharField(max_length=16, null=True)
    sid = CharField(max_length=64, null=True, unique=True)
    idempotency_key = CharField(max_length=120, unique=True)
    attempts = IntegerField(default=0)
    month = CharField(max_length=7)  # "2026-12": the budget's period
    due_at = DateTimeField(null=True)  # not before (quiet hours, a retry's backoff)
    created_at = DateTimeField(default=placette.utcnow, index=True)
    sent_at = DateTimeField(null=True)
    updated_at = DateTimeField(default=placette.utcnow)

    class Meta:
        table_name = "sms_message"
        # (space, month, status, segments) covers the animators' monthly counts, (space,
        # created_at) gives their log's newest texts (migration 0002)
        indexes = ((("space", "month", "status", "segments"), False),
                   (("space", "created_at"), False),
                   (("number", "created_at"), False))


class Inbound(placette.BaseModel):
    """A text received (Twilio's inbound webhook), once per MessageSid: a replay is a no-op."""

    message_sid = CharField(max_length=64, unique=True)
    number = CharField(max_length=20, null=True)
    user = ForeignKeyField(placette.User, null=True, backref="+", on_delete="SET NULL")
    body = TextField(null=True)
    action = CharField(max_length=16)  # stop | start | rsvp | help | ignored
    created_at = DateTimeField(default=placette.utcnow, index=True)

    class Meta:
        table_name = "sms_inbound"


class Link(placette.BaseModel):
    """A short link (``/sms/l/<token>``) to a page of the site: texts stay in one segment."""

    token = CharField(max_length=12, unique=True)
    url = CharField(max_length=1000)
    created_at = DateTimeField(default=placette.utcnow, index=True)

    class Meta:
        table_name = "sms_link"


class Usage(placette.BaseModel):
    """Texts counted against a space's budget this month: one row per (space, month), raised by
    a conditional UPDATE (``used < budget``), so two workers can never both take the last
    text of the budget."""

    space = ForeignKeyField(placette.Space, backref="+", on_delete="CASCADE")
    month = CharField(max_length=7)
    used = IntegerField(default=0)

    class Meta:
        table_name = "sms_usage"
        indexes = ((("space", "month"), True),)


class BudgetNotice(placette.BaseModel):
    """The 80 % warning and the 100 % stop, told to a space's animators once per month."""

    space = ForeignKeyField(placette.Space, backref="+", on_delete="CASCADE")
    month = CharField(max_length=7)
    level = IntegerField()  # 80 | 100
    created_at = DateTimeField(default=placette.utcnow)

    class Meta:
        table_name = "sms_budget_notice"
        indexes = ((("space", "month", "level"), True),)


class MonthCount(placette.BaseModel):
    """A finished month's texts and segments in a space (blocked ones left out), kept once none
    of its texts can change any more (none waiting, being sent or retried): the animators' page
    reads it rather than counting that month of the log again at every view (see
    ``sending.monthly_counts``, which writes it)."""

    space = ForeignKeyField(placette.Space, backref="+", on_delete="CASCADE")
    month = CharField(max_length=7)
    texts = IntegerField()
    segments = IntegerField()

    class Meta:
        table_name = "sms_month_count"
        indexes = ((("space", "month"), True),)


MODELS = [Phone, Code, Message, Inbound, Link, Usage, BudgetNotice, MonthCount]
