"""The plugin's one table, ``pages_page``.

A page belongs to one space and is found by its ``slug`` there (unique per space: the unique index
is what refuses a duplicate even when two people save at the same instant).  ``visibility`` is
``None`` for "the space's own", or narrower (``members``, ``animators``...), honoured by
``placette.visible()`` and ``placette.can()`` through the column's name.  Times are naive UTC.
"""
from __future__ import annotations

import placette
from peewee import CharField, DateTimeField, ForeignKeyField, IntegerField, TextField


class Page(placette.BaseModel):
    space = ForeignKeyField(placette.Space, backref="+", on_delete="CASCADE")
    slug = CharField(max_length=80)
    title = CharField(max_length=200)
    body = TextField(default="")  # Markdown source, rendered by placette.render_markdown
    position = IntegerField(default=0)  # lists and the footer: by position, then title
    visibility = CharField(max_length=16, null=True)  # None: the space's own
    author = ForeignKeyField(placette.User, null=True, backref="+", on_delete="SET NULL")
    updated_by = ForeignKeyField(placette.User, null=True, backref="+", on_delete="SET NULL")
    created_at = DateTimeField(default=placette.utcnow)
    updated_at = DateTimeField(default=placette.utcnow)

    class Meta:
        table_name = "pages_page"
        indexes = ((("space", "slug"), True), (("space", "position", "title"), False))


MODELS = [Page]
