"""The blocks this service adds to kernel pages, through the same slots plugins use:
"what is new in my spaces" on the dashboard, recent activity on a space's home, and the
notification settings on the profile page."""
from __future__ import annotations

from flask import render_template
from markupsafe import Markup
from peewee import JOIN

from ..models import Mute, Resource, Space
from ..permissions import can
from ..roles import is_signed_in, member_space_ids
from ..web.forms import ConfirmForm
from . import queries
from .activity_web import feed_key_of, feed_url
from .channels import channels, mode_of
from .items import describe

DASHBOARD_SIZE = 10
SPACE_HOME_SIZE = 5


def render(slot: str, context) -> Markup | None:
    renderer = RENDERERS.get(slot)
    return renderer(context) if renderer is not None else None


def _entries(events: list) -> list:
    return [(event, describe(event)) for event in events]


def dashboard(context) -> Markup | None:
    actor = context.actor
    if not is_signed_in(actor):
        return None
    mine = member_space_ids(actor)
    entries = _entries(queries.recent_activity(actor, mine, DASHBOARD_SIZE)) if mine else []
    return Markup(render_template("notifications/_whats_new.html", entries=entries,
                                  has_spaces=bool(mine)))


def space_home(context) -> Markup | None:
    space = context.space
    if space is None:
        return None
    entries = _entries(queries.recent_activity(context.actor, [space.id], SPACE_HOME_SIZE))
    return Markup(render_template("notifications/_space_activity.html", space=space,
                                  entries=entries))


def profile(context) -> Markup | None:
    user = context.actor
    if not is_signed_in(user):
        return None
    offered = [(c, mode_of(user, c)) for c in channels().values() if c.available_for(user)]
    home = Space.alias("resource_space")
    rows = (Mute.select(Mute, Space, Resource, home)
            .join_from(Mute, Space, JOIN.LEFT_OUTER, on=(Mute.space == Space.id))
            .join_from(Mute, Resource, JOIN.LEFT_OUTER, on=(Mute.resource == Resource.id))
            .join_from(Resource, home, JOIN.LEFT_OUTER, on=(Resource.space == home.id))
            .where(Mute.user == user.id).order_by(Mute.created_at.desc()))
    mutes = [m for m in rows if can(user, "view", m.resource if m.resource_id else m.space)]
    key = feed_key_of(user)
    spaces = list(Space.select().where(Space.id.in_(member_space_ids(user) or [0])
                                       & Space.archived_at.is_null()).order_by(Space.name))
    feeds = [(space, feed_url(space, key)) for space in spaces]
    return Markup(render_template("notifications/_settings.html", offered=offered, mutes=mutes,
                                  key=key, feeds=feeds, confirm=ConfirmForm()))


RENDERERS = {"dashboard.main": dashboard, "space.home": space_home,
             "profile.sections": profile}
