"""A space's activity: the page, and its Atom feed.

The feed of a public space is open; any other space's feed needs the reader's private key in the
URL (``?key=...``, made and revoked on the profile page).  The key stands for its owner *at fetch
time*: someone who left a private group gets 404 from its feed at once, and a revoked key reads
nothing.
"""
from __future__ import annotations

import datetime as dt

from feedgen.feed import FeedGenerator
from flask import Blueprint, Response, abort, g, render_template, request, url_for
from flask_babel import force_locale
from flask_login import current_user

from ..articles import in_text
from ..i18n import _
from ..api.ids import page_number
from ..kernel import config
from ..models import FeedToken, User
from ..permissions import can_read
from ..query_memo import prepared
from ..web.guards import get_space
from . import links, queries
from .items import describe

bp = Blueprint("activity", __name__)
PER_PAGE = 30
FEED_SIZE = 50


def feed_key_of(user) -> str | None:
    if not getattr(user, "is_authenticated", False):
        return None
    # Asked on every activity page: SQL written once (``prepared``), the person bound.
    return prepared("activity.feed_key", lambda **late: FeedToken.select(FeedToken.token).where(
        FeedToken.user == late["user_id"]), user_id=user.id).scalar()


def feed_url(space, key: str | None, external: bool = False) -> str | None:
    """The space's feed address for someone holding ``key`` (``None``: no address for them)."""
    if space.visibility != "public" and not key:
        return None
    params = {"key": key} if space.visibility != "public" else {}
    path = url_for("activity.feed", slug=space.slug, **params)
    return links.absolute(path) if external else path


@bp.route("/s/<slug>/activity")
def page(slug):
    space = get_space(slug)
    if not can_read(current_user, space):
        abort(404)
    g.space = space
    number = page_number(request.args.get("page"))
    rows = queries.recent_activity(current_user, [space.id], PER_PAGE + 1,
                                   (number - 1) * PER_PAGE)
    more = len(rows) > PER_PAGE
    entries = [(event, describe(event)) for event in rows[:PER_PAGE]]
    key = feed_key_of(current_user)  # asked even for public spaces: same cost on every page
    return render_template("notifications/activity.html", space=space, entries=entries,
                           page=number, more=more, feed=feed_url(space, key),
                           needs_key=space.visibility != "public" and key is None)


@bp.route("/s/<slug>/activity.atom")
def feed(slug):
    """The feed as its reader may see it: the key's owner, else whoever the cookie or bearer
    token says, else an anonymous visitor.  Only the anonymous answer may be kept by a shared
    cache (``public``); any other is personalised (``private``), and every answer varies on
    the credentials, so a cache in front never hands one reader's feed to another."""
    space = get_space(slug)
    key = request.args.get("key")
    reader = current_user._get_current_object()
    if key is not None:
        token = (FeedToken.select(FeedToken, User).join(User)
                 .where(FeedToken.token == key[:64]).first())
        if token is None or token.user.is_suspended:
            abort(404)
        reader = token.user
    if not can_read(reader, space):
        abort(404)
    events = queries.recent_activity(reader, [space.id], FEED_SIZE)
    language = getattr(reader, "language", None) or config().default_language
    with force_locale(language):
        body = _atom(space, events, key, language)
    personal = key is not None or getattr(reader, "is_authenticated", False)
    response = Response(body, mimetype="application/atom+xml", headers={
        "Cache-Control": "private, max-age=300" if personal else "public, max-age=300",
        "X-Robots-Tag": "noindex" if personal else "all"})
    response.vary.update(("Cookie", "Authorization"))
    return response


def _utc(value: dt.datetime) -> dt.datetime:
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value


def _atom(space, events, key, language) -> bytes:
    cfg = config()
    home = links.absolute(f"/s/{space.slug}/activity")
    generator = FeedGenerator()
    generator.id(home)
    generator.title(_("%(space)s: activity", space=in_text(space)))
    generator.subtitle(_("What is new in %(space)s on %(city)s's participation site",
                         space=in_text(space), city=cfg.city))
    generator.author({"name": cfg.city})
    generator.link(href=home, rel="alternate", type="text/html")
    # A member reading a non-public space's feed with their cookie has no keyed address: the
    # plain one is this feed's own address for them.
    self_url = feed_url(space, key, external=True) or links.absolute(
        url_for("activity.feed", slug=space.slug))
    generator.link(href=self_url, rel="self")
    generator.language(language)
    generator.updated(_utc(events[0].created_at) if events else _utc(space.created_at))
    for event in reversed(events):  # feedgen prepends: newest ends up first
        text = describe(event)
        entry = generator.add_entry()
        entry.id(f"{home}#event-{event.id}")
        entry.title(f"{text.label}: {text.title}")
        entry.link(href=links.absolute(text.path), rel="alternate")
        entry.updated(_utc(event.created_at))
        entry.published(_utc(event.created_at))
        entry.author({"name": text.actor_name or cfg.city})
        entry.summary(f"{text.label}: {text.title} ({text.space_name})")
    return generator.atom_str(pretty=True)
