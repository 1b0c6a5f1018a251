"""Fixtures of the drafting tests: the plugin activated, a council, its drafting group (the
animator), members, an outsider, and a draft factory."""
from __future__ import annotations

import pytest

from drafting_helpers import TEXT


@pytest.fixture
def placette_plugins():
    return ["drafting"]


@pytest.fixture
def placette_language():
    return "en"


@pytest.fixture
def council(make_space):
    return make_space("quartier-nord", visibility="members", plugins=["drafting"],
                      name="Quartier Nord")


@pytest.fixture
def animator(make_user, council):
    return make_user(member_of=council, role="animator", name="Karim Animateur")


@pytest.fixture
def members(make_user, council):
    return [make_user(member_of=council, name=f"Member {i}") for i in range(3)]


@pytest.fixture
def outsider(make_user, make_space):
    other = make_space("quartier-sud", plugins=["drafting"])
    return make_user(member_of=other, name="Outsider")


@pytest.fixture
def make_draft(app, council, animator):
    """``make_draft(body=TEXT, state="writing")`` through the service."""
    from placette_plugins.drafting import service

    def factory(body=TEXT, state="writing", title="Avis mobilités", space=None):
        draft = service.create_draft(space or council, animator, title, body)
        for step in ("consultation", "adopted", "published"):
            if draft.state == state:
                break
            service.change_state(draft, animator, step, "14 pour, 2 contre")
        return draft
    return factory
