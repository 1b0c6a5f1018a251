"""The drafting plugin's tables (all named ``drafting_*``).

A draft's text lives in its versions: each save writes one ``Version`` row holding the whole
body and its paragraphs with their ids (JSON), so any version can be shown, diffed, exported or
restored without replaying edits.  ``Draft.version`` is the number of the newest one; a save
names the version it started from and the service compares it with ``Draft.version`` under a
row lock (``SELECT ... FOR UPDATE`` on PostgreSQL, ``BEGIN IMMEDIATE`` on SQLite), so two saves
landing together are merged one after the other, never one over the other.

Comments, ratings and amendments hang on a paragraph *id*; a comment also keeps its quote with
its prefix and suffix and where it was last found (``at_*``), re-anchored at each new version.
"""
from __future__ import annotations

import placette
from peewee import CharField, DateTimeField, ForeignKeyField, IntegerField, TextField

MAX_BODY = 200_000
MAX_COMMENT = 10_000
MAX_NOTE = 500
STATES = ("writing", "consultation", "adopted", "published")
ANCHOR_STATES = ("anchored", "moved", "changed", "outdated")
AMENDMENT_STATUSES = ("open", "accepted", "rejected")


class Draft(placette.BaseModel):
    space = ForeignKeyField(placette.Space, backref="+", on_delete="CASCADE")
    author = ForeignKeyField(placette.User, null=True, backref="+", on_delete="SET NULL")
    title = CharField(max_length=200)
    state = CharField(max_length=16, default="writing", index=True)
    version = IntegerField(default=1)        # the newest version's number
    decision = TextField(default="")         # the vote or decision that adopted it
    adopted_at = DateTimeField(null=True)
    adopted_version = IntegerField(null=True)
    published_at = DateTimeField(null=True)
    created_at = DateTimeField(default=placette.utcnow)
    updated_at = DateTimeField(default=placette.utcnow)

    class Meta:
        table_name = "drafting_draft"


class Version(placette.BaseModel):
    draft = ForeignKeyField(Draft, backref="+", on_delete="CASCADE")
    number = IntegerField()
    author = ForeignKeyField(placette.User, null=True, backref="+", on_delete="SET NULL")
    note = CharField(max_length=MAX_NOTE, default="")
    body = TextField()
    paragraphs = placette.JsonField(default=list)   # [{"id", "text"}] in order
    base = IntegerField(null=True)           # the version the save started from
    merged = IntegerField(default=0)         # 1: another save's changes were folded in
    restored_from = IntegerField(null=True)
    amendment = IntegerField(null=True)      # the accepted amendment it applies
    created_at = DateTimeField(default=placette.utcnow)

    class Meta:
        table_name = "drafting_version"
        indexes = ((("draft", "number"), True),)


class Comment(placette.BaseModel):
    draft = ForeignKeyField(Draft, backref="+", on_delete="CASCADE")
    parent = ForeignKeyField("self", null=True, backref="+", on_delete="CASCADE")
    own = ForeignKeyField(placette.Resource, null=True, backref="+", on_delete="SET NULL")
    author = ForeignKeyField(placette.User, null=True, backref="+", on_delete="SET NULL")
    body = TextField()
    version = IntegerField()                 # the version commented on
    paragraph = CharField(max_length=16)     # its paragraph id then
    quote = TextField(default="")            # "" = the whole paragraph
    prefix = CharField(max_length=64, default="")
    suffix = CharField(max_length=64, default="")
    at_paragraph = CharField(max_length=16, index=True)   # where it was last found
    at_text = TextField(default="")
    at_start = IntegerField(default=0)
    at_end = IntegerField(default=0)
    anchor_state = CharField(max_length=12, default="anchored")
    resolved_at = DateTimeField(null=True)
    resolved_by = ForeignKeyField(placette.User, null=True, backref="+", on_delete="SET NULL")
    created_at = DateTimeField(default=placette.utcnow)
    edited_at = DateTimeField(null=True)     # its author last corrected it (migration 0006)

    class Meta:
        table_name = "drafting_comment"
        # the second one serves a paragraph's page (migration 0005)
        indexes = ((("draft", "created_at"), False),
                   (("draft", "at_paragraph", "created_at"), False))


class Rating(placette.BaseModel):
    draft = ForeignKeyField(Draft, backref="+", on_delete="CASCADE")
    paragraph = CharField(max_length=16)
    user = ForeignKeyField(placette.User, null=True, backref="+", on_delete="CASCADE")
    agreement = IntegerField()               # 1 strongly disagree ... 5 strongly agree
    updated_at = DateTimeField(default=placette.utcnow)

    class Meta:
        table_name = "drafting_rating"
        # the second one covers the page's per-paragraph counts (migration 0002)
        indexes = ((("draft", "paragraph", "user"), True),
                   (("draft", "paragraph", "agreement"), False))


class Amendment(placette.BaseModel):
    draft = ForeignKeyField(Draft, backref="+", on_delete="CASCADE")
    paragraph = CharField(max_length=16)
    version = IntegerField()                 # the version it was proposed on
    original = TextField(default="")         # the paragraph's text then
    text = TextField()
    reason = TextField(default="")
    author = ForeignKeyField(placette.User, null=True, backref="+", on_delete="SET NULL")
    status = CharField(max_length=12, default="open")
    decision_reason = TextField(default="")
    decided_by = ForeignKeyField(placette.User, null=True, backref="+", on_delete="SET NULL")
    decided_at = DateTimeField(null=True)
    applied_version = IntegerField(null=True)
    created_at = DateTimeField(default=placette.utcnow)

    class Meta:
        table_name = "drafting_amendment"
        indexes = ((("draft", "created_at"), False),)


MODELS = [Draft, Version, Comment, Rating, Amendment]
