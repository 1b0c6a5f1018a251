"""Fixtures of the voting tests: the plugin activated, a council, its people, a poll factory."""
from __future__ import annotations

import pytest


@pytest.fixture
def placette_plugins():
    return ["voting"]


@pytest.fixture
def placette_language():
    return "en"


@pytest.fixture
def council(make_space):
    return make_space("quartier-nord", visibility="network", plugins=["voting"],
                      name="Quartier Nord")


@pytest.fixture
def animator(make_user, council):
    return make_user(member_of=council, role="animator", name="Karim Animateur")


@pytest.fixture
def voters(make_user, council):
    return [make_user(member_of=council, name=f"Voter {i}") for i in range(3)]


@pytest.fixture
def make_poll(app, council, animator):
    """``make_poll(kind, options=[...], **fields)`` through the service, open now."""
    from placette_plugins.voting import service

    def factory(kind="single", options=("Parc", "Place", "Rue"), space=None, **fields):
        data = {"title": f"Question {kind}", "kind": kind,
                "options": [] if kind == "yes_no" else list(options)}
        data.update(fields)
        return service.create_poll(space or council, animator, data)
    return factory
