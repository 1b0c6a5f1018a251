"""The city-wide "resources" page takes, outside each reader's own spaces, what they may read
from a per-space reach kept by the database (migration 0005: ``documents_space_reach``, what an
anonymous visitor, any signed-in person and a city admin may read in each space).  After each
kind of write that changes what a space shows -- upload, deletion, a document's visibility, the
space's visibility, archiving, the library switched off or its module row removed, the space
deleted -- the kept reach equals a fresh count from the documents and ``can_read``, and every kind
of reader sees on the page the total and the space filter a brute-force count gives."""
from __future__ import annotations

import datetime as dt
import io
import re

import pytest

import placette
from placette_plugins.documents import library, queries
from placette_plugins.documents.models import Document
from placette_plugins.documents.queries import SPACE_COUNTS, SPACE_REACH


def _upload(space, actor, name, sample, visibility=None):
    library.upload(space, actor, [library.Incoming(io.BytesIO(sample.pdf()), name)],
                   visibility_value=visibility)
    return Document.select().order_by(Document.id.desc()).first()


def _library_on(space_id: int) -> bool:
    module = placette.Module
    return module.select().where((module.space == space_id) & (module.plugin == "documents")
                                 & (module.enabled == True)).exists()  # noqa: E712


def _readable(person) -> dict[int, int]:
    """``{space id: documents}`` ``person`` may read, document by document (no kept table)."""
    found: dict[int, int] = {}
    for document in Document.select():
        space = placette.Space.get_by_id(document.space_id)
        if _library_on(space.id) and placette.can_read(person, space, document.visibility):
            found[space.id] = found.get(space.id, 0) + 1
    return found


def _reach_is_exact(outsider, admin) -> None:
    """Each kept row is what anonymous visitors, a signed-in person without a role there and a
    city admin may read in the space; a row exists for each space with kept counts."""
    kept = {sid: (public, network, every) for sid, public, network, every
            in SPACE_REACH.select(SPACE_REACH.space_id, SPACE_REACH.public_n,
                                  SPACE_REACH.network_n, SPACE_REACH.all_n).tuples()}
    assert set(kept) == {sid for (sid,) in SPACE_COUNTS.select(SPACE_COUNTS.space_id)
                         .distinct().tuples()}
    anonymous, network, every = _readable(None), _readable(outsider), _readable(admin)
    fresh = {sid: (anonymous.get(sid, 0), network.get(sid, 0), every.get(sid, 0))
             for sid in set(anonymous) | set(network) | set(every)}
    assert {sid: row for sid, row in kept.items() if any(row)} == fresh


@pytest.fixture
def city(client, make_space, make_user, sign_in, sign_out, sample, monkeypatch):
    # Two spaces in the filter: the busiest are picked among more spaces than it shows.
    monkeypatch.setattr(queries, "CITY_FACETS", 2)
    spaces = {visibility: make_space(visibility, name=visibility.title(), visibility=visibility,
                                     plugins=["documents"])
              for visibility in ("public", "network", "members", "private")}
    spaces["busy"] = make_space("busy", name="Busy", visibility="network", plugins=["documents"])
    editor = make_user(member_of=list(spaces.values()), role="animator", name="Editrice")
    people = {
        "anonymous": None,
        "outsider": make_user(name="Voisine"),
        "member": make_user(member_of=[spaces["members"], spaces["network"]], name="Membre"),
        "animator": make_user(member_of=[spaces["private"]], role="animator", name="Animateur"),
        "editor": editor,
        "admin": make_user(admin=True, name="Admin"),
    }
    for slug, space in spaces.items():
        for visibility in (None, "public", "network", "members", "animators"):
            _upload(space, editor, f"{slug}-{visibility}.pdf", sample, visibility)
    for n in range(3):
        _upload(spaces["busy"], editor, f"busy-{n}.pdf", sample)

    def seen(person) -> tuple[int, list[tuple[str, int]]]:
        if person is None:
            sign_out()
        else:
            sign_in(person)
        html = client.get("/documents/").get_data(as_text=True)
        total = int(re.search(r'<p role="status">(\d+) documents?</p>', html).group(1))
        select = html.split('id="f-space"')[1].split("</select>")[0]
        return total, [(slug, int(n)) for slug, n in re.findall(
            r'<option value="([^"]+)"[^>]*>[^<(]*\((\d+)\)</option>', select)]

    def check() -> None:
        _reach_is_exact(people["outsider"], people["admin"])
        for name, person in people.items():
            counts = _readable(person)
            space = {s.id: s for s in placette.Space.select()}
            busiest = sorted(((space[sid].slug, space[sid].name, n, sid)
                              for sid, n in counts.items()), key=lambda r: (-r[2], r[3]))
            busiest = sorted(busiest[:queries.CITY_FACETS], key=lambda r: (-r[2], r[1]))
            expected = (sum(counts.values()), [(slug, n) for slug, _name, n, _sid in busiest])
            assert seen(person) == expected, name

    return spaces, people, check


def test_every_reader_sees_what_they_may_read_after_each_kind_of_write(city, sample):
    spaces, people, check = city
    editor = people["editor"]
    check()

    # Upload, then deletion.
    extra = _upload(spaces["public"], editor, "public-extra.pdf", sample)
    check()
    library.delete(extra, editor)
    check()
    # A document's visibility, wider then narrower.
    document = Document.get((Document.space == spaces["network"].id)
                            & (Document.visibility == "members"))
    library.edit(document, editor, visibility_value="public")
    check()
    library.edit(document, editor, visibility_value="animators")
    check()


@pytest.mark.parametrize("visibility", ["public", "network", "members", "private"])
def test_a_space_changing_visibility_changes_who_counts_its_documents(city, visibility):
    spaces, _people, check = city
    for space in spaces.values():
        if space.visibility != visibility:
            space.visibility = visibility
            space.save()
            check()


def test_an_archived_space_counts_for_city_admins_only_until_unarchived(city):
    spaces, _people, check = city
    for key in ("public", "members"):
        spaces[key].archived_at = dt.datetime(2026, 1, 1)
        spaces[key].save()
        check()
    spaces["public"].archived_at = None
    spaces["public"].save()
    check()


def test_the_library_switched_off_removed_or_its_space_deleted_leaves_the_counts(city):
    from placette.modules import set_module
    spaces, _people, check = city
    set_module(spaces["public"], "documents", False)
    check()
    set_module(spaces["public"], "documents", True)
    check()
    module = placette.Module
    module.delete().where((module.space == spaces["network"].id)
                          & (module.plugin == "documents")).execute()
    check()
    module.create(space=spaces["network"].id, plugin="documents", enabled=True)
    check()
    spaces["busy"].delete_instance()
    check()
