"""The search page: one box over every resource the visitor may see, with a space filter.

``/search?q=...&space=<slug>&page=N``.  What people type never causes an error (see
:mod:`placette.search.text`); a space they may not read is a 404, like everywhere else.
"""
from __future__ import annotations

from flask import Blueprint, abort, render_template, request, url_for
from flask_login import current_user

from ..api.ids import page_number
from ..models import Space
from ..permissions import can_read, listed_spaces
from ..query_memo import prepared, viewer_key
from ..search.query import search
from ..search.text import clean
from ..spaces import SLUG_RE

bp = Blueprint("search", __name__)
SPACES_SHOWN = 5


def space_filter(slug: str | None, actor) -> Space | None:
    """The space to search in, or ``None``; unknown or unreadable: 404."""
    if not slug:
        return None
    space = Space.get_or_none(Space.slug == slug[:64])
    if space is None or not can_read(actor, space):
        abort(404)
    return space


def matching_spaces(name: str, actor) -> list:
    """The first listed spaces whose name contains ``name`` (slug and name), SQL written once
    per viewer (``placette.prepared``); the pattern is a late value."""
    def build(_viewer, pattern):
        # The name first: SQLite checks the conditions in the order written, and the pattern
        # turns away almost every space before the read rights are looked at (half the time).
        named = Space.select(Space.slug, Space.name).where(Space.name ** pattern)
        return listed_spaces(named, actor).order_by(Space.name).limit(SPACES_SHOWN)
    return prepared("search.spaces", build, viewer_key(actor),
                    pattern=f"%{name}%").namedtuples()


def space_links(found) -> dict[str, str]:
    """``{slug: link to the space's home}`` for the page's hits: ``url_for`` once, then the
    slug appended -- a slug (``SLUG_RE``: lower-case letters, digits, hyphens) is written in a
    URL as is.  A slug from before that rule goes through ``url_for``."""
    links: dict[str, str] = {}
    prefix = None
    for hit in found.hits:
        slug = hit.space.slug
        if slug in links:
            continue
        if prefix is None:
            prefix = url_for("spaces.home", slug="x")[:-1]
        links[slug] = (prefix + slug if SLUG_RE.fullmatch(slug)
                       else url_for("spaces.home", slug=slug))
    return links


@bp.route("/search")
def results():
    # The person itself, not Flask-Login's proxy: the permission gate asks it a dozen times.
    actor = current_user._get_current_object()
    text = request.args.get("q", "")
    space = space_filter(request.args.get("space"), actor)
    page = page_number(request.args.get("page"))
    found = search(actor, text, space=space, page=page)
    spaces = []
    name = " ".join(clean(text).split())[:100]
    if name and space is None and page == 1:
        spaces = matching_spaces(name, actor)
    return render_template("search/results.html", q=text, results=found, space=space,
                           spaces=spaces, space_links=space_links(found))
