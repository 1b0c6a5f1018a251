"""A small in-process plugin ("notes") that declares events and a resource kind, the way any
plugin does, so the notification service is tested exactly as plugins will use it."""
from __future__ import annotations

import itertools

import pytest

import placette
from placette import (EventType, PluginManifest, ResourceKind, hookimpl, lazy_gettext as _l,
                      plural_label)


class NotesPlugin:
    @hookimpl
    def register_manifest(self):
        return PluginManifest(name="notes", title="Notes")

    @hookimpl
    def register_events(self):
        return [EventType("notes.note.created", _l("New note")),
                EventType("notes.meeting.moved", _l("Meeting moved"), urgency="urgent"),
                # Like the discussions plugin's: the note commented is the event's resource,
                # and the digest says "12 new comments on ..." in one line.
                EventType("notes.comment.created", _l("New comment"), grouped=plural_label(
                    "%(num)d new comment on “%(title)s”",
                    "%(num)d new comments on “%(title)s”")),
                EventType("notes.note.updated", _l("Note changed")),  # no grouped wording
                # told to named people, and news of the space all the same
                EventType("notes.key.handed_over", _l("A key changed hands"), activity=True)]

    @hookimpl
    def register_resource_kinds(self):
        return [ResourceKind("notes", "note", "Note")]


@pytest.fixture
def placette_extra_plugins():
    return {"notes": NotesPlugin()}


_ids = itertools.count(1)


@pytest.fixture
def note(app):
    """``note(space, title, visibility=None, author=None)`` -> a published resource."""
    def make(space, title="Compte rendu", visibility=None, author=None):
        n = next(_ids)
        return placette.publish_resource("notes", "note", n, space=space, title=title,
                                         url=f"/s/{space.slug}/notes/{n}", author=author,
                                         visibility=visibility)
    return make


@pytest.fixture
def happen(app):
    """``happen(name, space, resource=None, actor=None, recipients=None)``: emit in a committed
    transaction, as a plugin's view would."""
    def emit(name, space, resource=None, actor=None, recipients=None, data=None):
        with placette.atomic():
            return placette.emit(name, space=space, resource=resource, actor=actor,
                                 recipients=recipients, data=data)
    return emit


@pytest.fixture
def notes_space(make_space):
    """``notes_space(slug=None, visibility="network")`` with the notes module on."""
    def make(slug=None, visibility="network", **kwargs):
        return make_space(slug, visibility=visibility, plugins=["notes"], **kwargs)
    return make


@pytest.fixture
def placette_language():
    """These tests check that notifications follow each person's language, with French as the
    city's default (the product default)."""
    return "fr"
