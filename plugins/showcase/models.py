"""The showcase's tables (all named ``showcase_*``).

A shown item is a **copy**, frozen when an animator picks (or republishes) an offer: its title,
text, provenance and files live here and in the public store, never read again from the
original.  So nothing public ever reaches into a space, and editing or deleting the original
changes nothing until an animator republishes.  A withdrawn item keeps its row (its old address
answers 410 Gone) but loses its text and files.  Times are naive UTC.
"""
from __future__ import annotations

import uuid

import placette
from peewee import (BigIntegerField, CharField, DateTimeField, ForeignKeyField, IntegerField,
                    TextField)

STATES = ("shown", "withdrawn")


def _uuid() -> str:
    return str(uuid.uuid4())


class Item(placette.BaseModel):
    space = ForeignKeyField(placette.Space, backref="+", on_delete="CASCADE")
    uuid = CharField(max_length=36, unique=True, default=_uuid)  # Atom id: urn:uuid:<uuid>
    resource_key = CharField(max_length=200)  # "plugin.kind:object_id" of the original
    category = CharField(max_length=16)
    title = CharField(max_length=300)
    summary = TextField(default="")
    body_html = TextField(default="")  # sanitised by the offering plugin
    introduction = TextField(default="")  # the animator's plain text, escaped when shown
    decided_at = DateTimeField(null=True)
    answer_status = CharField(max_length=120, null=True)
    dataset = CharField(max_length=16, null=True, index=True)
    data = placette.JsonField(default=dict)
    position = IntegerField(default=0)
    state = CharField(max_length=16, default="shown")
    picked_by = ForeignKeyField(placette.User, null=True, backref="+", on_delete="SET NULL")
    published_at = DateTimeField(default=placette.utcnow)
    republished_at = DateTimeField(null=True)
    updated_at = DateTimeField(default=placette.utcnow, index=True)
    withdrawn_at = DateTimeField(null=True)
    # The item's part of its open-data record, as the CSV and JSON files print it, written with
    # the item (records.py): a download joins them rather than formatting every record.
    csv_head = TextField(null=True)
    csv_tail = TextField(null=True)
    csv_keys = TextField(null=True)
    csv_cells = TextField(null=True)
    json_head = TextField(null=True)
    json_tail = TextField(null=True)
    json_data = TextField(null=True)

    class Meta:
        table_name = "showcase_item"
        indexes = ((("space", "state", "position"), False), (("state", "updated_at"), False),
                   # "what is next": the meetings still to come, soonest first
                   (("state", "category", "decided_at"), False))


class File(placette.BaseModel):
    """A file copied from the offer into the public store (``<uploads>/showcase/<key>``)."""

    item = ForeignKeyField(Item, backref="files", on_delete="CASCADE")
    name = CharField(max_length=255)
    content_type = CharField(max_length=100)
    size = BigIntegerField(default=0)
    storage_key = CharField(max_length=64)
    position = IntegerField(default=0)
    alt = TextField(default="")  # a photo's text alternative: shown as a picture, not a download
    caption = TextField(default="")
    # A photo's smaller copy for the gallery grid is a file of its own, pointing at the photo.
    thumbnail_of = ForeignKeyField("self", null=True, backref="+", on_delete="CASCADE")
    # What the offering plugin named the photo's original (ShowcaseFile.source, "" if nothing):
    # when it says its thumbnail and web copy are ready, the copy is completed (service.py).
    source = CharField(max_length=200, default="", index=True)

    class Meta:
        table_name = "showcase_file"


class View(placette.BaseModel):
    """Views of a shown item in one month ("2026-12"): a number, nothing about who."""

    item = ForeignKeyField(Item, backref="+", on_delete="CASCADE")
    month = CharField(max_length=7)
    count = IntegerField(default=0)

    class Meta:
        table_name = "showcase_view"
        indexes = ((("item", "month"), True),)


MODELS = [Item, File, View]
