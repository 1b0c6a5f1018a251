"""Small in-process plugins for the tests of the plugin machinery and the gate.

``make_plugin(name, **hooks)`` builds a plugin object the way a real distribution would expose
one through its entry point: an object whose attributes are ``@placette.hookimpl`` functions.
The ready-made plugins below cover what a plugin author does: pages in a space, a menu entry, a
slot, an action, a settings schema, an API path, a requirement, a veto, and hooks that break.
"""
from __future__ import annotations

from types import SimpleNamespace
from typing import Literal

from markupsafe import Markup
from pydantic import Field

import placette
from placette import (Action, EventType, NavItem, NoSettings, PluginManifest, SettingsSchema,
                      hookimpl)


def make_plugin(name: str, title: str | None = None, requires=(), settings=NoSettings,
                default_enabled: bool = False, **hooks):
    """A plugin object named ``name`` implementing ``register_manifest`` and ``hooks``."""
    manifest = PluginManifest(name=name, title=title or name.title(), requires=tuple(requires),
                              settings=settings, default_enabled=default_enabled,
                              description=f"The {name} test plugin.")
    plugin = SimpleNamespace()
    plugin.register_manifest = hookimpl(lambda: manifest)
    plugin.register_migrations = hookimpl(lambda: None)  # no tables
    for hook, function in hooks.items():
        setattr(plugin, hook, hookimpl(function))
    return plugin


# -- alpha: a complete small plugin ---------------------------------------------------------------

class AlphaSettings(SettingsSchema):
    limit: int = Field(10, ge=1, le=100, title="Items per page",
                       description="How many items a page shows.")
    mode: Literal["open", "closed"] = Field("open", title="Mode")
    label: str = Field("Things", max_length=40, title="Label")
    notify: bool = Field(True, title="Notify members")


def alpha_plugin():
    def register_blueprints():
        bp = placette.space_blueprint("alpha", __name__)

        @bp.route("/")
        def index(space):
            limit = placette.settings_of(space, "alpha").limit
            return f"Alpha page of {space.slug} (limit {limit})"
        return [bp]

    def nav_items(space, actor):
        from flask import url_for
        if space is None:  # the site-wide menu
            return None
        return [NavItem("Alpha things", url_for("alpha.index", space=space.slug),
                        plugin="alpha", position=10)]

    def render_slot(slot, context):
        if slot == "space.home":
            return Markup("<p class='alpha-slot'>alpha says hello</p>")
        return None

    def register_actions():
        return [Action("alpha.item.create", "member", "Create alpha items")]

    def register_events():
        return [EventType("alpha.item.created", "An alpha item was created")]

    def register_api(api):
        @api.space_route("alpha", "/items", summary="Alpha items of a space")
        def alpha_items(space):
            return [{"space": space.slug, "item": 1}]

    return make_plugin("alpha", settings=AlphaSettings, register_blueprints=register_blueprints,
                       nav_items=nav_items, render_slot=render_slot,
                       register_actions=register_actions, register_events=register_events,
                       register_api=register_api)


def beta_plugin():
    """Requires alpha: enabling beta pulls alpha in; alpha cannot go while beta is on."""
    def register_blueprints():
        bp = placette.space_blueprint("beta", __name__)

        @bp.route("/")
        def index(space):
            return "Beta page"
        return [bp]

    def nav_items(space, actor):
        from flask import url_for
        if space is None:
            return None
        return [NavItem("Beta board", url_for("beta.index", space=space.slug), plugin="beta")]

    return make_plugin("beta", requires=("alpha",), register_blueprints=register_blueprints,
                       nav_items=nav_items)


def broken_plugin():
    """Raises in every rendering, collecting and permission hook."""
    def render_slot(slot, context):
        raise RuntimeError("broken render_slot")

    def nav_items(space, actor):
        raise RuntimeError("broken nav_items")

    def register_actions():
        return [Action("broken.do", "anonymous")]

    def permission_check(actor, action, target, space):
        if action == "broken.do" or action == "space.members.view":
            raise RuntimeError("broken permission_check")
        return None

    return make_plugin("broken", render_slot=render_slot, nav_items=nav_items,
                       register_actions=register_actions, permission_check=permission_check)


def stubborn_plugin():
    """Vetoes being switched off (e.g. a plugin that must keep running until a vote closes)."""
    def permission_check(actor, action, target, space):
        if action == "space.modules.manage" and isinstance(target, dict) \
                and target.get("plugin") == "stubborn" and not target.get("enable"):
            return False
        return None

    return make_plugin("stubborn", permission_check=permission_check)


def shy_plugin():
    """Vetoes being switched on in private spaces."""
    def permission_check(actor, action, target, space):
        if action == "space.modules.manage" and isinstance(target, dict) \
                and target.get("enable") and space is not None and space.visibility == "private":
            return False
        return None

    return make_plugin("shy", permission_check=permission_check)
