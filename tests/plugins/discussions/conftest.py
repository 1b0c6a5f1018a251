"""Fixtures of the discussions' tests: the plugin with the agenda (its meetings are the items
commented on -- the discussions plugin itself knows nothing of the agenda), a council, people."""
from __future__ import annotations

import datetime as dt

import pytest


@pytest.fixture
def placette_plugins():
    return ["agenda", "discussions"]


@pytest.fixture
def placette_language():
    return "en"


@pytest.fixture
def council(make_space):
    return make_space("quartier-nord", visibility="members", plugins=["agenda", "discussions"],
                      name="Quartier Nord")


@pytest.fixture
def people(make_user, council):
    return {
        "karim": make_user(name="Karim Animateur", member_of=council, role="animator"),
        "martine": make_user(name="Martine Dupont", member_of=council),
        "youssef": make_user(name="Youssef Benali", member_of=council),
        "lea": make_user(name="Léa Martin"),          # not a member: may not see the council
    }


@pytest.fixture
def meeting(app, council, people):
    """A meeting published by the agenda, and its registry row (what comments hang on)."""
    import placette
    from placette_plugins.agenda import service as agenda
    start = (dt.datetime.utcnow() + dt.timedelta(days=7)).replace(microsecond=0, second=0)
    row = agenda.create_meeting(council, people["karim"], {
        "title": "Conseil de quartier", "starts_at": start,
        "ends_at": start + dt.timedelta(hours=2)})
    return placette.lookup_resource("agenda", "meeting", row.id)


@pytest.fixture
def comment_on(app):
    """``comment_on(resource, user, body, parent=None, stance=None)`` through the service."""
    from placette_plugins.discussions import service

    def write(resource, user, body, parent=None, stance=None):
        comment, _mentions = service.post_comment(user, resource, body, parent, stance)
        return comment
    return write
