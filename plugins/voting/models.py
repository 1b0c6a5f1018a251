"""The voting plugin's tables (all named ``voting_*``).

One ballot per person is the database's job, not a check-then-insert: ``Participation`` (the
"has voted" record) has a unique (poll, voter) index and is inserted in the same transaction as
the ballot, so of two concurrent casts for one person exactly one commits.  A secret ballot row
holds no voter id at all -- nothing in the database links it back to a person (its receipt code is
known only to the voter until the list of ballots is published).  Tallies are never stored: the
results are computed from ``Ballot`` rows each time.
"""
from __future__ import annotations

import placette
from peewee import (BooleanField, CharField, DateTimeField, ForeignKeyField, IntegerField,
                    TextField)

KINDS = ("single", "multiple", "yes_no", "approval", "ranking", "rating", "majority_judgment")
SCALES = {"agreement": 5, "importance": 4}  # rating scales and their number of levels
PROPOSAL_STATUSES = ("open", "accepted", "studied", "rejected")


class Poll(placette.BaseModel):
    space = ForeignKeyField(placette.Space, backref="+", on_delete="CASCADE")
    author = ForeignKeyField(placette.User, null=True, backref="+", on_delete="SET NULL")
    title = CharField(max_length=200)
    description = TextField(default="")
    kind = CharField(max_length=24)
    scale = CharField(max_length=16, default="")  # rating polls: agreement | importance
    opens_at = DateTimeField(index=True)  # naive UTC
    closes_at = DateTimeField(null=True, index=True)
    closed_at = DateTimeField(null=True)  # closed early by an animator, or when seen past closes_at
    secret = BooleanField(default=True)
    changeable = BooleanField(default=False)
    results = CharField(max_length=16, default="after_close")  # live | after_close
    eligible_roles = placette.JsonField(default=list)  # e.g. ["member", "animator", "admin"]
    eligible_frozen_at = DateTimeField(null=True)  # the list of eligible people, frozen at open
    eligible_count = IntegerField(default=0)
    closing_notified = BooleanField(default=False)
    created_at = DateTimeField(default=placette.utcnow)

    class Meta:
        table_name = "voting_poll"


class Option(placette.BaseModel):
    poll = ForeignKeyField(Poll, backref="options", on_delete="CASCADE")
    label = CharField(max_length=300)
    code = CharField(max_length=16, default="")  # yes / no / abstain for yes_no polls
    position = IntegerField(default=0)
    proposal = IntegerField(null=True)  # the proposal it came from, if any

    class Meta:
        table_name = "voting_option"


class Eligible(placette.BaseModel):
    """Who may vote, frozen when the poll opens (people who join later do not vote)."""

    poll = ForeignKeyField(Poll, backref="+", on_delete="CASCADE")
    user = ForeignKeyField(placette.User, backref="+", on_delete="CASCADE")

    class Meta:
        table_name = "voting_eligible"
        indexes = ((("poll", "user"), True),)


class Participation(placette.BaseModel):
    """The "has voted" record: the unique (poll, voter) index is the one-ballot guarantee."""

    poll = ForeignKeyField(Poll, backref="+", on_delete="CASCADE")
    voter = ForeignKeyField(placette.User, null=True, backref="+", on_delete="SET NULL")

    class Meta:
        table_name = "voting_participation"
        indexes = ((("poll", "voter"), True),)


class Ballot(placette.BaseModel):
    """What was chosen.  ``voter`` is NULL for a secret ballot, always.

    Neither this row nor ``Participation`` carries a time, and the ballot's key is its random
    receipt code rather than a growing id, so the order of the "has voted" rows cannot be lined
    up with the ballots to re-link a secret vote.
    """

    receipt = CharField(max_length=32, primary_key=True)
    poll = ForeignKeyField(Poll, backref="+", on_delete="CASCADE")
    voter = ForeignKeyField(placette.User, null=True, backref="+", on_delete="SET NULL")
    content = placette.JsonField()  # {"choices": [...]} | {"ranking": [...]} | {"grades": {...}}

    class Meta:
        table_name = "voting_ballot"


class Proposal(placette.BaseModel):
    space = ForeignKeyField(placette.Space, backref="+", on_delete="CASCADE")
    author = ForeignKeyField(placette.User, null=True, backref="+", on_delete="SET NULL")
    title = CharField(max_length=200)
    body = TextField(default="")
    status = CharField(max_length=16, default="open")
    reason = TextField(default="")
    answered_at = DateTimeField(null=True)
    created_at = DateTimeField(default=placette.utcnow)

    class Meta:
        table_name = "voting_proposal"


class Support(placette.BaseModel):
    proposal = ForeignKeyField(Proposal, backref="+", on_delete="CASCADE")
    user = ForeignKeyField(placette.User, null=True, backref="+", on_delete="SET NULL")
    created_at = DateTimeField(default=placette.utcnow)

    class Meta:
        table_name = "voting_support"
        indexes = ((("proposal", "user"), True),)


MODELS = [Poll, Option, Eligible, Participation, Ballot, Proposal, Support]
