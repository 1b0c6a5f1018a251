"""``event_listeners()``: one plugin acts on another's event without importing it -- after
commit, in its own transaction, retried when it fails; a listener of an undeclared event of an
activated plugin stops the start, one of a plugin that is not there is left out."""
from __future__ import annotations

import pytest

import placette
from gate_plugins import make_plugin


def speaker():
    return make_plugin("speaker", register_events=lambda: [
        placette.EventType("speaker.thing.said", "Something was said")])


def listener(heard):
    def on_said(event):
        heard.append((event.name, event.data, event.actor_id))
    return make_plugin("listener", event_listeners=lambda: {"speaker.thing.said": on_said,
                                                            "absent.thing.done": on_said})


HEARD: list = []


@pytest.fixture
def placette_extra_plugins():
    HEARD.clear()
    return {"speaker": speaker(), "listener": listener(HEARD)}


def test_a_listener_hears_a_committed_event_and_not_a_rolled_back_one(app, make_space,
                                                                      make_user):
    space = make_space("nord")
    person = make_user()
    with placette.atomic():
        placette.emit("speaker.thing.said", space=space, actor=person, data={"what": "hello"})
    assert HEARD == [("speaker.thing.said", {"what": "hello"}, person.id)]
    try:
        with placette.atomic():
            placette.emit("speaker.thing.said", space=space, data={"what": "never"})
            raise ValueError
    except ValueError:
        pass
    assert len(HEARD) == 1


def test_a_failing_listener_raises_for_the_queue_to_retry(app, make_space):
    from placette.events import listen, listeners
    from placette.models import Event
    space = make_space("nord")
    plugin, function = listeners()["speaker.thing.said"][0]
    assert plugin == "listener"
    event = Event.create(name="speaker.thing.said", plugin="speaker", space=space.id, data={})
    listeners()["speaker.thing.said"] = [("listener", lambda e: 1 / 0)]
    with pytest.raises(RuntimeError, match="listeners of event"):
        listen(event.id)
    listeners()["speaker.thing.said"] = [(plugin, function)]
    assert listen(event.id) == 1


def test_listening_to_an_undeclared_event_of_an_activated_plugin_stops_the_start(
        placette_config):
    bad = make_plugin("typo", event_listeners=lambda: {"speaker.thing.sayd": print})
    with pytest.raises(placette.PluginError, match="plugin 'typo'.*speaker.thing.sayd"):
        placette.create_app(config=placette_config, testing=True, check_migrations=False,
                            extra_plugins={"speaker": speaker(), "typo": bad})
