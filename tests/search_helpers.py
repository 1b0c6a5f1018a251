"""Small helpers shared by the search and moderation tests."""
from __future__ import annotations

import re

from peewee import CharField

import placette
from placette import hookimpl


def titles(client, query: str, **params) -> list[str]:
    """Titles of the results of the search page, as a person reads them (marks removed)."""
    response = client.get("/search", query_string={"q": query, **params})
    assert response.status_code == 200, response.status_code
    html = response.get_data(as_text=True)
    found = re.findall(r'<h3 class="result-title"><a href="[^"]*">(.*?)</a></h3>', html, re.S)
    return [re.sub(r"</?mark>", "", t).replace("&#39;", "'") for t in found]


class BooksPlugin:
    """An in-process plugin: a resource kind, extra searchable text, its own table."""

    extra_text: dict[str, str] = {}

    @hookimpl
    def register_manifest(self):
        return placette.PluginManifest(name="books", title="Books")

    @hookimpl
    def register_resource_kinds(self):
        return [placette.ResourceKind("books", "book", "Book", "Books")]

    @hookimpl
    def search_documents(self, resource):
        return self.extra_text.get(resource.object_id)


class Book(placette.BaseModel):
    title = CharField()

    class Meta:
        table_name = "books_book"
