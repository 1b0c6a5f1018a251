"""The drafting plugin's hook implementations: what it declares to the kernel, in one place.

Entry point: ``drafting = "placette_plugins.drafting.plugin"`` in the ``placette.plugins`` group.
Who may do what at each step of the workflow is a declared action with a default role; admins
adjust the role per space (the kernel's grants), e.g. let the members of a private drafting
group edit.
"""
from __future__ import annotations

import placette
from placette import hookimpl

from .settings import DraftingSettings

_l = placette.lazy_gettext
PLUGIN = "drafting"


@hookimpl
def register_manifest():
    return placette.PluginManifest(
        name=PLUGIN, title=_l("Opinions"), version="1.0.0",
        description=_l("Co-writing a council's opinion paragraph by paragraph: versions, "
                       "comments that survive edits, agreement, amendments."),
        settings=DraftingSettings, default_enabled=True)


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
        placette.Action("drafting.view", "guest", _l("Read opinions open for consultation "
                                                     "and adopted")),
        placette.Action("drafting.draft.create", "animator", _l("Start a draft opinion")),
        placette.Action("drafting.draft.edit", "animator",
                        _l("Write drafts (the drafting group): edit, restore a version, see "
                           "drafts being written")),
        placette.Action("drafting.comment", "member", _l("Comment on a draft in consultation")),
        placette.Action("drafting.comment.resolve", "animator", _l("Resolve comments")),
        placette.Action("drafting.rate", "member", _l("Rate the paragraphs of a draft")),
        placette.Action("drafting.amend", "member", _l("Propose amendments")),
        placette.Action("drafting.amendment.decide", "animator",
                        _l("Accept or reject amendments")),
        placette.Action("drafting.state.consultation", "animator",
                        _l("Open a draft for consultation")),
        placette.Action("drafting.state.adopted", "animator",
                        _l("Record the adoption of an opinion")),
        placette.Action("drafting.state.published", "animator",
                        _l("Publish an adopted opinion")),
    ]


@hookimpl
def nav_items(space, actor):
    from flask import url_for
    if space is None or not placette.can(actor, "drafting.view", space):
        return []   # no menu entry leading to a 404 (visitors of a public council)
    return [placette.NavItem(_l("Opinions"), url_for("drafting.index", space=space.slug),
                             plugin=PLUGIN, position=45)]


@hookimpl
def register_resource_kinds():
    return [placette.ResourceKind(PLUGIN, "draft", _l("Opinion"), _l("Opinions")),
            placette.ResourceKind(PLUGIN, "comment", _l("Comment on an opinion"),
                                  _l("Comments on opinions"))]


@hookimpl
def register_events():
    return [
        placette.EventType("drafting.draft.consultation", _l("A draft opinion awaits your "
                                                             "comments")),
        placette.EventType("drafting.draft.adopted", _l("An opinion was adopted")),
        placette.EventType("drafting.comment.answered", _l("Your comment was answered")),
        placette.EventType("drafting.amendment.decided", _l("Your amendment was decided")),
    ]


@hookimpl
def register_api(api):
    from .api import register
    register(api)


@hookimpl
def search_documents(resource):
    if resource is None or getattr(resource, "plugin", None) != PLUGIN \
            or resource.kind != "draft":
        return None
    from .service import search_text
    return search_text(int(resource.object_id))


@hookimpl
def resource_approved(resource, actor):
    """A reply held for review (pre-moderation) told nobody when posted: now that an animator
    approved it, the author of the comment it answers is told."""
    if resource.plugin == PLUGIN and resource.kind == "comment":
        from .service import notify_approved
        notify_approved(resource)


@hookimpl
def showcase_items(space, actor):
    from .showcase import offers
    return offers(space, actor)


@hookimpl
def showcase_item(resource, actor):
    from .showcase import offer_for
    return offer_for(resource, actor)


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
def register_assets():
    return {"drafting/css": ["drafting.css"], "drafting/js": ["drafting.js"]}
