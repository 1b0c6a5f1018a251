"""What the agenda puts in the kernel's slots: "my next meetings" on the dashboard, the next
meetings on a space's home page."""
from __future__ import annotations

import placette

from . import queries
from .views.helpers import render


def my_next_meetings(context):
    actor = context.actor
    if not getattr(actor, "is_authenticated", False):
        return None
    found = queries.mine_upcoming(actor, limit=5)
    return placette.Markup(render("agenda/_dashboard.html", occurrences=found,
                                  slugs=queries.link_spaces(actor, found),
                                  answers=queries.answers_of(actor, found)))


def space_next_meetings(context):
    space = context.space
    if not placette.is_enabled(space, "agenda"):
        return None
    found = queries.upcoming(context.actor, space, limit=3)
    return placette.Markup(render("agenda/_space_home.html", occurrences=found, space=space))
