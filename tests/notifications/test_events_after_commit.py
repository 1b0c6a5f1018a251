"""Events exist only for committed changes, and none is lost between commit and queue."""
import datetime as dt

import pytest

import placette
from placette.db import utcnow
from placette.events import UnknownEvent
from placette.models import Event, Notification


def test_undeclared_event_is_refused(app, notes_space):
    space = notes_space()
    with pytest.raises(UnknownEvent):
        placette.emit("notes.nothing.happened", space=space)


def test_committed_event_reaches_the_members(app, notes_space, make_user, note, happen):
    space = notes_space()
    author, reader = make_user(member_of=space), make_user(member_of=space)
    happen("notes.note.created", space, note(space), actor=author)
    event = Event.get()
    assert event.dispatched_at is not None and event.plugin == "notes"
    assert [n.user_id for n in Notification.select()] == [reader.id]  # not the author


def test_rolled_back_transaction_leaves_no_event_and_no_notification(app, notes_space,
                                                                     make_user, note):
    space = notes_space()
    make_user(member_of=space)
    with pytest.raises(RuntimeError):
        with placette.atomic():
            placette.emit("notes.note.created", space=space, resource=note(space))
            raise RuntimeError("the plugin's change failed")
    assert Event.select().count() == 0
    assert Notification.select().count() == 0


def test_rolled_back_savepoint_drops_its_event_only(app, notes_space, make_user, note):
    space = notes_space()
    make_user(member_of=space)
    with placette.atomic():
        placette.emit("notes.note.created", space=space, resource=note(space, "kept"))
        with pytest.raises(RuntimeError):
            with placette.atomic():  # a savepoint
                placette.emit("notes.note.created", space=space,
                              resource=note(space, "rolled back"))
                raise RuntimeError("nested failure")
    assert [e.resource.title for e in Event.select()] == ["kept"]
    assert Notification.select().count() == 1


def test_sweep_dispatches_an_event_whose_hand_over_was_lost(app, notes_space, make_user, note):
    """A crash between commit and enqueue: the event row is there, never dispatched."""
    from placette.notifications.dispatch import sweep
    space = notes_space()
    reader = make_user(member_of=space)
    old = utcnow() - dt.timedelta(minutes=10)
    lost = Event.create(name="notes.note.created", plugin="notes", space=space,
                        resource=note(space), created_at=old)
    fresh = Event.create(name="notes.note.created", plugin="notes", space=space,
                         resource=note(space), created_at=utcnow())
    assert sweep()["events"] == 1
    assert Event.get_by_id(lost.id).dispatched_at is not None
    assert Event.get_by_id(fresh.id).dispatched_at is None  # its task may still be on its way
    assert [n.user_id for n in Notification.select()] == [reader.id]


def test_dispatching_twice_notifies_once(app, notes_space, make_user, note, happen):
    from placette.notifications.dispatch import dispatch
    space = notes_space()
    make_user(member_of=space)
    event = happen("notes.note.created", space, note(space))
    assert dispatch(event.id) == 0
    assert Notification.select().count() == 1
