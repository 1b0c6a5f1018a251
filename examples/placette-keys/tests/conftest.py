"""placette-keys is tested the way any plugin author tests theirs: with the ``placette.testing``
fixtures (installed with placette as a pytest plugin), the plugin activated by
``placette_plugins``."""
import pytest


@pytest.fixture
def placette_plugins():
    return ["keys"]


@pytest.fixture
def council(make_space):
    """A network council with the keys module on."""
    return make_space("quartier-nord", plugins=["keys"])


@pytest.fixture
def people(council, make_user):
    """An animator, two members of the council, and a signed-in stranger."""
    return {"animator": make_user(name="Karim Animateur", member_of=council, role="animator"),
            "martine": make_user(name="Martine Membre", member_of=council),
            "youssef": make_user(name="Youssef Membre", member_of=council),
            "stranger": make_user(name="Sam Stranger")}


@pytest.fixture
def room(app, council):
    from placette_keys.service import create_room
    return create_room(council, "Salle polyvalente", "Maison de quartier")
