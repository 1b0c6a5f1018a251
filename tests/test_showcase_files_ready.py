"""``placette.showcase_files_ready``: an offering plugin says a photo's smaller copies are
ready; the kernel event ``placette.showcase.files_ready`` reaches listeners only -- nobody is
notified, nothing shows on Activity -- and is not even recorded while nobody listens."""
from __future__ import annotations

import pytest

import placette
from gate_plugins import make_plugin

HEARD: list = []


def _window():
    return make_plugin("window", event_listeners=lambda: {
        "placette.showcase.files_ready": lambda event: HEARD.append(event.data["sources"])})


@pytest.fixture
def placette_extra_plugins():
    HEARD.clear()
    return {"window": _window()}


def test_listeners_hear_the_named_files_and_nobody_is_told(app, client, make_space, make_user,
                                                          sign_in):
    from placette.models import Event, Notification
    space = make_space("nord", visibility="public")
    member = make_user(member_of=space)
    with placette.atomic():
        event = placette.showcase_files_ready(space, ["albums.photo:2", "albums.photo:1",
                                                     "albums.photo:2", ""])
    assert HEARD == [["albums.photo:1", "albums.photo:2"]]
    assert event.name == "placette.showcase.files_ready" and event.recipients == []
    assert not Notification.select().exists()
    sign_in(member)
    activity = client.get("/s/nord/activity")
    assert activity.status_code == 200
    assert "smaller copies" not in activity.get_data(as_text=True)
    assert placette.showcase_files_ready(space, []) is None
    assert Event.select().count() == 1


def test_nothing_is_recorded_while_nobody_listens(app_factory, make_space):
    from placette.models import Event
    quiet = app_factory({})
    with quiet.app_context():
        space = make_space("sud")
        assert placette.showcase_files_ready(space, ["albums.photo:1"]) is None
        assert not Event.select().exists()


def test_a_rolled_back_change_says_nothing(app, make_space):
    space = make_space("est")
    with pytest.raises(ValueError):
        with placette.atomic():
            placette.showcase_files_ready(space, ["albums.photo:1"])
            raise ValueError
    assert HEARD == []
