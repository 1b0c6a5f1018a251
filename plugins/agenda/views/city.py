"""City-wide pages under ``/agenda``: everything the visitor may see, their calendar page (feed
addresses, token) and the token-protected feeds that calendar apps fetch.

A feed answers 404 -- never 403 -- for an unknown or revoked token, or a space the token's owner
may not read (or where the agenda is off): existence does not leak.
"""
from __future__ import annotations

import placette
from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_login import current_user, login_required

from .. import feeds, queries, timing
from ..forms import RsvpForm
from ..models import Meeting, MeetingSpace, Rsvp
from .helpers import ics_response, month_bounds, month_grid, parse_month, render
from .space import FEED_PAST, space_feed_meetings

_ = placette._
bp = Blueprint("agenda_city", __name__, url_prefix="/agenda")
PER_PAGE = 30


@bp.route("/")
def index():
    # The person, resolved once: the permission checks below run per meeting and space, and
    # each attribute read through the current_user proxy costs a context lookup.
    actor = current_user._get_current_object()
    view = request.args.get("view", "upcoming")
    context = {"view": view}
    if view == "month":
        year, month = parse_month(request.args.get("month"))
        start, end = month_bounds(year, month)
        found = queries.between(actor, None, start, end)
        context["grid"] = month_grid(year, month, found)
    else:
        context["view"] = "upcoming"
        raw = request.args.get("after")
        after = timing.parse_key(raw) if raw else None
        if raw and after is None:
            abort(404)
        found = queries.upcoming(actor, None, after, PER_PAGE + 1)
        context["more"] = (timing.occurrence_key(found[PER_PAGE].starts_at)
                           if len(found) > PER_PAGE else None)
        found = found[:PER_PAGE]
    context["occurrences"] = found
    context["slugs"] = queries.link_spaces(actor, found)
    context["answers"] = queries.answers_of(actor, found)
    return render("agenda/city_index.html", **context)


@bp.route("/calendar", methods=["GET", "POST"])
@login_required
def calendar():
    """My calendar feeds: the addresses to paste in a calendar app, and the secret in them."""
    form = RsvpForm()
    secret = None
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        if request.form.get("action") == "revoke":
            feeds.revoke_all(current_user)
            flash(_("Your calendar addresses no longer work."), "success")
            return redirect(url_for("agenda_city.calendar"))
        secret = feeds.create(current_user)
        flash(_("New calendar addresses are ready; the old ones no longer work."), "success")
    token = feeds.active(current_user)
    roles = placette.roles_of(current_user)
    spaces = list(placette.Space.select().where(placette.Space.id.in_(list(roles) or [0])
                                                & placette.Space.archived_at.is_null())
                  .order_by(placette.Space.name))
    spaces = [s for s in spaces if placette.is_enabled(s, "agenda")]
    base = placette.current_config().base_url.rstrip("/")
    return render("agenda/calendar.html", token=token, secret=secret, spaces=spaces,
                  base=base, form=form)


def _owner_or_404(token: str):
    user = feeds.owner(token)
    if user is None:
        abort(404)
    return user


@bp.route("/feeds/<token>/my.ics")
def my_feed(token):
    """"My meetings": those of my spaces and those I said I would attend, as I may see them."""
    user = _owner_or_404(token)
    since = placette.utcnow() - FEED_PAST
    roles = placette.roles_of(user)
    answered = Rsvp.select(Rsvp.meeting).where((Rsvp.user == user.id) & (Rsvp.answer != "no"))
    in_my_spaces = (MeetingSpace.select(MeetingSpace.meeting)
                    .where(MeetingSpace.space.in_(list(roles) or [0])))
    meetings = list(queries.visible_meetings(user)
                    .where((Meeting.last_end >= since)
                           & (Meeting.id.in_(in_my_spaces) | Meeting.id.in_(answered)))
                    .order_by(Meeting.first_start, Meeting.id))
    fake = [_Occ(m) for m in meetings]
    slugs = queries.link_spaces(user, fake)
    return ics_response(_("My meetings"), meetings, slugs, "my-meetings.ics")


@bp.route("/feeds/<token>/s/<slug>.ics")
def space_feed(token, slug):
    user = _owner_or_404(token)
    space = placette.Space.get_or_none(placette.Space.slug == slug)
    if (space is None or not placette.can_read(user, space)
            or not placette.is_enabled(space, "agenda")):
        abort(404)
    meetings = space_feed_meetings(user, space)
    return ics_response(space.name, meetings, {m.id: space.slug for m in meetings},
                        f"{space.slug}.ics")


class _Occ:
    """Adapter: ``link_spaces`` takes occurrences; feeds have meetings."""

    def __init__(self, meeting):
        self.meeting = meeting
