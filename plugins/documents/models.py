"""The library's tables (all ``documents_*``).

Invariant that keeps every list one SQL query: an item's ``visibility`` column is its *effective*
visibility.  A folder or document is never wider than the folder it sits in (enforced on write and
cascaded when a folder narrows), so :func:`placette.visible` can judge each row on its own, without
walking the folder tree.
"""
from __future__ import annotations

from peewee import (BigIntegerField, CharField, DateTimeField, ForeignKeyField, IntegerField,
                    TextField)

import placette
from placette import BaseModel, utcnow


class Folder(BaseModel):
    """A folder of a space's library; folders nest (``parent``)."""

    space = ForeignKeyField(placette.Space, on_delete="CASCADE", backref="+")
    parent = ForeignKeyField("self", null=True, on_delete="CASCADE", backref="children")
    name = CharField(max_length=150)
    visibility = CharField(max_length=16, null=True)  # None: the space's own
    created_by = ForeignKeyField(placette.User, null=True, on_delete="SET NULL", backref="+")
    created_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "documents_folder"
        indexes = ((("space", "parent", "name"), False),)

    def placette_spaces(self):
        return [self.space]


class Document(BaseModel):
    """A document: its metadata; the bytes live in its versions.

    ``current_version_id`` points at the version people download (a plain integer rather than a
    foreign key: the two tables reference each other).  ``kind`` (pdf, text, spreadsheet,
    presentation, image) is copied from the current version so the city-wide view filters by type
    in SQL.
    """

    space = ForeignKeyField(placette.Space, on_delete="CASCADE", backref="+")
    folder = ForeignKeyField(Folder, null=True, on_delete="CASCADE", backref="documents")
    title = CharField(max_length=300)
    description = TextField(default="")
    alt_text = TextField(default="")
    visibility = CharField(max_length=16, null=True)
    kind = CharField(max_length=16, index=True)
    author = ForeignKeyField(placette.User, null=True, on_delete="SET NULL", backref="+")
    validated_at = DateTimeField(null=True)
    validated_by = ForeignKeyField(placette.User, null=True, on_delete="SET NULL", backref="+")
    current_version_id = IntegerField(null=True)
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow, index=True)

    class Meta:
        table_name = "documents_document"
        # (space, visibility): the city-wide count per space reads the index alone (0002).
        indexes = ((("space", "folder", "title"), False), (("space", "visibility"), False),
                   # the city's newest documents, in order (migration 0006)
                   (("updated_at", "id"), False))

    def placette_spaces(self):
        return [self.space]

    @property
    def is_image(self) -> bool:
        return self.kind == "image"


class Version(BaseModel):
    """One upload of a document's file.  Old versions stay downloadable; restoring one adds a new
    version that shares the old one's stored file (``storage_key``) rather than copying it.

    Derived data is filled by tasks: ``thumb_key``/``web_key`` for images (``image_status``), and
    ``text`` extracted from PDF and office files for search (``text_status``).
    """

    document = ForeignKeyField(Document, on_delete="CASCADE", backref="versions")
    number = IntegerField()
    storage_key = CharField(max_length=200, index=True)
    file_name = CharField(max_length=255)
    file_type = CharField(max_length=16)
    mime = CharField(max_length=100)
    size = BigIntegerField()
    sha256 = CharField(max_length=64)
    uploaded_by = ForeignKeyField(placette.User, null=True, on_delete="SET NULL", backref="+")
    created_at = DateTimeField(default=utcnow)
    restored_from = IntegerField(null=True)
    width = IntegerField(null=True)
    height = IntegerField(null=True)
    thumb_key = CharField(max_length=200, null=True)
    web_key = CharField(max_length=200, null=True)
    image_status = CharField(max_length=16, default="none")  # none | pending | ready | failed
    text = TextField(null=True)
    text_status = CharField(max_length=16, default="none")  # none | pending | done | failed

    class Meta:
        table_name = "documents_version"
        indexes = ((("document", "number"), True),)


class Tag(BaseModel):
    """A tag on a document (lower-cased), one row each so the city view filters in SQL."""

    document = ForeignKeyField(Document, on_delete="CASCADE", backref="tags")
    name = CharField(max_length=50, index=True)

    class Meta:
        table_name = "documents_tag"
        indexes = ((("document", "name"), True),)


class Attachment(BaseModel):
    """A document attached to another plugin's item, known only as a kernel ``Resource`` row."""

    document = ForeignKeyField(Document, on_delete="CASCADE", backref="attachments")
    resource = ForeignKeyField(placette.Resource, on_delete="CASCADE", backref="+")
    created_by = ForeignKeyField(placette.User, null=True, on_delete="SET NULL", backref="+")
    created_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "documents_attachment"
        indexes = ((("resource", "document"), True),)


MODELS = [Folder, Document, Version, Tag, Attachment]
