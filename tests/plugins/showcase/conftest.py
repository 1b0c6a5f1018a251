"""Fixtures of the showcase tests: the showcase with pages and voting, a public council, a
private group, people, and a page factory.  Assertions read English."""
from __future__ import annotations

import pytest


@pytest.fixture
def placette_plugins():
    return ["agenda", "documents", "pages", "voting", "showcase"]


@pytest.fixture
def placette_language():
    return "en"


@pytest.fixture
def placette_settings():
    return {"plugin": {"showcase": {"stats_flush_seconds": 0,
                                    "frame_ancestors": ["https://www.ville.example"]}}}


@pytest.fixture
def council(make_space):
    return make_space("quartier-nord", visibility="public",
                      plugins=["pages", "voting", "showcase"], name="Quartier Nord",
                      settings={"showcase": {"latitude": 50.69, "longitude": 3.18}})


@pytest.fixture
def group(make_space):
    return make_space("groupe-secret", visibility="private",
                      plugins=["pages", "voting", "showcase"], name="Groupe Confidentiel")


@pytest.fixture
def people(council, group, make_user):
    return {"animator": make_user(name="Karim Animateur", member_of=council, role="animator"),
            "member": make_user(name="Martine Membre", member_of=council),
            "group_animator": make_user(name="Gaëlle Groupe", member_of=group, role="animator"),
            "admin": make_user(name="Claire Admin", admin=True)}


@pytest.fixture
def make_page(app):
    from placette_plugins.pages import service

    def factory(space, author, title, body="", **fields):
        return service.create_page(space, author, {"title": title, "body": body, **fields},
                                   notify=False)
    return factory


@pytest.fixture
def pick(app):
    """``pick(space, actor, key, introduction="")`` through the service."""
    from placette_plugins.showcase import service
    return service.pick


@pytest.fixture
def key_of():
    return lambda page: f"pages.page:{page.id}"


def _key_of(page) -> str:
    return f"pages.page:{page.id}"
