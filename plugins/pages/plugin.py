"""The hooks of the ``pages`` plugin -- the only module the entry point names.

Entry point: ``pages = "placette_plugins.pages.plugin"`` in the ``placette.plugins`` group.
Everything is implemented in small modules next to it: ``service`` (rules, queries), ``views``
and ``api`` (surfaces), ``slots`` (the site's footer), ``rgpd``, ``demo``.
"""
from __future__ import annotations

import placette
from placette import hookimpl
from placette import lazy_gettext as _l

NAME = "pages"


@hookimpl
def register_manifest():
    return placette.PluginManifest(
        name=NAME, title=_l("Pages"), version="1.0.0",
        description=_l("Editorial pages of each space: the charter of participation, the legal "
                       "notice and the accessibility statement of the city (linked from the "
                       "footer of every page), a council's \"how we work\"."),
        settings=placette.NoSettings, default_enabled=True)


@hookimpl
def register_models():
    from .models import MODELS
    return MODELS


@hookimpl
def register_blueprints():
    from .views import bp
    return [bp]


@hookimpl
def register_actions():
    return [
        placette.Action("pages.page.edit", "animator", _l("Write and change the pages")),
        placette.Action("pages.page.delete", "animator", _l("Delete pages")),
    ]


@hookimpl
def nav_items(space, actor):
    """"Pages" in a space's menu, when it has a page the person may see or they may write one."""
    if space is None:
        return None
    from flask import url_for

    from .service import any_visible
    if not (placette.can(actor, "pages.page.edit", space) or any_visible(space, actor)):
        return None
    return [placette.NavItem(placette._("Pages"), url_for("pages.index", space=space.slug),
                             plugin=NAME, position=800)]


@hookimpl
def render_slot(slot, context):
    if slot == "footer":
        from .slots import footer
        return footer(context)
    return None


@hookimpl
def register_resource_kinds():
    return [placette.ResourceKind(NAME, "page", _l("Page"), _l("Pages"))]


@hookimpl
def register_events():
    return [
        placette.EventType("pages.page.published", _l("A page was published")),
        placette.EventType("pages.page.updated", _l("A page was changed")),
    ]


@hookimpl
def search_documents(resource):
    """The page's text, as plain text (the kernel indexes the title itself)."""
    if getattr(resource, "plugin", None) != NAME or getattr(resource, "kind", None) != "page":
        return None
    from .models import Page
    page = Page.get_or_none(Page.id == int(resource.object_id))
    if page is None:
        return None
    return placette.plain_text(page.body)


@hookimpl
def showcase_items(space, actor):
    from .showcase import items
    return items(space, actor)


@hookimpl
def showcase_item(resource, actor):
    from .showcase import item
    return item(resource, actor)


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


@hookimpl
def register_api(api):
    from .api import register
    register(api)
