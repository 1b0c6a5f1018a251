"""SQLite keeps the plans of the library's statements from one visit to the next.

SQLite plans a statement again at every run when a *bound* value decides whether a partial
index applies -- and the registry has one on the rows moderation holds back (kernel migration
0008, ``WHERE state <> 'visible'``).  The moderation conditions compared the registry's state
with a bound ``"visible"``, so every gated list was planned anew on each visit (a 4 KB
statement: 0.13 ms kept, 0.39 ms planned again).  ``sqlite_stmt`` shows how many times each
prepared statement of the connection was prepared again."""
from __future__ import annotations

import io

import pytest

from moderation_helpers import hide, resource_of
from placette_plugins.documents import library
from placette_plugins.documents.models import Document


def test_the_library_pages_are_not_planned_again_at_each_visit(
        client, app, make_space, make_user, sign_in, sample):
    from placette.db import database, is_postgres
    if is_postgres():
        pytest.skip("SQLite's prepared statements (the PostgreSQL pass runs the rest)")
    nord = make_space("nord", name="Nord", visibility="network", plugins=["documents"])
    animator = make_user(member_of=[nord], role="animator", name="Animatrice")
    member = make_user(member_of=[nord], name="Membre")
    for n in range(3):
        library.upload(nord, animator, [library.Incoming(io.BytesIO(sample.pdf()),
                                                         f"nord-{n}.pdf")])
    held = Document.select().order_by(Document.id.desc()).first()
    hide(client, sign_in, member, animator, resource_of("documents", "document", held.id))

    sign_in(member)
    pages = ("/documents/", "/s/nord/documents/", f"/s/nord/documents/files/{held.id - 1}")

    def visit_and_count() -> dict[str, int]:
        for url in pages:
            assert client.get(url).status_code == 200, url
        return dict(database.obj.execute_sql("SELECT sql, reprep FROM sqlite_stmt").fetchall())

    # The first visit prepares them (schema changes made by the fixtures replan them once).
    before = visit_and_count()
    after = visit_and_count()
    after = visit_and_count()
    replanned = [sql for sql, times in after.items() if times > before.get(sql, times)
                 and " LIKE " not in sql]  # a LIKE pattern bound as a value: planned with it
    assert len([sql for sql in after if "placette_resource" in sql]) >= 3  # the gated lists
    assert replanned == []
