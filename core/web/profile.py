"""A person's own page: profile, password, API tokens, their data (download) and deleting it all."""
from __future__ import annotations

import json

from flask import (Blueprint, Response, abort, flash, redirect, render_template, request,
                   session, url_for)
from flask_login import current_user, login_required, login_user, logout_user

from ..i18n import _
from ..identity.accounts import AccountError, set_password, sign_out_everywhere
from ..identity.rgpd import erase_user, export_user_data
from ..identity.tokens import create_token, revoke
from ..models import ApiToken, User
from .forms import ConfirmForm, DeleteAccountForm, NewPasswordForm, ProfileForm

bp = Blueprint("profile", __name__, url_prefix="/me")


@bp.route("/", methods=["GET", "POST"])
@login_required
def index():
    form = ProfileForm(obj=current_user)
    if form.validate_on_submit():
        user = User.get_by_id(current_user.id)
        user.display_name = form.display_name.data.strip()
        user.language = form.language.data
        user.phone = (form.phone.data or "").strip() or None
        user.save()
        flash(_("Your profile is saved."), "success")
        return redirect(url_for("profile.index"))
    tokens = list(ApiToken.select().where((ApiToken.user == current_user.id)
                                          & ApiToken.revoked_at.is_null()))
    return render_template("profile/index.html", form=form, password_form=NewPasswordForm(),
                           confirm=ConfirmForm(), tokens=tokens,
                           new_token=session.pop("new_token", None))


@bp.route("/password", methods=["POST"])
@login_required
def password():
    form = NewPasswordForm()
    if form.validate_on_submit():
        user = User.get_by_id(current_user.id)
        try:
            set_password(user, form.password.data)
        except AccountError as exc:
            flash(exc.message, "error")
        else:
            login_user(user, remember=True)  # this session carries the new stamp
            flash(_("Your password is changed. Your other sessions are signed out."), "success")
    else:
        flash("; ".join(str(e) for e in form.password.errors) or _("Please try again."), "error")
    return redirect(url_for("profile.index"))


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
    name = (request.form.get("name") or "").strip()[:100] or _("API token")
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
    return render_template("profile/delete.html", form=form)
