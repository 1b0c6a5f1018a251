"""The discussions' hook implementations: what it declares to the kernel, in one place.

Entry point: ``discussions = "placette_plugins.discussions.plugin"`` in ``placette.plugins``.
The plugin imports no other plugin: it attaches to any item through the ``resource.footer`` slot
and the resource registry.
"""
from __future__ import annotations

import placette
from placette import hookimpl

from .settings import DiscussionsSettings

_l = placette.lazy_gettext
PLUGIN = "discussions"


@hookimpl
def register_manifest():
    return placette.PluginManifest(
        name=PLUGIN, title=_l("Discussions"), version="1.0.0",
        description=_l("Comments on meetings, documents and pages; topics shared between "
                       "councils; mentions."),
        settings=DiscussionsSettings, default_enabled=True)


@hookimpl
def register_models():
    from .models import MODELS
    return MODELS


@hookimpl
def register_blueprints():
    from .views import pages
    return [pages.bp]


@hookimpl
def register_actions():
    return [
        placette.Action("discussions.comment", "guest", _l("Comment and reply")),
        placette.Action("discussions.topic.create", "member", _l("Start topics")),
        placette.Action("discussions.topic.reply", "guest", _l("Reply in topics")),
        placette.Action("discussions.moderate", "animator",
                        _l("Remove comments, see earlier versions, pin and close topics")),
    ]


@hookimpl
def nav_items(space, actor):
    from flask import url_for
    if space is None:
        return None
    return [placette.NavItem(_l("Discussions"), url_for("discussions.index", space=space.slug),
                             plugin=PLUGIN, position=40)]


@hookimpl
def render_slot(slot, context):
    if slot == "resource.footer":
        from .slots import comments_footer
        return comments_footer(context)
    return None


@hookimpl
def register_resource_kinds():
    return [placette.ResourceKind(PLUGIN, "comment", _l("Comment"), _l("Comments")),
            placette.ResourceKind(PLUGIN, "topic", _l("Topic"), _l("Topics")),
            placette.ResourceKind(PLUGIN, "post", _l("Reply in a topic"), _l("Replies in topics"))]


@hookimpl
def register_events():
    return [
        placette.EventType("discussions.comment.created", _l("New comment")),
        placette.EventType("discussions.comment.mentioned", _l("You were mentioned")),
        placette.EventType("discussions.topic.created", _l("New topic")),
        placette.EventType("discussions.topic.replied", _l("New reply in a topic"),
                           grouped=placette.plural_label("%(num)d new reply in “%(title)s”",
                                                         "%(num)d new replies in “%(title)s”")),
        placette.EventType("discussions.topic.mentioned", _l("You were mentioned in a topic")),
    ]


@hookimpl
def register_api(api):
    from .api import register
    register(api)


@hookimpl
def search_documents(resource):
    """Topics are found by their first post and replies; a comment by its text (its summary)."""
    if resource is None or getattr(resource, "plugin", None) != PLUGIN or resource.kind != "topic":
        return None
    from .models import Topic, TopicPost
    topic = Topic.get_or_none(Topic.id == int(resource.object_id))
    if topic is None:
        return None
    R = placette.Resource
    held = R.select(R.object_id).where((R.plugin == PLUGIN) & (R.kind == "post")
                                       & placette.held_back(R))
    posts = TopicPost.select(TopicPost.body).where(
        (TopicPost.topic == topic.id) & TopicPost.removed_at.is_null()
        & TopicPost.id.cast("text").not_in(held)).limit(200)
    return "\n".join(placette.plain_text(t) for t in [topic.body, *(p.body for p in posts)])


@hookimpl
def resource_approved(resource, actor):
    """A comment or a topic reply held for review (pre-moderation) told nobody when posted: now
    that an animator approved it, its followers and the people it mentions are told."""
    if resource.kind == "comment":
        from .service import notify_approved
        notify_approved(resource)
    elif resource.kind == "post":
        from .topics import reply_approved
        reply_approved(resource)


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
    return {"discussions/css": ["discussions.css"], "discussions/js": ["discussions.js"]}
