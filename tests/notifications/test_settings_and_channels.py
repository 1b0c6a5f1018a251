"""People choose per channel; a plugin adds a channel without any kernel change."""
import pytest

import placette
from placette import PluginManifest, hookimpl
from placette.errors import PluginError
from placette.models import Mute, User

from .conftest import NotesPlugin


def test_profile_offers_every_channel_with_daily_digest_by_default(client, make_user, sign_in):
    sign_in(make_user())
    page = client.get("/me/").get_data(as_text=True)
    assert 'id="notifications"' in page
    assert 'name="mode-email" value="daily" checked' in page
    assert 'name="mode-inapp" value="immediate" checked' in page
    for mode in ("immediate", "weekly", "off"):
        assert f'id="mode-email-{mode}"' in page and f'for="mode-email-{mode}"' in page


def test_choices_are_saved_and_bad_ones_refused(client, make_user, sign_in):
    user = sign_in(make_user())
    client.post("/me/notifications", data={"mode-email": "weekly", "mode-inapp": "off"})
    assert User.get_by_id(user.id).notification_prefs == {"email": "weekly", "inapp": "off"}
    response = client.post("/me/notifications", data={"mode-email": "hourly"},
                           follow_redirects=True)
    assert "Veuillez choisir l’une des options proposées" in response.get_data(as_text=True)
    assert User.get_by_id(user.id).notification_prefs["email"] == "weekly"
    page = client.get("/me/").get_data(as_text=True)
    assert 'name="mode-email" value="weekly" checked' in page


def test_muted_spaces_are_listed_and_can_be_unmuted(client, notes_space, make_user, sign_in):
    space = notes_space("bruyant")
    user = sign_in(make_user(member_of=space))
    mute = Mute.create(user=user, space=space)
    assert "Bruyant" in client.get("/me/").get_data(as_text=True)
    client.post(f"/me/mutes/{mute.id}/delete")
    assert Mute.select().count() == 0
    other = Mute.create(user=make_user(), space=space)
    assert client.post(f"/me/mutes/{other.id}/delete").status_code == 404


# -- a plugin channel -------------------------------------------------------------------------

SENT: list[tuple[str, str]] = []


class Pager(placette.NotificationChannel):
    """A channel as the SMS plugin will write one: immediate or off, opt-in, needs a phone."""

    name = "pager"
    label = "Pager"
    modes = ("immediate", "off")
    default_mode = "off"

    def available_for(self, user):
        return bool(user.phone)

    def send(self, user, items, links):
        for item in items:
            SENT.append((user.phone, f"{item.label}: {item.title} {item.url}"))


class PagerPlugin:
    @hookimpl
    def register_manifest(self):
        return PluginManifest(name="pager", title="Pager")

    @hookimpl
    def notification_channels(self):
        return [Pager()]


@pytest.fixture
def placette_extra_plugins():
    return {"notes": NotesPlugin(), "pager": PagerPlugin()}


def test_a_plugin_channel_reaches_only_those_who_opted_in(client, notes_space, make_user,
                                                                 note, happen, sign_in):
    SENT.clear()
    space = notes_space()
    opted = make_user(member_of=space, phone="+33600000001")
    make_user(member_of=space, phone="+33600000002")  # default: off
    make_user(member_of=space)  # no phone: not offered
    sign_in(opted)
    assert 'name="mode-pager"' in client.get("/me/").get_data(as_text=True)
    client.post("/me/notifications", data={"mode-pager": "immediate"})
    happen("notes.note.created", space, note(space, "Pas urgent"))
    happen("notes.meeting.moved", space, note(space, "Réunion déplacée"))
    assert [phone for phone, _ in SENT] == ["+33600000001", "+33600000001"]
    assert "Réunion déplacée" in SENT[1][1] and "http://localhost/s/" in SENT[1][1]


def test_a_channel_that_breaks_the_contract_stops_the_start(placette_config):
    from placette.app import create_app

    class Bad(placette.NotificationChannel):
        name = "somebody-else"

    class BadPlugin:
        @hookimpl
        def register_manifest(self):
            return PluginManifest(name="badchan", title="Bad")

        @hookimpl
        def notification_channels(self):
            return [Bad()]

    with pytest.raises(PluginError, match="badchan"):
        create_app(config=placette_config, extra_plugins={"badchan": BadPlugin()},
                   testing=True, check_migrations=False)


@pytest.mark.parametrize("modes, missing", [(("immediate", "off"), "send()"),
                                             (("daily", "off"), "send()")])
def test_a_channel_without_the_senders_its_modes_need_stops_the_start(placette_config, modes,
                                                                       missing):
    from placette.app import create_app

    class Mute(placette.NotificationChannel):
        name = "silent"
        label = "Silent"
        default_mode = "off"

    Mute.modes = modes

    class Digestless(placette.NotificationChannel):
        name = "silent"
        label = "Silent"
        default_mode = "off"

        def send(self, user, items, links):
            pass

    Digestless.modes = ("daily", "off")

    class SilentPlugin:
        channel = Mute()

        @hookimpl
        def register_manifest(self):
            return PluginManifest(name="silent", title="Silent")

        @hookimpl
        def notification_channels(self):
            return [self.channel]

    with pytest.raises(PluginError, match=rf"plugin 'silent'.*must implement {missing}"):
        create_app(config=placette_config, extra_plugins={"silent": SilentPlugin()},
                   testing=True, check_migrations=False)
    plugin = SilentPlugin()
    plugin.channel = Digestless()
    with pytest.raises(PluginError, match=r"must implement send_digest\(\)"):
        create_app(config=placette_config, extra_plugins={"silent": plugin},
                   testing=True, check_migrations=False)


def test_my_data_export_includes_notifications_and_mutes(client, notes_space, make_user, note,
                                                         happen, sign_in):
    space = notes_space("conseil")
    user = sign_in(make_user(member_of=space))
    happen("notes.note.created", space, note(space))
    Mute.create(user=user, space=space)
    data = client.get("/me/data.json").get_json()
    mine = data  # the kernel's services sit at the top level of the export
    assert mine["notifications"][0]["event"] == "notes.note.created"
    assert mine["notifications"][0]["space"] == "conseil"
    assert mine["mutes"][0]["space"] == space.id
