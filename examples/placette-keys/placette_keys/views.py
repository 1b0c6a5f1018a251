"""The pages, under ``/s/<space>/keys/``: the rooms, one room, hand a key over, the log, add a room.

``placette.space_blueprint("keys")`` already answers 404 where the space may not be read or the
module is off, and passes ``space`` to every view.  Each view then asks the permission gate:
``keys.view`` missing is a 404 (the keys do not exist for that person); a missing action on a
room one can see is a 403 from ``placette.require``.  Moderation is honoured the same way: a room
hidden or pending is left out of lists (``service.rooms_of`` uses ``placette.exclude_moderated``)
and its pages answer 404 (``placette.moderation_state``), except for the person who added it and
the space's animators, who read why on its page.
"""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

import placette
from placette import lazy_gettext as _l

from . import service

bp = placette.space_blueprint("keys", __name__)
LOG_PAGE = 50
DESK = "desk"


class HandoverForm(FlaskForm):
    receiver = SelectField(_l("Who receives the key?"), validators=[DataRequired()],
                           description=_l("Only members of this space are listed."))
    note = TextAreaField(_l("Note (optional)"), validators=[Optional(), Length(max=500)],
                         description=_l("For example: \"the alarm code was given too\"."))
    version = HiddenField()


class RoomForm(FlaskForm):
    name = StringField(_l("Name of the room"), validators=[DataRequired(), Length(max=120)])
    place = StringField(_l("Where it is (optional)"), validators=[Optional(), Length(max=200)],
                        description=_l("An address or a building, so that people find it."))


def _viewable(space) -> None:
    if not placette.can(current_user, "keys.view", space):
        abort(404)


def _room_or_404(space, room_id: int):
    """The room and its moderation state, or 404: another space's room, or one hidden from the
    visitor by moderation, does not exist for them."""
    _viewable(space)
    room = service.room_in(space, room_id)
    if room is None:
        abort(404)
    moderation = placette.moderation_state("keys", "room", room.id)
    if not moderation.visible_to(current_user):
        abort(404)
    return room, moderation


def _desk_label(space) -> str:
    return service.settings(space).key_desk or placette._("at the key desk")


@bp.route("/")
def index(space):
    _viewable(space)
    limit = service.overdue_after(space)
    now = placette.utcnow()
    rooms = service.rooms_of(space, current_user)
    return render_template("keys/index.html", space=space, rooms=rooms,
                           desk=_desk_label(space),
                           overdue={r.id for r in rooms if service.is_overdue(r, limit, now)},
                           may_hand_over=placette.can(current_user, "keys.handover", space),
                           may_add=placette.can(current_user, "keys.rooms.manage", space))


@bp.route("/rooms/<int:room_id>")
def room(space, room_id):
    room, moderation = _room_or_404(space, room_id)
    log = list(service.log_query(space, current_user, room).limit(LOG_PAGE))
    # moderation.resource is the room's registry row: the resource.footer slot needs it (the
    # "Report this content" link, other plugins' comments...).
    return render_template("keys/room.html", space=space, room=room, log=log,
                           moderation=moderation, resource=moderation.resource,
                           desk=_desk_label(space),
                           overdue=service.is_overdue(room, service.overdue_after(space)),
                           may_hand_over=placette.can(current_user, "keys.handover", space))


@bp.route("/rooms/<int:room_id>/handover", methods=["GET", "POST"])
def handover(space, room_id):
    room, _moderation = _room_or_404(space, room_id)
    placette.require(current_user, "keys.handover", space)
    form = HandoverForm()
    desk = _desk_label(space)
    form.receiver.choices = [SelectChoice("", placette._("Choose a person"))] + [
        SelectChoice(str(m.user.id), m.user.display_name) for m in service.members_of(space)
        if m.user.id != room.holder_id]
    if not room.at_desk:
        back = placette._("Nobody: return the key (%(desk)s)", desk=desk)
        form.receiver.choices.insert(1, SelectChoice(DESK, back))
    if request.method == "GET":
        form.version.data = str(room.version)
    if form.validate_on_submit():
        receiver = None if form.receiver.data == DESK else int(form.receiver.data)
        raw = form.version.data or ""
        seen = int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 18 else None
        try:
            service.hand_over(room, space, receiver, current_user, form.note.data or "",
                              seen_version=seen)
        except service.KeysError as exc:
            target = form[exc.field] if exc.field in ("receiver", "note") else form.receiver
            target.errors = list(target.errors) + [exc.message]
            if exc.code == "conflict":
                form.version.data = str(service.room_in(space, room_id).version)
        else:
            flash(placette._("Recorded: the key of %(room)s has changed hands.", room=room.name),
                  "success")
            return redirect(url_for("keys.room", room_id=room.id))
    return render_template("keys/handover.html", space=space, room=room, form=form,
                           desk=desk)


@bp.route("/log")
def log(space):
    _viewable(space)
    page = placette.page_number(request.args.get("page"))
    query = service.log_query(space, current_user)
    total = query.count()
    entries = list(query.paginate(page, LOG_PAGE))
    return render_template("keys/log.html", space=space, log=entries, page=page, total=total,
                           per_page=LOG_PAGE)


@bp.route("/rooms/new", methods=["GET", "POST"])
def new_room(space):
    _viewable(space)
    placette.require(current_user, "keys.rooms.manage", space)
    form = RoomForm()
    if form.validate_on_submit():
        try:
            room = service.create_room(space, form.name.data, form.place.data or "",
                                       current_user)
        except service.KeysError as exc:
            form[exc.field or "name"].errors = list(form[exc.field or "name"].errors) + [
                exc.message]
        else:
            flash(placette._("Room %(room)s added.", room=room.name), "success")
            return redirect(url_for("keys.index"))
    return render_template("keys/new_room.html", space=space, form=form)
