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
