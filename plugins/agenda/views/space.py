"""Pages under ``/s/<space>/agenda``: lists, month grid, meeting page, forms, RSVP, minutes,
attendees and their CSV, the space's public feed and each meeting's ``.ics``.

The kernel's space blueprint answers 404 when the space is unreadable or the agenda is off
there; a meeting not visible through this space -- or hidden or pending in moderation, for anyone
but its author and the space's animators -- is 404 too (:func:`queries.get_visible`).
"""
from __future__ import annotations

import csv
import datetime as dt
import io

import placette
from flask import Response, abort, flash, redirect, request, url_for
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from .. import occurrences, queries, rsvp, service, timing
from ..forms import MeetingForm, MinutesForm, OccurrenceForm, RsvpForm
from ..models import Meeting, Minutes
from .helpers import (ics_response, local, month_bounds, month_grid, parse_month, render)

_ = placette._
bp = placette.space_blueprint("agenda", __name__)
PER_PAGE = 20


def _meeting(space, meeting_id: int) -> Meeting:
    meeting = queries.get_visible(current_user, meeting_id, space)
    if meeting is None:
        abort(404)
    return meeting


def _first(rows: list):
    return rows[0] if rows else None


def _cursor(name: str) -> dt.datetime | None:
    raw = request.args.get(name)
    if not raw:
        return None
    value = timing.parse_key(raw)
    if value is None:
        abort(404)
    return value


@bp.route("/")
def index(space):
    actor = current_user._get_current_object()  # once: checks run per listed meeting
    view = request.args.get("view", "upcoming")
    context = {"space": space, "view": view,
               "can_create": placette.can(actor, "agenda.meeting.create", space)}
    if view == "month":
        year, month = parse_month(request.args.get("month"))
        start, end = month_bounds(year, month)
        found = queries.between(actor, space, start, end)
        context["grid"] = month_grid(year, month, found)
        context["occurrences"] = found
    elif view == "past":
        found = queries.past(actor, space, _cursor("before"), PER_PAGE + 1)
        context["occurrences"] = found[:PER_PAGE]
        context["more"] = (timing.occurrence_key(found[PER_PAGE - 1].starts_at)
                           if len(found) > PER_PAGE else None)
    else:
        context["view"] = "upcoming"
        found = queries.upcoming(actor, space, _cursor("after"), PER_PAGE + 1)
        context["occurrences"] = found[:PER_PAGE]
        context["more"] = (timing.occurrence_key(found[PER_PAGE].starts_at)
                           if len(found) > PER_PAGE else None)
    context["answers"] = queries.answers_of(actor, context["occurrences"])
    context["seats"] = queries.seat_counts(context["occurrences"])
    return render("agenda/space_index.html", **context)


# -- creating and changing --------------------------------------------------------------------

def _space_choices(space) -> list[SelectChoice]:
    """Other spaces where the actor may publish too (joint meetings)."""
    ids = [sid for sid in placette.roles_of(current_user) if sid != space.id]
    if not ids:
        return []
    spaces = (placette.Space.select().where(placette.Space.id.in_(ids)
                                            & placette.Space.archived_at.is_null())
              .order_by(placette.Space.name))
    return [SelectChoice(s.slug, s.name) for s in spaces
            if placette.is_enabled(s, "agenda")
            and placette.can(current_user, "agenda.meeting.create", s)]


def _form_data(form: MeetingForm) -> dict:
    rule = None
    if form.repeat.data == "custom":
        rule = (form.rrule.data or "").strip() or None
        if rule is None:
            raise service.AgendaError("required", _("Write the rule, or choose another "
                                                    "repetition."), "rrule")
    elif form.repeat.data not in (None, "", "none"):
        rule = timing.preset_rule(form.repeat.data, form.starts_at.data)
    if rule and form.repeat_until.data and "UNTIL=" not in rule.upper() \
            and "COUNT=" not in rule.upper():
        rule += ";UNTIL=" + form.repeat_until.data.strftime("%Y%m%d")
    hours_text = (form.reminder_hours.data or "").strip()
    try:
        hours = [int(h) for h in hours_text.replace(";", ",").split(",") if h.strip()]
    except ValueError:
        raise service.AgendaError("invalid_reminders", _("Reminders are whole numbers of "
                                                         "hours, e.g. 48, 2."),
                                  "reminder_hours") from None
    return {"title": form.title.data, "description": form.description.data or "",
            "starts_at": form.starts_at.data, "ends_at": form.ends_at.data, "rrule": rule,
            "address": form.address.data or "", "room": form.room.data or "",
            "map_url": form.map_url.data or "", "online_url": form.online_url.data or "",
            "capacity": form.capacity.data, "visibility": form.visibility.data,
            "reminder_hours": hours, "spaces": form.spaces.data or []}


FIELD_OF = {"starts_at": "starts_at", "ends_at": "ends_at", "rrule": "rrule",
            "timezone": "starts_at", "capacity": "capacity", "visibility": "visibility",
            "reminder_hours": "reminder_hours", "spaces": "spaces", "title": "title",
            "description": "description", "address": "address", "room": "room",
            "map_url": "map_url", "online_url": "online_url"}

MESSAGES = {
    "end_before_start": placette.lazy_gettext("The meeting must end after it starts."),
    "date_out_of_range": placette.lazy_gettext("Dates must be between 2000 and 2099."),
    "too_long": placette.lazy_gettext("This is too long."),
    "invalid_rrule": placette.lazy_gettext("This recurrence rule is not valid: %(detail)s"),
    "capacity_below_attendance": placette.lazy_gettext(
        "More people already come than this number of seats."),
    "invalid_url": placette.lazy_gettext("A link starts with https://"),
    "invalid_space": placette.lazy_gettext("You cannot publish meetings in one of these "
                                           "spaces."),
    "invalid_reminders": placette.lazy_gettext("Each reminder is 1 to 336 hours before, at "
                                               "most 5."),
}


def _show_error(form, exc: service.AgendaError) -> None:
    template = MESSAGES.get(exc.code)
    text = str(template) % {"detail": exc.message} if template is not None else exc.message
    field = FIELD_OF.get(exc.field or "", None)
    if field is not None and field in form:
        form[field].errors = list(form[field].errors) + [text]
    else:
        flash(text, "error")


def _fill_defaults(form: MeetingForm, space) -> None:
    settings = service.settings(space)
    form.reminder_hours.data = ", ".join(str(h) for h in settings.reminder_hours)
    form.visibility.data = settings.default_visibility


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new(space):
    placette.require(current_user, "agenda.meeting.create", space)
    form = MeetingForm()
    form.spaces.choices = _space_choices(space)
    if request.method == "GET":
        _fill_defaults(form, space)
    if form.validate_on_submit():
        try:
            meeting = service.create_meeting(space, current_user, _form_data(form))
        except service.AgendaError as exc:
            _show_error(form, exc)
        else:
            flash(_("The meeting is published."), "success")
            return redirect(url_for("agenda.meeting", space=space.slug, meeting_id=meeting.id))
    return render("agenda/meeting_form.html", space=space, form=form, meeting=None), \
        (422 if request.method == "POST" else 200)


@bp.route("/<int:meeting_id>/edit", methods=["GET", "POST"])
@login_required
def edit(space, meeting_id):
    meeting = _meeting(space, meeting_id)
    placette.require(current_user, "agenda.meeting.edit", meeting)
    if meeting.is_cancelled:
        flash(_("This meeting is cancelled: it cannot be changed any more."), "error")
        return redirect(url_for("agenda.meeting", space=space.slug, meeting_id=meeting.id))
    form = MeetingForm()
    form.spaces.choices = _space_choices(space)
    if request.method == "GET":
        form.title.data, form.description.data = meeting.title, meeting.description
        form.starts_at.data = local(meeting.starts_at)
        form.ends_at.data = local(meeting.ends_at)
        form.repeat.data = "custom" if meeting.rrule else "none"
        form.rrule.data = meeting.rrule or ""
        form.address.data, form.room.data = meeting.address, meeting.room
        form.map_url.data, form.online_url.data = meeting.map_url, meeting.online_url
        form.capacity.data = meeting.capacity
        form.visibility.data = meeting.visibility or "space"
        form.reminder_hours.data = ", ".join(str(h) for h in meeting.reminder_hours or [])
        offered = {slug for slug, _name in form.spaces.choices}
        form.spaces.data = [s.slug for s in meeting.placette_spaces()
                            if s.id != meeting.space_id and s.slug in offered]
    if form.validate_on_submit():
        try:
            data = _form_data(form)
            data["timezone"] = meeting.timezone
            service.update_meeting(meeting, current_user, data)
        except service.AgendaError as exc:
            _show_error(form, exc)
        else:
            flash(_("The meeting is updated."), "success")
            return redirect(url_for("agenda.meeting", space=space.slug, meeting_id=meeting.id))
    return render("agenda/meeting_form.html", space=space, form=form, meeting=meeting), \
        (422 if request.method == "POST" else 200)


@bp.route("/<int:meeting_id>/cancel", methods=["POST"])
@login_required
def cancel(space, meeting_id):
    meeting = _meeting(space, meeting_id)
    placette.require(current_user, "agenda.meeting.cancel", meeting)
    if not RsvpForm().validate_on_submit():
        abort(400)
    try:
        service.cancel_meeting(meeting, current_user)
    except service.AgendaError as exc:
        flash(exc.message, "error")
    else:
        flash(_("The meeting is cancelled; those concerned are told at once."), "success")
    return redirect(url_for("agenda.meeting", space=space.slug, meeting_id=meeting.id))


@bp.route("/<int:meeting_id>/dates/<key>", methods=["GET", "POST"])
@login_required
def occurrence(space, meeting_id, key):
    """Move one date of a series, or cancel it (the others stay)."""
    meeting = _meeting(space, meeting_id)
    placette.require(current_user, "agenda.meeting.edit", meeting)
    occ = occurrences.find(meeting, key) if meeting.rrule else None
    if occ is None or not occ.key:
        abort(404)
    form = OccurrenceForm()
    if request.method == "GET":
        form.starts_at.data, form.ends_at.data = local(occ.starts_at), local(occ.ends_at)
    status = 200
    if request.method == "POST":
        cancel_it = request.form.get("action") == "cancel"
        if cancel_it or form.validate_on_submit():
            try:
                service.change_occurrence(meeting, key, current_user, cancel=cancel_it,
                                          starts_at=form.starts_at.data,
                                          ends_at=form.ends_at.data)
            except service.AgendaError as exc:
                _show_error(form, exc)
                status = exc.status if exc.status != 404 else 422
            else:
                flash(_("This date is cancelled.") if cancel_it else _("This date is moved."),
                      "success")
                return redirect(url_for("agenda.meeting", space=space.slug,
                                        meeting_id=meeting.id, occurrence=key))
        else:
            status = 422
    return render("agenda/occurrence_form.html", space=space, meeting=meeting, occ=occ,
                  form=form), status


# -- the meeting page -------------------------------------------------------------------------

@bp.route("/<int:meeting_id>")
def meeting(space, meeting_id):
    meeting = _meeting(space, meeting_id)
    key = request.args.get("occurrence") or None
    occ = occurrences.find(meeting, key)
    if occ is None:
        abort(404)
    counts = service.attendance(meeting, occ.key)
    mine = None
    if current_user.is_authenticated:
        from ..models import Rsvp
        mine = _first(placette.prepared("agenda.my_answer", lambda mid, key, uid: (
            Rsvp.select().where((Rsvp.meeting == mid) & (Rsvp.occurrence == key)
                                & (Rsvp.user == uid)).limit(1)),
            mid=meeting.id, key=occ.key, uid=current_user.id).rows())
    minutes = _first(placette.prepared("agenda.minutes", lambda mid, key: (
        Minutes.select().where((Minutes.meeting == mid) & (Minutes.occurrence == key)).limit(1)),
        mid=meeting.id, key=occ.key).rows())
    settings = service.settings(meeting.space)
    now = placette.utcnow()
    can_answer = (settings.rsvp_enabled and not occ.is_cancelled and occ.ends_at > now
                  and placette.can(current_user, "agenda.meeting.rsvp", meeting))
    full = meeting.capacity is not None and counts["yes"] >= meeting.capacity
    # _meeting() already answered 404 to whoever moderation hides it from; what is left to say
    # is why it is hidden or pending, to its author and the animators (and the registry row
    # the footer slots need).
    moderation = placette.moderation_state("agenda", "meeting", meeting.id)
    if moderation.resource is not None and moderation.resource.space_id == meeting.space_id:
        # the slots' permission checks read the registry row's space: the one read with the
        # meeting (no query for it)
        moderation.resource.space = meeting.space
    return render("agenda/meeting.html", space=space, meeting=meeting, occ=occ,
                  moderation=moderation, resource=moderation.resource,
                  counts=counts, mine=mine, minutes=minutes, can_answer=can_answer, full=full,
                  rsvp_enabled=settings.rsvp_enabled, started=occ.starts_at <= now,
                  upcoming=occurrences.upcoming_of(meeting) if meeting.rrule else [],
                  spaces=placette.visible_spaces(meeting.placette_spaces(), current_user),
                  can_edit=placette.can(current_user, "agenda.meeting.edit", meeting),
                  can_cancel=placette.can(current_user, "agenda.meeting.cancel", meeting),
                  can_minutes=placette.can(current_user, "agenda.minutes.edit", meeting),
                  can_attendees=placette.can(current_user, "agenda.attendees.view", meeting))


@bp.route("/<int:meeting_id>/rsvp", methods=["POST"])
@login_required
def answer(space, meeting_id):
    meeting = _meeting(space, meeting_id)
    form = RsvpForm()
    if not form.validate_on_submit():
        abort(400)
    key = form.occurrence.data or None
    try:
        row = rsvp.answer(meeting, current_user, form.answer.data or "", key,
                          waiting_list=form.waiting_list.data == "1")
    except service.AgendaError as exc:
        if exc.status == 404:
            abort(404)
        messages = {
            "meeting_full": _("The meeting is full. You can join the waiting list."),
            "meeting_cancelled": _("This meeting is cancelled."),
            "meeting_past": _("This meeting is over."),
            "rsvp_disabled": _("Answers are not collected in this space."),
        }
        flash(messages.get(exc.code, exc.message), "error")
    else:
        if row.waiting:
            flash(_("You are on the waiting list: you will be told if a seat frees up."),
                  "success")
        else:
            flash(_("Your answer is saved."), "success")
    return redirect(url_for("agenda.meeting", space=space.slug, meeting_id=meeting.id,
                            occurrence=key) + "#rsvp")


@bp.route("/<int:meeting_id>/minutes", methods=["GET", "POST"])
@login_required
def minutes(space, meeting_id):
    meeting = _meeting(space, meeting_id)
    placette.require(current_user, "agenda.minutes.edit", meeting)
    key = request.values.get("occurrence") or None
    occ = occurrences.find(meeting, key)
    if occ is None:
        abort(404)
    row = Minutes.get_or_none(meeting=meeting.id, occurrence=occ.key)
    form = MinutesForm()
    if request.method == "GET" and row is not None:
        form.text.data = row.text
    status = 200
    if form.validate_on_submit():
        try:
            service.save_minutes(meeting, occ.key, current_user, form.text.data or "")
        except service.AgendaError as exc:
            form.text.errors = list(form.text.errors) + [
                _("Minutes are written once the meeting has started.")
                if exc.code == "not_yet" else exc.message]
            status = 422
        else:
            flash(_("The minutes are saved."), "success")
            return redirect(url_for("agenda.meeting", space=space.slug, meeting_id=meeting.id,
                                    occurrence=occ.key or None))
    elif request.method == "POST":
        status = 422
    return render("agenda/minutes_form.html", space=space, meeting=meeting, occ=occ,
                  form=form), status


@bp.route("/<int:meeting_id>/attendees")
@login_required
def attendees(space, meeting_id):
    meeting = _meeting(space, meeting_id)
    placette.require(current_user, "agenda.attendees.view", meeting)
    occ = occurrences.find(meeting, request.args.get("occurrence") or None)
    if occ is None:
        abort(404)
    rows = _sorted(rsvp.attendees(meeting, occ.key))
    return render("agenda/attendees.html", space=space, meeting=meeting, occ=occ, rows=rows,
                  counts=service.attendance(meeting, occ.key))


def _sorted(rows):
    order = {"yes": 0, "maybe": 1, "no": 2}
    return sorted(rows, key=lambda r: (r.waiting, order.get(r.answer, 3),
                                       r.updated_at, r.id))


def _cell(value: str) -> str:
    """Spreadsheet-safe: a cell starting with = + - @ is not run as a formula."""
    text = str(value or "")
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@bp.route("/<int:meeting_id>/attendees.csv")
@login_required
def attendees_csv(space, meeting_id):
    meeting = _meeting(space, meeting_id)
    placette.require(current_user, "agenda.attendees.view", meeting)
    occ = occurrences.find(meeting, request.args.get("occurrence") or None)
    if occ is None:
        abort(404)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["name", "email", "answer", "waiting_list", "answered_at"])
    for row in _sorted(rsvp.attendees(meeting, occ.key)):
        writer.writerow([_cell(row.user.display_name), _cell(row.user.email), row.answer,
                         "yes" if row.waiting else "no",
                         row.updated_at.strftime("%Y-%m-%d %H:%M UTC")])
    day = local(occ.starts_at).strftime("%Y-%m-%d")
    response = Response("\ufeff" + out.getvalue(), mimetype="text/csv")
    response.headers["Content-Disposition"] = (f'attachment; filename="attendees-{meeting.id}'
                                               f'-{day}.csv"')
    return response


# -- iCalendar --------------------------------------------------------------------------------

@bp.route("/<int:meeting_id>.ics")
def meeting_ics(space, meeting_id):
    meeting = _meeting(space, meeting_id)
    return ics_response(meeting.title, [meeting], {meeting.id: space.slug},
                        f"meeting-{meeting.id}.ics")


FEED_PAST = dt.timedelta(days=365)


def space_feed_meetings(actor, space) -> list[Meeting]:
    """Meetings of a space for its feed: everything not over for more than a year.

    Calendar applications ask for the feed every few minutes: its SQL is written once per
    viewer and space (``placette.prepared``; writing it was a third of the feed's time), the
    date bound at each call."""
    def build(_viewer, _space_id, since):
        return (queries.visible_meetings(actor, space)
                .where(Meeting.last_end >= since)
                .order_by(Meeting.first_start, Meeting.id))

    return placette.prepared("agenda.space_feed", build,
                             placette.viewer_key(actor, moderation=True), space.id,
                             since=placette.utcnow() - FEED_PAST).rows()


@bp.route("/feed.ics")
def feed(space):
    """The space's calendar as the visitor may see it (public spaces: subscribe without an
    account; others: use the personal feed address from the calendar page)."""
    meetings = space_feed_meetings(current_user, space)
    return ics_response(space.name, meetings, {m.id: space.slug for m in meetings},
                        f"{space.slug}.ics")
