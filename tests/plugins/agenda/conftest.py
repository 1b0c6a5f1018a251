"""Fixtures of the agenda's tests: the plugin activated, helpers to create meetings."""
from __future__ import annotations

import datetime as dt

import pytest


@pytest.fixture
def placette_plugins():
    return ["agenda"]


@pytest.fixture
def local_now():
    """Now, as wall-clock time in Paris (the default instance zone), to the minute."""
    from zoneinfo import ZoneInfo
    return dt.datetime.now(ZoneInfo("Europe/Paris")).replace(tzinfo=None, second=0,
                                                              microsecond=0)


@pytest.fixture
def council(make_space):
    return make_space("quartier-nord", visibility="network", plugins=["agenda"],
                      name="Quartier Nord")


@pytest.fixture
def animator(make_user, council):
    return make_user(member_of=council, role="animator", name="Karim Animateur")


@pytest.fixture
def make_meeting(app, local_now):
    """``make_meeting(space, author, days=7, hours=2, **fields)`` through the service."""
    from placette_plugins.agenda import service

    def factory(space, author, days: float = 7, hours: float = 2, **fields):
        start = fields.pop("starts_at", None) or (local_now + dt.timedelta(days=days)).replace(
            minute=0)
        data = {"title": "Conseil de quartier", "starts_at": start,
                "ends_at": fields.pop("ends_at", None) or start + dt.timedelta(hours=hours)}
        data.update(fields)
        return service.create_meeting(space, author, data)
    return factory


@pytest.fixture
def events(app):
    """The recorded events, as (name, recipients, data) -- what the notification services get."""
    def read(name: str | None = None):
        from placette.models import Event
        query = Event.select().order_by(Event.id)
        if name:
            query = query.where(Event.name == name)
        return list(query)
    return read
