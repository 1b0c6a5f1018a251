"""A person's own page: profile, password, API tokens, their data (download) and deleting it all."""
from __future__ import annotations

import json

from flask import (Blueprint, Response, abort, current_app, flash, redirect, render_template,
                   request, url_for)
from flask_login import current_user, login_required, login_user, logout_user

from ..i18n import _
from ..identity import links
from ..identity.accounts import (AccountError, clean_name, has_control_characters, set_password,
                                 sign_out_everywhere, verify_password)
from ..mail import send_templated
from .limits import limit
from ..identity.rgpd import erase_user, export_user_data
from ..identity.tokens import create_token, revoke
from ..models import ApiToken, User
from .forms import ChangePasswordForm, ConfirmForm, DeleteAccountForm, ProfileForm

bp = Blueprint("profile", __name__, url_prefix="/me")


def _page(form=None, password_form=None, status: int = 200, new_token: str | None = None):
    """The profile page; a form that failed comes back with its errors and what was typed."""
    tokens = list(ApiToken.select().where((ApiToken.user == current_user.id)
                                          & ApiToken.revoked_at.is_null())
                  .order_by(ApiToken.created_at))
    return render_template("profile/index.html",
                           form=form or ProfileForm(obj=current_user, formdata=None),
                           password_form=password_form or ChangePasswordForm(formdata=None),
                           confirm=ConfirmForm(), tokens=tokens,
                           new_token=new_token), status


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
@limit("10 per hour", key_func=lambda: f"me-password:{current_user.id}")
def password():
    """Change the password: the current one is asked (a stolen session must not become a stolen
    account).  Someone who has none -- they sign in by e-mailed links -- is sent a link to
    choose one: only the mailbox's owner can use it."""
    user = User.get_by_id(current_user.id)
    if not user.password_hash:
        if not ConfirmForm().validate_on_submit():
            abort(400)
        secret = links.create_link(user, "reset", 60)
        send_templated(user.email, user.language, "Choose a new password for %(city)s",
                       "mail/password_reset", user=user, url=f"/auth/reset/{secret}")
        flash(_("We sent you an e-mail with a link to choose your password."), "success")
        return redirect(url_for("profile.index"))
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if not verify_password(user, form.current_password.data):
            form.current_password.errors = list(form.current_password.errors) + [
                _("This is not your current password.")]
            return _page(password_form=form, status=400)
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
    # Shown once, in the answer to this POST: never put in the session cookie (signed, not
    # encrypted -- anyone holding the cookie could read it) nor kept anywhere in clear.
    secret = create_token(User.get_by_id(current_user.id), name)
    body, status = _page(new_token=secret)
    response = current_app.make_response((body, status))
    response.headers["Cache-Control"] = "no-store"
    return response


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
