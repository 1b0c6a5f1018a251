"""Fixtures of the pages plugin's tests: the plugin activated, a city space, a council, people.

Assertions read English (``placette_language``); the French test sets people's language."""
from __future__ import annotations

import pytest


@pytest.fixture
def placette_plugins():
    return ["pages"]


@pytest.fixture
def placette_language():
    return "en"


@pytest.fixture
def ville(make_space):
    """The city space (kind ``city``, public): its pages are in every page's footer."""
    return make_space("ville", visibility="public", kind="city", plugins=["pages"],
                      name="Villeneuve")


@pytest.fixture
def council(make_space, ville):
    return make_space("quartier-nord", visibility="network", plugins=["pages"],
                      parents=[ville], name="Quartier Nord")


@pytest.fixture
def people(council, ville, make_user):
    """The council's animator, one of its members, a signed-in stranger, the city's admin."""
    return {"animator": make_user(name="Karim Animateur", member_of=council, role="animator"),
            "member": make_user(name="Martine Membre", member_of=council),
            "stranger": make_user(name="Sam Stranger"),
            "admin": make_user(name="Claire Admin", member_of=ville, role="admin")}


@pytest.fixture
def make_page(app):
    """``make_page(space, author, title, body="", **fields)`` through the service (no event)."""
    from placette_plugins.pages import service

    def factory(space, author, title, body="", notify=False, **fields):
        return service.create_page(space, author, {"title": title, "body": body, **fields},
                                   notify=notify)
    return factory
