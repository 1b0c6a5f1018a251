"""The search index's engine-neutral part: the extra text plugins give for a resource.

Titles and summaries live on :class:`Resource`; ``body`` keeps what ``search_documents`` hooks
returned (a document's PDF text...), so result snippets can quote it.  The engine's own index --
an FTS5 table on SQLite, a ``tsvector`` table on PostgreSQL -- is created by the kernel migration
and written by :mod:`placette.search.engines`; it is not a peewee model, so schema diffs leave it
alone.
"""
from __future__ import annotations

from peewee import DateTimeField, ForeignKeyField, TextField

from ..db import KernelModel, utcnow
from .resources import Resource


class SearchDocument(KernelModel):
    resource = ForeignKeyField(Resource, primary_key=True, backref="+", on_delete="CASCADE")
    body = TextField(default="")
    indexed_at = DateTimeField(default=utcnow)
