"""The comments under any item: the ``resource.footer`` slot.

Every plugin's item page renders ``resource.footer`` with the item's registry row; we answer with
its conversation and the form to join it.  The cost is the same whatever the thread's length:
one query for the comments (gated in SQL), one for the follow state.
"""
from __future__ import annotations

import placette
from flask import render_template

from . import service


def _resource(value):
    if isinstance(value, placette.Resource):
        return value
    if isinstance(value, str) and ":" in value:
        try:
            plugin, kind, object_id = service.parse_key(value)
        except service.DiscussionError:
            return None
        return placette.lookup_resource(plugin, kind, object_id)
    return None


def comments_footer(context):
    resource = _resource(context.extra.get("resource"))
    if resource is None or resource.plugin == service.PLUGIN:
        return None
    space = resource.space
    if not placette.is_enabled(space, service.PLUGIN) or \
            not placette.settings_of(space, service.PLUGIN).comments:
        return None
    actor = context.actor
    if not service.may_see(actor, resource):
        return None
    return placette.Markup(render_thread(resource, actor))


def _page() -> int:
    from flask import has_request_context, request
    if not has_request_context():
        return 1
    try:
        return int(request.args.get("comments", "1"))
    except ValueError:
        return 1


def render_thread(resource, actor, **form) -> str:
    space = resource.space
    stances = service.stances_on(space)
    thread = service.thread_of(resource, actor, page=_page(), stances=stances)
    base = f"/s/{space.slug}/discussions/comments/"
    return render_template(
        "discussions/_thread.html", resource=resource, space=space, thread=thread,
        may_comment=placette.can(actor, "discussions.comment", space),
        moderator=service.may_moderate(actor, space), stances=stances, base=base,
        sign_in=placette.sign_in_url(resource.url),
        following=service.is_following(actor, resource), actor=actor, form=form)
