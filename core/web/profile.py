"""A person's own page: profile, password, API tokens, their data (download) and deleting it all."""
from __future__ import annotations

import json

from flask import (Blueprint, Response, abort, flash, redirect, render_template, request,
                   session, url_for)
from flask_login import current_user, login_required, login_user, logout_user

from ..i18n import _
from ..identity.accounts import (AccountError, clean_name, has_control_characters, set_password,
                                 sign_out_everywhere)
from ..identity.rgpd import erase_user, export_user_data
from ..identity.tokens import create_token, revoke
from ..models import ApiToken, User
from .forms import ConfirmForm, DeleteAccountForm, NewPasswordForm, ProfileForm

bp = Blueprint("profile", __name__, url_prefix="/me")


def _page(form=None, password_form=None, status: int = 200):
    """The profile page; a form that failed comes back with its errors and what was typed."""
    tokens = list(ApiToken.select().where((ApiToken.user == current_user.id)
                                          & ApiToken.revoked_at.is_null())
                  .order_by(ApiToken.created_at))
    return render_template("profile/index.html",
                           form=form or ProfileForm(obj=current_user, formdata=None),
                           password_form=password_form or NewPasswordForm(formdata=None),
                           confirm=ConfirmForm(), tokens=tokens,
                           new_token=session.pop("new_token", None)), status


@bp.route("/", methods=["GET", "POST"])
@login_required
def index():
    form = ProfileForm(obj=current_user)
    if form.validate_on_submit():
        user = User.get_by_id(current_user.id)
        try:
            user.display_name = clean_name(form.display_name.data)
        except AccountError as exc:
            form.display_name.errors = list(form.display_name.errors) + [exc.message]
        else:
            user.language = form.language.data
            user.phone = " ".join((form.phone.data or "").split()) or None
            user.save()
            flash(_("Your profile is saved."), "success")
            return redirect(url_for("profile.index"))
    if request.method == "POST":
        return _page(form=form, status=400)
    return _page(form=form)


@bp.route("/password", methods=["POST"])
@login_required
def password():
    form = NewPasswordForm()
    if form.validate_on_submit():
        user = User.get_by_id(current_user.id)
        try:
            set_password(user, form.password.data)
        except AccountError as exc:
            form.password.errors = list(form.password.errors) + [exc.message]
        else:
            login_user(user, remember=True)  # this session carries the new stamp
            flash(_("Your password is changed. Your other sessions are signed out."), "success")
            return redirect(url_for("profile.index"))
    return _page(password_form=form, status=400)


@bp.route("/sign-out-everywhere", methods=["POST"])
@login_required
def everywhere():
    if not ConfirmForm().validate_on_submit():
        abort(400)
    user = User.get_by_id(current_user.id)
    sign_out_everywhere(user)
    login_user(user, remember=True)
    flash(_("Every other session is signed out."), "success")
    return redirect(url_for("profile.index"))


@bp.route("/tokens", methods=["POST"])
@login_required
def new_token():
    if not ConfirmForm().validate_on_submit():
        abort(400)
    name = " ".join((request.form.get("name") or "").split())[:100]
    if has_control_characters(name):
        name = ""
    name = name or _("API token")
    session["new_token"] = create_token(User.get_by_id(current_user.id), name)
    return redirect(url_for("profile.index") + "#tokens")


@bp.route("/tokens/<int:token_id>/revoke", methods=["POST"])
@login_required
def revoke_token(token_id):
    if not ConfirmForm().validate_on_submit() or not revoke(token_id, current_user.id):
        abort(404)
    flash(_("The token is revoked."), "success")
    return redirect(url_for("profile.index") + "#tokens")


@bp.route("/data.json")
@login_required
def export():
    data = export_user_data(User.get_by_id(current_user.id))
    body = json.dumps(data, ensure_ascii=False, indent=2, default=str)
    return Response(body, mimetype="application/json", headers={
        "Content-Disposition": 'attachment; filename="my-placette-data.json"',
        "Cache-Control": "no-store"})


@bp.route("/delete", methods=["GET", "POST"])
@login_required
def delete():
    form = DeleteAccountForm()
    if form.validate_on_submit():
        if form.confirm.data.strip().lower() != current_user.email:
            form.confirm.errors = list(form.confirm.errors) + [
                _("This is not your e-mail address.")]
        else:
            user = User.get_by_id(current_user.id)
            logout_user()
            erase_user(user)
            flash(_("Your account and your personal data are deleted."), "success")
            return redirect(url_for("dashboard.home"))
    status = 400 if request.method == "POST" else 200
    return render_template("profile/delete.html", form=form), status
