"""Search's recent tier (SQLite): the newest documents in an index of their own, so a common
word's rarity is counted over them, not over the whole city -- and what people find is what the
full index gives.

The tier's size is lowered here (a handful of documents instead of 8,192) so a few notes
exercise it; the behaviour tests run on both engines (PostgreSQL has no tier: they hold there as
they do everywhere), the tier's own bookkeeping on SQLite only.
"""
from __future__ import annotations

import pytest

from placette.db import database, is_postgres
from placette.notes import publish_note
from placette.resources import withdraw
from placette.search import engines, query

from search_helpers import titles

KEEP, SLACK, WINDOW = 6, 3, 4


@pytest.fixture
def small_tier(monkeypatch):
    monkeypatch.setattr(engines, "RECENT_DOCUMENTS", KEEP)
    monkeypatch.setattr(engines, "RECENT_SLACK", SLACK)
    monkeypatch.setattr(query, "RANK_WINDOW", WINDOW)


def _recent_ids() -> list[int]:
    return [rid for (rid,) in database.execute_sql(
        f"SELECT rowid FROM {engines.RECENT_TABLE} ORDER BY rowid").fetchall()]


def _full_ids() -> list[int]:
    return [rid for (rid,) in database.execute_sql(
        f"SELECT rowid FROM {engines.FTS_TABLE} ORDER BY rowid").fetchall()]


def test_a_common_word_shows_the_newest_matches_the_person_may_see(
        client, make_space, make_user, sign_in, small_tier):
    nord = make_space("nord", name="Conseil Nord")
    secret = make_space("secret", visibility="private")
    member = make_user(member_of=nord)
    outsider = make_user(member_of=secret)
    for n in range(12):
        publish_note(nord, member, f"Jardin partagé {n}", "Un jardin de quartier.")
    sign_in(member)
    # The four newest of twelve, ranked; the page says there are more.
    assert sorted(titles(client, "jardin")) == sorted(f"Jardin partagé {n}" for n in range(8, 12))
    assert "More than 4 results" in client.get("/search?q=jardin").get_data(as_text=True)

    # Newer notes the member may not see fill the tier: the member's window is read from the
    # full index instead, and is the same.
    for n in range(10):
        publish_note(secret, outsider, f"Jardin secret {n}", "")
    assert sorted(titles(client, "jardin")) == sorted(f"Jardin partagé {n}" for n in range(8, 12))
    sign_in(outsider)
    assert sorted(titles(client, "jardin")) == sorted(f"Jardin secret {n}" for n in range(6, 10))


def test_old_texts_left_the_tier_and_are_still_found(client, make_space, make_user, sign_in,
                                                     small_tier):
    council = make_space("centre")
    member = make_user(member_of=council)
    compost = publish_note(council, member, "Compost collectif", "Bacs au square.")
    for n in range(20):
        publish_note(council, member, f"Atelier vélo {n}", "")
    sign_in(member)
    assert titles(client, "compost") == ["Compost collectif"]
    assert titles(client, "bacs square") == ["Compost collectif"]
    # An old text edited is found by its new words, and only by them.
    publish_note(council, member, "Compost de quartier", "Bacs au parc.",
                 object_id=compost.object_id)
    assert titles(client, "parc") == ["Compost de quartier"]
    assert titles(client, "square") == []


def test_the_tier_keeps_the_newest_documents_and_every_one_from_its_oldest_up(
        app, make_space, make_user, small_tier):
    _sqlite_only()
    council = make_space("centre")
    member = make_user(member_of=council)
    notes = [publish_note(council, member, f"Note {n}", "") for n in range(30)]
    recent = _recent_ids()
    assert KEEP <= len(recent) <= KEEP + SLACK  # bounded, trimmed by batches
    assert recent == [rid for rid in _full_ids() if rid >= recent[0]]
    assert recent[-1] == notes[-1].id

    # An old note edited stays out (the one just older than the tier's oldest: let in, it would
    # stand alone before the notes that left); a recent one edited stays in; one withdrawn
    # leaves both.
    while recent[-1] - recent[0] + 1 >= KEEP + SLACK:  # room left: no trim would hide it
        notes.append(publish_note(council, member, f"Note {len(notes)}", ""))
        recent = _recent_ids()
    older = next(note for note in reversed(notes) if note.id < recent[0])
    publish_note(council, member, "Note revue", "", object_id=older.object_id)
    assert older.id not in _recent_ids()
    publish_note(council, member, "Note 29, revue", "", object_id=notes[-1].object_id)
    assert notes[-1].id in _recent_ids()
    withdraw(notes[-2].plugin, notes[-2].kind, notes[-2].object_id)
    assert notes[-2].id not in _recent_ids() and notes[-2].id not in _full_ids()
    recent = _recent_ids()
    assert recent == [rid for rid in _full_ids() if rid >= recent[0]]


def test_a_rebuilt_index_refills_the_tier(app, make_space, make_user, small_tier):
    _sqlite_only()
    council = make_space("centre")
    member = make_user(member_of=council)
    for n in range(15):
        publish_note(council, member, f"Note {n}", "")
    engines.forget(_full_ids())
    assert _recent_ids() == [] and _full_ids() == []
    engines.rebuild(hooks=False)
    recent = _recent_ids()
    assert len(_full_ids()) == 15
    assert KEEP <= len(recent) <= KEEP + SLACK
    assert recent == _full_ids()[-len(recent):]


def _sqlite_only() -> None:
    if is_postgres():
        pytest.skip("the recent tier is SQLite's (PostgreSQL's ranking counts no documents)")


def test_a_tier_emptied_by_withdrawals_starts_again_with_newer_texts(
        client, make_space, make_user, sign_in, small_tier):
    council = make_space("centre")
    member = make_user(member_of=council)
    notes = [publish_note(council, member, f"Jardin {n}", "") for n in range(20)]
    sign_in(member)
    if not is_postgres():
        in_tier = set(_recent_ids())
    else:
        in_tier = {note.id for note in notes[-KEEP:]}
    for note in notes:
        if note.id in in_tier:
            withdraw(note.plugin, note.kind, note.object_id)
    left = [note for note in notes if note.id not in in_tier]
    if not is_postgres():
        assert _recent_ids() == []
    # An old text edited is indexed (not in the empty tier), then a new one starts the tier.
    publish_note(council, member, "Jardin potager", "", object_id=left[0].object_id)
    assert titles(client, "potager") == ["Jardin potager"]
    newest = publish_note(council, member, "Jardin neuf", "")
    if not is_postgres():
        assert _recent_ids() == [newest.id]
    assert sorted(titles(client, "jardin")) == sorted(
        ["Jardin neuf"] + [note.title for note in left[-(WINDOW - 1):]])
