"""Other plugins build on placette-keys through its room page's ``resource.footer`` slot, and
nothing of the keys shows where the module is off -- tested with a small in-process plugin."""
import pytest
from markupsafe import Markup, escape

import placette
from placette import hookimpl


class Footnote:
    """A plugin of a few lines, as a discussions plugin would be: it adds to any resource page."""

    @hookimpl
    def register_manifest(self):
        return placette.PluginManifest(name="footnote", title="Footnote")

    @hookimpl
    def render_slot(self, slot, context):
        if slot == "resource.footer":
            return Markup("<p class='footnote'>About %s</p>") % escape(context.resource.key)
        return None


@pytest.fixture
def placette_extra_plugins():
    return {"footnote": Footnote()}


def test_the_room_page_renders_the_resource_footer_slot(client, make_space, make_user, sign_in):
    from placette_keys.service import create_room
    space = make_space("quartier-nord", plugins=["keys", "footnote"])
    room = create_room(space, "Salle A")
    sign_in(make_user(member_of=space))
    page = client.get(f"/s/quartier-nord/keys/rooms/{room.id}").get_data(as_text=True)
    assert f"About keys.room:{room.id}" in page


def test_a_plugin_off_in_the_space_adds_nothing(client, make_space, make_user, sign_in):
    from placette_keys.service import create_room
    space = make_space("quartier-nord", plugins=["keys"])
    room = create_room(space, "Salle A")
    sign_in(make_user(member_of=space))
    page = client.get(f"/s/quartier-nord/keys/rooms/{room.id}").get_data(as_text=True)
    assert "footnote" not in page


def test_the_dashboard_reminder_costs_the_same_queries_with_one_key_or_six(
        client, make_space, make_user, sign_in):
    """"My network" lists the keys a person holds: holding keys in six councils must not make
    the page ask the database six times more."""
    from placette.db import query_counter
    from placette_keys.service import create_room, hand_over
    holder = make_user(name="Martine Membre")
    counts = []
    for n in range(6):
        space = make_space(f"conseil-{n}", plugins=["keys"])
        placette.set_module(space, "keys", True)
        from placette.spaces import add_member
        add_member(space, holder, "member")
        room = create_room(space, f"Salle {n}")
        hand_over(room, space, holder.id, holder)
        if n in (0, 5):
            sign_in(holder)
            assert f"Salle {n}" in client.get("/").get_data(as_text=True)
            query_counter.reset()
            client.get("/")
            counts.append(query_counter.count)
    assert counts[0] == counts[1], counts
