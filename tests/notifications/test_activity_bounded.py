"""The dashboard's "what is new in my spaces" block reads a bounded number of events.

It used to read and sort every event of the reader's spaces to keep ten: a city with a long
history made every dashboard slower.  These tests measure the work the database does for the
block (SQLite: virtual-machine steps; PostgreSQL: rows the plan reads from the events table), not
time, and check the ten shown are still the ten newest the reader may see.
"""
import json

import pytest

from placette.db import database, is_postgres, utcnow
from placette.models import Event
from placette.notifications import queries


def _history(space, count: int, actor=None):
    """``count`` old events of everyone in ``space``, written in one statement."""
    now = utcnow()
    Event.insert_many([{"name": "notes.note.created", "plugin": "notes", "space": space.id,
                        "actor": actor, "data": {}, "created_at": now, "dispatched_at": now}
                       for _ in range(count)]).execute()


def _statements(monkeypatch, run) -> list[tuple[str, tuple]]:
    """The SQL statements ``run()`` sends, as sent."""
    seen = []
    real = database.obj.execute_sql

    def recording(sql, params=None, *args, **kwargs):
        seen.append((sql, tuple(params or ())))
        return real(sql, params, *args, **kwargs)
    monkeypatch.setattr(database.obj, "execute_sql", recording)
    try:
        run()
    finally:
        monkeypatch.undo()
    return seen


def _work(sql: str, params: tuple) -> int:
    """How much the database does to answer ``sql``."""
    if is_postgres():
        database.execute_sql("ANALYZE placette_event")  # as autovacuum would, in a real city
        cursor = database.execute_sql("EXPLAIN (ANALYZE, FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0]
        plan = json.loads(plan) if isinstance(plan, str) else plan
        total, todo = 0, [plan[0]["Plan"]]
        while todo:  # rows read from the events table, whichever node reads them
            node = todo.pop()
            todo.extend(node.get("Plans", []))
            if node.get("Relation Name") == "placette_event":
                loops = node.get("Actual Loops", 1)
                total += (node.get("Actual Rows", 0)
                          + node.get("Rows Removed by Filter", 0)) * loops
        return total
    steps = 0

    def count():
        nonlocal steps
        steps += 1
        return 0
    connection = database.connection()
    connection.set_progress_handler(count, 10)
    try:
        database.raw_execute_sql(sql, params).fetchall()
    finally:
        connection.set_progress_handler(None, 0)
    return steps


def _block_work(monkeypatch, reader, space_ids) -> int:
    statements = _statements(monkeypatch,
                             lambda: queries.recent_activity(reader, space_ids, 10))
    events = [s for s in statements if "placette_event" in s[0]]
    assert len(events) == 1  # one statement, whatever the history
    return _work(*events[0])


def test_dashboard_block_work_does_not_grow_with_history(app, notes_space, make_user, note,
                                                          happen, monkeypatch):
    spaces = [notes_space(f"quartier-{i}") for i in range(4)]
    reader = make_user(member_of=spaces)
    ids = [s.id for s in spaces]
    for space in spaces:
        _history(space, 50)
    short = _block_work(monkeypatch, reader, ids)
    for space in spaces:
        _history(space, 1000)
    long = _block_work(monkeypatch, reader, ids)
    # Reading every event would cost about 20 times more; a bounded read costs the same.
    assert long < short * 1.3, (short, long)


def test_the_block_still_shows_the_ten_newest_the_reader_may_see(app, notes_space, make_user,
                                                                 note, happen):
    busy, quiet, hidden = notes_space("busy"), notes_space("quiet"), notes_space("hidden")
    reader = make_user(member_of=[busy, quiet, hidden])
    happen("notes.note.created", quiet, note(quiet, "Ancienne note du quartier calme"))
    # Told to named people, yet news of the space (declared EventType(..., activity=True)).
    happen("notes.key.handed_over", quiet, note(quiet, "Clé remise"), recipients=[reader.id])
    for i in range(12):
        happen("notes.note.created", busy, note(busy, f"Note {i}"))
        # Newer than most, but never shown to a plain member, nor addressed to everyone:
        happen("notes.note.created", hidden, note(hidden, f"Animateurs {i}",
                                                  visibility="animators"))
        happen("notes.meeting.moved", hidden, note(hidden, f"Rappel {i}"),
               recipients=[reader.id])
    happen("notes.note.created", quiet, note(quiet, "Nouvelle note du quartier calme"))
    ids = [busy.id, quiet.id, hidden.id]
    shown = [e.resource.title for e in queries.recent_activity(reader, ids, 10)]
    full_sort = [e.resource.title for e in queries.activity(reader, ids).limit(10)]
    assert shown == full_sort
    assert shown[0] == "Nouvelle note du quartier calme"
    assert shown[1:] == [f"Note {i}" for i in range(11, 2, -1)]
    # The second page continues where the first stopped, across spaces.
    page2 = [e.resource.title for e in queries.recent_activity(reader, ids, 10, offset=10)]
    assert page2 == ["Note 2", "Note 1", "Note 0", "Clé remise",
                     "Ancienne note du quartier calme"]
