"""``/me/sms``: enter a number, confirm it with the code, choose to receive texts, remove it.

Plain forms (no JavaScript); a refused number or code shows its message on the field and keeps
what was typed."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField, TelField
from wtforms.validators import DataRequired, Length

import placette

from .. import links, phones, service
from . import web

_l = placette.lazy_gettext


class PhoneForm(FlaskForm):
    phone = TelField(_l("Mobile phone number"), validators=[DataRequired(), Length(max=32)],
                     description=_l("For example 06 12 34 56 78. We text you a code to "
                                    "confirm it."))


class CodeForm(FlaskForm):
    code = StringField(_l("Code received by text"), validators=[DataRequired(), Length(max=12)],
                       description=_l("6 digits, valid 10 minutes."),
                       render_kw={"inputmode": "numeric", "autocomplete": "one-time-code"})


class ConsentForm(FlaskForm):
    wanted = BooleanField(_l("Send me meeting reminders and urgent changes by text"))


class EmptyForm(FlaskForm):
    pass


def _known_number(phone) -> str | None:
    """The number the members list gave (CSV import), offered until the person confirms one:
    it was never checked with them, so nothing is sent to it before."""
    if phone is not None or not current_user.phone:
        return None
    return phones.display(current_user.phone)


def _page(phone_form=None, code_form=None, status=200):
    phone = phones.phone_of(current_user)
    consent = ConsentForm(wanted=service.consents(current_user))
    return render_template(
        "sms/profile.html", phone=phone, number=phones.display(phone.number if phone else None),
        phone_form=phone_form or PhoneForm(phone=_known_number(phone)), code_form=code_form or CodeForm(),
        consent_form=consent, remove_form=EmptyForm()), status


@web.route("/me/sms", methods=["GET"])
@login_required
def profile():
    return _page()


@web.route("/me/sms/phone", methods=["POST"])
@login_required
def set_phone():
    form = PhoneForm()
    if not form.validate_on_submit():
        return _page(phone_form=form, status=422)
    try:
        service.ask_code(current_user, form.phone.data)
    except phones.PhoneError as exc:
        form.phone.errors = [exc.message]
        return _page(phone_form=form, status=exc.status if exc.status != 409 else 422)
    flash(placette._("A code was sent by text to %(number)s.",
                     number=phones.display(phones.phone_of(current_user).number)))
    return redirect(url_for("sms_web.profile") + "#sms-code")


@web.route("/me/sms/verify", methods=["POST"])
@login_required
def verify():
    form = CodeForm()
    if not form.validate_on_submit():
        return _page(code_form=form, status=422)
    try:
        service.confirm(current_user, form.code.data)
    except phones.PhoneError as exc:
        form.code.errors = [exc.message]
        return _page(code_form=form, status=422)
    flash(placette._("Your number is confirmed. You will receive reminders and urgent "
                     "changes by text."))
    return redirect(url_for("sms_web.profile"))


@web.route("/me/sms/consent", methods=["POST"])
@login_required
def consent():
    form = ConsentForm()
    if not form.validate_on_submit():
        abort(400)
    service.set_consent(current_user, bool(form.wanted.data))
    flash(placette._("Texts switched on.") if form.wanted.data
          else placette._("Texts switched off."))
    return redirect(url_for("sms_web.profile"))


@web.route("/me/sms/remove", methods=["POST"])
@login_required
def remove():
    if not EmptyForm().validate_on_submit():
        abort(400)
    with placette.atomic():
        phones.remove(current_user)
        service.set_consent(current_user, False)
    flash(placette._("Your number was removed."))
    return redirect(url_for("sms_web.profile"))


@web.route("/sms/l/<token>")
def short_link(token):
    target = links.target(token[:12])
    if target is None or not target.startswith("/"):
        abort(404)
    return redirect(target, code=302)
