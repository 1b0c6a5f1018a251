"""The entry point of placette-keys: every hook the plugin implements, and nothing else.

``pyproject.toml`` declares it: ``[project.entry-points."placette.plugins"] keys =
"placette_keys.plugin"``.  The kernel finds ``templates/``, ``migrations/`` and ``translations/``
next to this module.
"""
from __future__ import annotations

from flask import url_for
from markupsafe import Markup

import placette
from placette import hookimpl
from placette import lazy_gettext as _l

from . import __version__
from .settings import KeysSettings

NAME = "keys"


# -- lifecycle ----------------------------------------------------------------------------------

@hookimpl
def register_manifest():
    return placette.PluginManifest(
        name=NAME, title=_l("Room keys"), version=__version__,
        description=_l("Who holds the key of which meeting room, and who handed it to whom."),
        settings=KeysSettings, default_enabled=False, placette_api=">=1.0,<2")


# -- data ---------------------------------------------------------------------------------------

@hookimpl
def register_models():
    from .models import MODELS
    return MODELS


# -- permissions --------------------------------------------------------------------------------

@hookimpl
def register_actions():
    return [
        placette.Action("keys.view", "guest", _l("See the rooms, who holds their keys and the "
                                                 "hand-over log")),
        placette.Action("keys.handover", "animator", _l("Record that a key changed hands")),
        placette.Action("keys.rooms.manage", "animator", _l("Add rooms")),
    ]


# -- web ----------------------------------------------------------------------------------------

@hookimpl
def register_blueprints():
    from .views import bp
    return [bp]


@hookimpl
def nav_items(space, actor):
    if space is None or not placette.can(actor, "keys.view", space):
        return None  # no city-wide entry; no entry for those who may not see the keys
    return [placette.NavItem(placette._("Keys"), url_for("keys.index", space=space.slug),
                             plugin=NAME, position=300)]


@hookimpl
def render_slot(slot, context):
    """On "my network": the keys I hold, so that I remember to hand them over."""
    if slot != "dashboard.aside":
        return None
    from flask import render_template
    from .service import held_by, is_overdue, overdue_after
    rooms = held_by(context.actor)
    if not rooms:
        return None
    overdue = {room.id for room in rooms if is_overdue(room, overdue_after(room.space))}
    return Markup(render_template("keys/_dashboard.html", rooms=rooms, overdue=overdue))


# -- services -----------------------------------------------------------------------------------

@hookimpl
def register_resource_kinds():
    return [placette.ResourceKind(NAME, "room", _l("Meeting room"), _l("Meeting rooms"))]


@hookimpl
def register_events():
    return [
        # the two holders are told; the space sees it on its Activity page (activity=True)
        placette.EventType("keys.key.handed_over", _l("A room key changed hands"),
                           activity=True),
        placette.EventType("keys.key.overdue", _l("A room key is overdue")),
    ]


@hookimpl
def register_tasks(queue):
    from .tasks import remind_overdue
    queue.periodic("keys.remind_overdue", minute="0", hour="9")(remind_overdue)


@hookimpl
def export_user_data(user):
    from .privacy import export
    return export(user)


@hookimpl
def erase_user_data(user):
    from .privacy import erase
    erase(user)


@hookimpl
def seed_demo(city):
    from .demo import seed
    seed(city)


# -- api ----------------------------------------------------------------------------------------

@hookimpl
def register_api(api):
    from .api import register
    register(api)
