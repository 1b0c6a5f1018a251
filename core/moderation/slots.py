"""What moderation adds to other pages: the ``resource.footer`` slot and the menu entries.

The footer of any resource page gets a "Report" link (and, for its author and the space's
animators, a notice when it is hidden or pending).  Plugins render the slot with the resource's
registry row: ``render_slot("resource.footer", resource=resource)`` -- a ``Resource``, or its key
``"plugin.kind:id"``.  An item page shows the same notice near its title with the template global
``moderation_notice(state)`` (``state`` from ``placette.moderation_state``).
"""
from __future__ import annotations

from typing import Any

from flask import g, render_template, url_for
from markupsafe import Markup

from ..i18n import _
from ..models import Resource
from ..roles import is_signed_in
from .visibility import ModerationState, moderated_space_ids, state_of


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


def _standing(actor: Any, resource: Resource) -> tuple[bool, bool]:
    """``(is_author, moderator)`` of the actor towards the resource."""
    if not is_signed_in(actor):
        return False, False
    spaces = moderated_space_ids(actor)
    return resource.author_id == actor.id, spaces is None or resource.space_id in spaces


def resource_footer(context) -> Markup | None:
    resource = _resource_of(context.extra.get("resource"))
    if resource is None:
        return None
    is_author, moderator = _standing(context.actor, resource)
    return Markup(render_template("moderation/_footer.html", resource=resource,
                                  state=state_of(resource), is_author=is_author,
                                  moderator=moderator,
                                  notice_shown=resource.id in g.get(_NOTICES, ())))


_NOTICES = "_placette_moderation_notices"


def moderation_notice(state: ModerationState | None) -> Markup:
    """Template global ``moderation_notice(state)``: the "hidden by the moderators" / "awaiting
    review" notice an item page shows near its title, to the only people who can reach such a
    page (its author, the space's animators, city admins).  Empty for a visible item.

    The ``resource.footer`` slot then leaves its own copy of the notice out, so a page that
    shows it at the top does not say it twice.
    """
    if state is None or state.visible or state.resource is None:
        return Markup("")
    from flask_login import current_user
    resource = state.resource
    is_author, moderator = _standing(current_user, resource)
    if not (is_author or moderator):
        return Markup("")
    g.setdefault(_NOTICES, set()).add(resource.id)
    return Markup(render_template("moderation/_notice.html", state=state, is_author=is_author))


def moderation_nav(space, actor):
    """"Moderation" in the space menu (and the main menu) for moderators, with a count badge
    (``99+`` past 99: see ``queue.badge``)."""
    from ..declarations import NavItem
    from . import queue
    if not is_signed_in(actor):
        return None
    if space is None:
        spaces = moderated_space_ids(actor)
        if spaces is not None and not spaces:
            return None
        return NavItem(_("Moderation"), url_for("moderation.city_queue"), position=900,
                       badge=queue.badge(spaces))
    from .service import moderates
    if not moderates(actor, space):
        return None
    return NavItem(_("Moderation"), url_for("moderation.space_queue", slug=space.slug),
                   position=950, badge=queue.badge([space.id]))


