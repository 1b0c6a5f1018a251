"""The showcase plugin's hook implementations: the public window of the city's councils.

Entry point: ``showcase = "placette_plugins.showcase.plugin"`` in the ``placette.plugins`` group.
"""
from __future__ import annotations

import placette
from placette import hookimpl

from .settings import ShowcaseSettings

_l = placette.lazy_gettext
PLUGIN = "showcase"


@hookimpl
def register_manifest():
    return placette.PluginManifest(
        name=PLUGIN, title=_l("Public window"), version="1.0.0",
        description=_l("What councils choose to show the city: public pages, feeds, open data "
                       "and an embed for the city's website."),
        settings=ShowcaseSettings, default_enabled=True)


@hookimpl
def register_models():
    from .models import MODELS
    return MODELS


@hookimpl
def register_blueprints():
    from .views import manage_bp, oembed_bp, public_bp
    return [manage_bp, public_bp, oembed_bp]


@hookimpl
def startup(app):
    """Refuse to start with a mistyped ``[plugin.showcase]`` table (one clear line)."""
    from .settings import InstanceSettings
    with app.app_context():
        raw = placette.current_config().settings_for(PLUGIN)
    try:
        InstanceSettings.model_validate(raw)
    except Exception as exc:
        raise placette.ConfigError(f"[plugin.showcase] in placette.toml: {exc}") from None


@hookimpl
def register_actions():
    return [placette.Action("showcase.manage", "animator",
                            _l("Choose, introduce, order and withdraw what the public window "
                               "shows"))]


@hookimpl
def event_listeners():
    from .service import on_files_ready
    return {"placette.showcase.files_ready": on_files_ready}


@hookimpl
def register_tasks(queue):
    from .service import complete_photos
    queue.task("showcase.complete_photos", retries=2, retry_delay=60)(complete_photos)


@hookimpl
def nav_items(space, actor):
    from flask import url_for
    if space is None or not placette.can(actor, "showcase.manage", space):
        return []
    return [placette.NavItem(_l("Public window"), url_for("showcase.manage", space=space.slug),
                             plugin=PLUGIN, position=950)]


@hookimpl
def register_api(api):
    from .api import register
    register(api)


@hookimpl
def export_user_data(user):
    from .rgpd import export
    return export(user)


@hookimpl
def erase_user_data(user):
    from .rgpd import erase
    erase(user)


@hookimpl
def seed_demo(city):
    from .demo import seed
    return seed(city)
