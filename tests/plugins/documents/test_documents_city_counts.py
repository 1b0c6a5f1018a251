"""The city-wide "resources" page reads per-space document counts kept by the database on every
write (migration 0003), instead of counting every document on each visit.  After each kind of
write -- upload, visibility change, folder narrowing, deletion, moderation, module switched off --
every person sees the count of what they may see, and the kept table equals a fresh count."""
from __future__ import annotations

import io
import re

from peewee import fn

from moderation_helpers import hide, resource_of, restore
from placette_plugins.documents import library
from placette_plugins.documents.models import Document
from placette_plugins.documents.queries import SPACE_COUNTS


def _upload(space, actor, name, sample, folder=None):
    library.upload(space, actor, [library.Incoming(io.BytesIO(sample.pdf()), name)],
                   folder=folder)
    return Document.select().order_by(Document.id.desc()).first()


def _kept_is_exact() -> None:
    kept = {(r["space_id"], r["visibility"]): r["n"] for r in SPACE_COUNTS.select().dicts() if r["n"]}
    counted = {(sid, vis or ""): n for sid, vis, n in
               Document.select(Document.space, Document.visibility, fn.COUNT(Document.id))
               .group_by(Document.space, Document.visibility).tuples()}
    assert kept == counted


def test_each_person_sees_the_count_of_what_they_may_see_after_every_write(
        client, app, make_space, make_user, sign_in, sign_out, sample):
    nord = make_space("nord", name="Nord", visibility="network", plugins=["documents"])
    sud = make_space("sud", name="Sud", visibility="network", plugins=["documents"])
    animator = make_user(member_of=[nord, sud], role="animator", name="Animatrice")
    member = make_user(member_of=[nord], name="Membre")
    author = make_user(member_of=[nord], name="Autrice")
    outsider = make_user(name="Voisine")

    def seen(person) -> tuple[int, dict[str, int]]:
        sign_in(person)
        html = client.get("/documents/").get_data(as_text=True)
        total = int(re.search(r'<p role="status">(\d+) documents?</p>', html).group(1))
        select = html.split('id="f-space"')[1].split("</select>")[0]
        facets = {slug: int(n) for slug, n in
                  re.findall(r'<option value="([^"]+)"[^>]*>[^<(]*\((\d+)\)</option>', select)}
        return total, facets

    first, second, _third = [_upload(nord, animator, f"nord-{n}.pdf", sample)
                             for n in range(3)]
    _upload(sud, animator, "sud-0.pdf", sample)
    mine = _upload(nord, author, "autrice.pdf", sample)
    _kept_is_exact()
    assert seen(outsider) == (5, {"nord": 4, "sud": 1})

    # Narrower item visibility: the outsider loses one, then the member too.
    library.edit(first, animator, visibility_value="members")
    _kept_is_exact()
    assert seen(outsider) == (4, {"nord": 3, "sud": 1})
    assert seen(member) == (5, {"nord": 4, "sud": 1})
    library.edit(first, animator, visibility_value="animators")
    _kept_is_exact()
    assert seen(member) == (4, {"nord": 3, "sud": 1})
    assert seen(animator) == (5, {"nord": 4, "sud": 1})

    # A folder narrowed: what it holds narrows with it.
    folder = library.create_folder(sud, animator, "Brouillons")
    _upload(sud, animator, "sud-brouillon.pdf", sample, folder=folder)
    assert seen(outsider) == (5, {"nord": 3, "sud": 2})
    library.edit_folder(folder, animator, visibility_value="members")
    _kept_is_exact()
    assert seen(outsider) == (4, {"nord": 3, "sud": 1})
    assert seen(animator) == (6, {"nord": 4, "sud": 2})

    # Deleted.
    library.delete(second, animator)
    _kept_is_exact()
    assert seen(outsider) == (3, {"nord": 2, "sud": 1})

    # Hidden by moderation: gone for the others, still counted for its author and animators.
    hide(client, sign_in, member, animator, resource_of("documents", "document", mine.id))
    _kept_is_exact()  # moderation does not write the kept counts: it is subtracted per reader
    assert seen(outsider) == (2, {"nord": 1, "sud": 1})
    assert seen(member) == (2, {"nord": 1, "sud": 1})  # nord-0 is for animators
    assert seen(author) == (3, {"nord": 2, "sud": 1})
    assert seen(animator) == (5, {"nord": 3, "sud": 2})
    restore(client, sign_in, animator, resource_of("documents", "document", mine.id))
    assert seen(outsider) == (3, {"nord": 2, "sud": 1})

    # The library switched off in a space: its documents leave the city view.
    from placette.modules import set_module
    set_module(sud, "documents", False)
    assert seen(animator) == (3, {"nord": 3})
    sign_out()
    assert "0 documents" in client.get("/documents/").get_data(as_text=True)  # all "network"


def test_a_space_whose_documents_are_hidden_gives_way_in_the_space_filter(
        client, make_space, make_user, sign_in, sample, monkeypatch):
    """The filter names the busiest spaces by what each reader may see: a space busiest by its
    kept count drops below others, or out of the list, once moderation hides its documents --
    for the other readers only -- and the total follows."""
    from placette_plugins.documents import queries
    monkeypatch.setattr(queries, "CITY_FACETS", 2)
    spaces = [make_space(slug, name=slug.title(), visibility="network", plugins=["documents"])
              for slug in ("aval", "bourg", "cime", "dune")]
    animator = make_user(member_of=spaces, role="animator", name="Animatrice")
    reporter = make_user(member_of=spaces, name="Membre")
    outsider = make_user(name="Voisine")
    docs = {space.slug: [_upload(space, animator, f"{space.slug}-{n}.pdf", sample)
                         for n in range(count)]
            for space, count in zip(spaces, (3, 2, 2, 1))}

    def seen(person) -> tuple[int, list[tuple[str, int]]]:
        sign_in(person)
        html = client.get("/documents/").get_data(as_text=True)
        total = int(re.search(r'<p role="status">(\d+) documents?</p>', html).group(1))
        select = html.split('id="f-space"')[1].split("</select>")[0]
        return total, [(slug, int(n)) for slug, n in re.findall(
            r'<option value="([^"]+)"[^>]*>[^<(]*\((\d+)\)</option>', select)]

    assert seen(outsider) == (8, [("aval", 3), ("bourg", 2)])
    for document in docs["aval"][:2]:
        hide(client, sign_in, reporter, animator, resource_of("documents", "document",
                                                              document.id))
    assert seen(outsider) == (6, [("bourg", 2), ("cime", 2)])
    assert seen(animator) == (8, [("aval", 3), ("bourg", 2)])
    for document in docs["bourg"]:
        hide(client, sign_in, reporter, animator, resource_of("documents", "document",
                                                              document.id))
    assert seen(outsider) == (4, [("cime", 2), ("aval", 1)])
