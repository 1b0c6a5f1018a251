"""Seeding the demo city: every plugin's seed runs and is reported, a broken one stops the demo
with its name instead of leaving a city that silently lacks its content."""
from __future__ import annotations

import pytest

from placette import PluginManifest, hookimpl
from placette.errors import PluginError


class QuietSeeder:
    """A plugin whose seed returns nothing, as most do."""
    seeded = 0

    @hookimpl
    def register_manifest(self):
        return PluginManifest(name="quiet", title="Quiet")

    @hookimpl
    def seed_demo(self, city):
        QuietSeeder.seeded += 1
        assert "ville" in city.spaces


class BrokenSeeder:
    @hookimpl
    def register_manifest(self):
        return PluginManifest(name="broken", title="Broken")

    @hookimpl
    def seed_demo(self, city):
        raise RuntimeError("the sample file is missing")


@pytest.fixture
def placette_extra_plugins(request):
    plugins = {"quiet": QuietSeeder()}
    if "broken" in request.node.name:
        plugins["broken"] = BrokenSeeder()
    return plugins


def test_every_seeding_plugin_is_called_once_and_reported(app):
    from placette.demo.city import seed
    QuietSeeder.seeded = 0
    lines = []
    seed("demo-password", log=lines.append)
    assert QuietSeeder.seeded == 1
    assert "  seeded quiet" in lines


def test_a_broken_seed_stops_the_demo_and_names_the_plugin(app):
    from placette.demo.city import seed
    with pytest.raises(PluginError, match="plugin 'broken'.*the sample file is missing"):
        seed("demo-password", log=lambda *_: None)
