"""Pages: the notification list, per-person settings, and the one-click links of mails.

Mute and unsubscribe links work without signing in -- the signed token says who and what -- and
always ask for a confirmation click (a POST), so a mail scanner that opens every link mutes
nothing.  The unsubscribe address also accepts the mail programs' one-click POST (RFC 8058),
which carries no CSRF token: the signature is the authorisation.
"""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ..db import atomic
from ..api.ids import page_number, parse_id
from ..i18n import _
from ..models import FeedToken, Mute, Resource, Space, User
from ..permissions import can, can_read
from ..web.forms import ConfirmForm
from ..web.guards import from_this_site
from . import links, queries
from .channels import channels, mode_of
from .hooks import remember_unread
from .items import describe

bp = Blueprint("notifications", __name__)
PER_PAGE = 30


def _page() -> int:
    return page_number(request.args.get("page"))


# -- the list -----------------------------------------------------------------------------------

@bp.route("/notifications")
@login_required
def index():
    inapp = channels().get("inapp")
    off = inapp is not None and mode_of(current_user, inapp) == "off"
    unread_only = request.args.get("unread") == "1"
    page = _page()
    rows, total = [], 0
    if not off:
        rows, total, unread = queries.inbox_page_and_unread(current_user, unread_only, page,
                                                            PER_PAGE)
        remember_unread(current_user._get_current_object(), unread)
    items = [(n, describe(n.event)) for n in rows]
    return render_template("notifications/list.html", items=items, total=total, page=page,
                           per_page=PER_PAGE, unread_only=unread_only, off=off,
                           confirm=ConfirmForm())


@bp.route("/notifications/<int:notification_id>/open")
@login_required
def open_one(notification_id):
    """Mark one notification read and go where it points (a link from another site only goes
    there: a GET triggered elsewhere writes nothing)."""
    row = queries.inbox(current_user).where(
        queries.Notification.id == notification_id).first()
    if row is None:
        abort(404)
    if from_this_site():
        queries.mark_read(current_user, [row.id])
    return redirect(describe(row.event).path)


@bp.route("/notifications/read", methods=["POST"])
@login_required
def read():
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if request.form.get("all"):
        if queries.mark_read(current_user):
            flash(_("All your notifications are marked as read."), "success")
    else:
        ids = [i for i in map(parse_id, request.form.getlist("id")) if i][:500]
        queries.mark_read(current_user, ids)
    back = url_for("notifications.index", page=request.form.get("page") or None,
                   unread=request.form.get("unread") or None)
    return redirect(back)


# -- settings (a section of the profile page) ---------------------------------------------------

@bp.route("/me/notifications", methods=["GET", "POST"])
@login_required
def settings():
    if request.method == "GET":
        return redirect(url_for("profile.index") + "#notifications")
    if not ConfirmForm().validate_on_submit():
        abort(400)
    user = User.get_by_id(current_user.id)
    prefs = dict(user.notification_prefs or {})
    for channel in channels().values():
        if not channel.available_for(user):
            continue
        chosen = request.form.get(f"mode-{channel.name}")
        if chosen is None:
            continue
        if chosen not in channel.modes:
            flash(_("Please choose one of the options offered."), "error")
            return redirect(url_for("profile.index") + "#notifications")
        prefs[channel.name] = chosen
    user.notification_prefs = prefs
    user.save()
    flash(_("Your notification settings are saved."), "success")
    return redirect(url_for("profile.index") + "#notifications")


@bp.route("/me/mutes/<int:mute_id>/delete", methods=["POST"])
@login_required
def unmute(mute_id):
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if not Mute.delete().where((Mute.id == mute_id) & (Mute.user == current_user.id)).execute():
        abort(404)
    flash(_("You will hear about it again."), "success")
    return redirect(url_for("profile.index") + "#notifications")


@bp.route("/me/feed-key", methods=["POST"])
@login_required
def new_feed_key():
    """Create, or replace (every old feed address stops working), the private feed key."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    with atomic():
        FeedToken.delete().where(FeedToken.user == current_user.id).execute()
        FeedToken.create(user=current_user.id, token=links.new_feed_secret())
    flash(_("Your private feed addresses are ready; older ones no longer work."), "success")
    return redirect(url_for("profile.index") + "#feeds")


@bp.route("/me/feed-key/revoke", methods=["POST"])
@login_required
def revoke_feed_key():
    if not ConfirmForm().validate_on_submit():
        abort(400)
    FeedToken.delete().where(FeedToken.user == current_user.id).execute()
    flash(_("Your private feed addresses no longer work."), "success")
    return redirect(url_for("profile.index") + "#feeds")


# -- one-click mute -----------------------------------------------------------------------------

def _mute_target(token: str):
    """(person, space, resource) of a mute link, or 404 -- also when the person may no longer
    see the thing (its name must not leak to whoever holds an old mail)."""
    payload = links.read_mute_token(token)
    if payload is None:
        abort(404)
    person = User.get_or_none(User.id == payload["u"])
    if person is None:
        abort(404)
    resource = None
    if "r" in payload:
        resource = Resource.get_or_none(Resource.id == payload["r"])
        if resource is None or not can(person, "view", resource):
            abort(404)
        space = resource.space
    else:
        space = Space.get_or_none(Space.id == payload["s"])
        if space is None or not can_read(person, space):
            abort(404)
    return person, space, resource


def _mute_query(person, space, resource):
    if resource is not None:
        return Mute.select().where((Mute.user == person.id) & (Mute.resource == resource.id))
    return Mute.select().where((Mute.user == person.id) & (Mute.space == space.id)
                               & Mute.resource.is_null())


@bp.route("/mute/<token>", methods=["GET", "POST"])
def mute(token):
    person, space, resource = _mute_target(token)
    done = _mute_query(person, space, resource).exists()
    form = ConfirmForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        if not done:
            Mute.create(user=person.id, space=space.id if resource is None else None,
                        resource=resource.id if resource is not None else None)
        done = True
    return render_template("notifications/mute.html", token=token, space=space,
                           resource=resource, done=done, confirm=form)


@bp.route("/mute/<token>/undo", methods=["POST"])
def mute_undo(token):
    person, space, resource = _mute_target(token)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    ids = [m.id for m in _mute_query(person, space, resource)]
    if ids:
        Mute.delete().where(Mute.id.in_(ids)).execute()
    return render_template("notifications/mute.html", token=token, space=space,
                           resource=resource, done=False, undone=True, confirm=ConfirmForm())


# -- unsubscribe from a channel -----------------------------------------------------------------

def _unsubscribe_target(token: str):
    payload = links.read_unsubscribe_token(token)
    if payload is None:
        abort(404)
    person = User.get_or_none(User.id == payload["u"])
    channel = channels().get(payload["c"])
    if person is None or channel is None or "off" not in channel.modes:
        abort(404)
    return person, channel


def _set_mode(person: User, channel, mode: str) -> None:
    prefs = dict(person.notification_prefs or {})
    prefs[channel.name] = mode
    person.notification_prefs = prefs
    person.save()


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
def unsubscribe(token):
    person, channel = _unsubscribe_target(token)
    previous = mode_of(person, channel)
    if request.method == "POST":
        _set_mode(person, channel, "off")
        if request.form.get("List-Unsubscribe") == "One-Click":
            return "", 204
        return render_template("notifications/unsubscribe.html", token=token, channel=channel,
                               done=True, previous=previous if previous != "off" else None,
                               confirm=ConfirmForm())
    return render_template("notifications/unsubscribe.html", token=token, channel=channel,
                           done=previous == "off", previous=None, confirm=ConfirmForm())


@bp.route("/unsubscribe/<token>/undo", methods=["POST"])
def unsubscribe_undo(token):
    person, channel = _unsubscribe_target(token)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    mode = request.form.get("mode")
    if mode not in channel.modes:
        mode = channel.default_mode
    _set_mode(person, channel, mode)
    return render_template("notifications/unsubscribe.html", token=token, channel=channel,
                           done=False, undone=True, previous=None, confirm=ConfirmForm())


def exempt_from_csrf(app) -> None:
    """The one-click unsubscribe takes mail programs' POST, which carries no CSRF token."""
    app.extensions["csrf"].exempt(unsubscribe)
