"""What moderation adds to other pages: the ``resource.footer`` slot and the menu entries.

The footer of any resource page gets a "Report" link (and, for its author and the space's
animators, a notice when it is hidden or pending).  Plugins render the slot with the resource's
registry row: ``render_slot("resource.footer", resource=resource)`` -- a ``Resource``, or its key
``"plugin.kind:id"``.
"""
from __future__ import annotations

from typing import Any

from flask import render_template, url_for
from markupsafe import Markup

from ..i18n import _
from ..models import Resource
from ..roles import is_signed_in
from .visibility import moderated_space_ids, state_of


def _resource_of(value: Any) -> Resource | None:
    if isinstance(value, Resource):
        return value
    if isinstance(value, str):
        from .service import ModerationError, parse_key
        try:
            plugin, kind, object_id = parse_key(value)
        except ModerationError:
            return None
        return Resource.get_or_none((Resource.plugin == plugin) & (Resource.kind == kind)
                                    & (Resource.object_id == object_id))
    return None


def resource_footer(context) -> Markup | None:
    resource = _resource_of(context.extra.get("resource"))
    if resource is None:
        return None
    actor = context.actor
    state = state_of(resource)
    is_author = is_signed_in(actor) and resource.author_id == actor.id
    spaces = moderated_space_ids(actor) if is_signed_in(actor) else []
    moderator = spaces is None or resource.space_id in spaces
    return Markup(render_template("moderation/_footer.html", resource=resource, state=state,
                                  is_author=is_author, moderator=moderator))


def moderation_nav(space, actor):
    """"Moderation" in the space menu (and the main menu) for moderators, with a count badge."""
    from ..declarations import NavItem
    from . import queue
    if not is_signed_in(actor):
        return None
    if space is None:
        spaces = moderated_space_ids(actor)
        if spaces is not None and not spaces:
            return None
        count = queue.count_open(spaces)
        return NavItem(_("Moderation"), url_for("moderation.city_queue"), position=900,
                       badge=count or None)
    from .service import moderates
    if not moderates(actor, space):
        return None
    count = queue.count_open([space.id])
    return NavItem(_("Moderation"), url_for("moderation.space_queue", slug=space.slug),
                   position=950, badge=count or None)


