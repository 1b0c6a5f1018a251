"""The animators' pages: pick an offer, introduce and order shown items, republish, withdraw,
and read the views per month.  Every change goes through :mod:`..service`; a refusal comes back
as a message on the page, never a 500."""
from __future__ import annotations

import placette
from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from .. import service, stats
from ..service import ShowcaseError
from . import manage_bp

_l = placette.lazy_gettext


class PickForm(FlaskForm):
    resource = HiddenField(validators=[DataRequired(), Length(max=200)])
    introduction = TextAreaField(_l("Public introduction (optional)"),
                                 validators=[Optional(), Length(max=service.MAX_INTRODUCTION)],
                                 description=_l("Plain text: a sentence or two for the public."))


class ItemForm(FlaskForm):
    introduction = TextAreaField(_l("Public introduction"),
                                 validators=[Optional(), Length(max=service.MAX_INTRODUCTION)])
    position = IntegerField(_l("Position (1 = first)"),
                            validators=[Optional(), NumberRange(min=1, max=10000)])


class ActionForm(FlaskForm):
    pass


def _guard(space):
    if not service.may_manage(current_user, space):
        abort(404)


def _item_or_404(space, item_id):
    item = service.item_in(space, item_id)
    if item is None:
        abort(404)
    return item


@manage_bp.route("/")
def manage(space):
    _guard(space)
    items = service.items_for_animators(space)
    forms = {i.id: ItemForm(prefix=f"i{i.id}", introduction=i.introduction, position=n)
             for n, i in enumerate([i for i in items if i.state == "shown"], start=1)}
    return render_template("showcase/manage.html", space=space, items=items, forms=forms,
                           action=ActionForm())


@manage_bp.route("/pick", methods=["GET", "POST"])
def pick(space):
    _guard(space)
    form = PickForm()
    error = None
    if form.validate_on_submit():
        try:
            item = service.pick(space, current_user, form.resource.data, form.introduction.data)
        except ShowcaseError as exc:
            error = exc.message
        else:
            flash(placette._("“%(title)s” is now in the public window.", title=item.title),
                  "success")
            return redirect(url_for("showcase.manage"))
    elif form.is_submitted():
        error = placette._("The form could not be read: try again.")
    shown = {i.resource_key for i in service.items_for_animators(space) if i.state == "shown"}
    offers = [o for o in placette.showcase_offers(space, current_user)
              if service.resource_key(o.resource) not in shown]
    status = 422 if error else 200
    return render_template("showcase/pick.html", space=space, offers=offers, error=error,
                           form=form, key=service.resource_key), status


@manage_bp.route("/items/<int:item_id>", methods=["POST"])
def edit(space, item_id):
    _guard(space)
    item = _item_or_404(space, item_id)
    form = ItemForm(prefix=f"i{item.id}")
    if not form.validate_on_submit():
        flash(placette._("Not saved: %(why)s", why="; ".join(
            e for errors in form.errors.values() for e in errors)), "error")
        return redirect(url_for("showcase.manage"))
    try:
        service.update(item, current_user, form.introduction.data, form.position.data)
    except ShowcaseError as exc:
        flash(exc.message, "error")
    else:
        flash(placette._("Saved."), "success")
    return redirect(url_for("showcase.manage"))


@manage_bp.route("/items/<int:item_id>/republish", methods=["POST"])
def republish(space, item_id):
    _guard(space)
    item = _item_or_404(space, item_id)
    if ActionForm().validate_on_submit():
        try:
            service.republish(item, current_user)
        except ShowcaseError as exc:
            flash(exc.message, "error")
        else:
            flash(placette._("Republished: the public window shows the original as it is now."),
                  "success")
    return redirect(url_for("showcase.manage"))


@manage_bp.route("/items/<int:item_id>/withdraw", methods=["POST"])
def withdraw(space, item_id):
    _guard(space)
    item = _item_or_404(space, item_id)
    if ActionForm().validate_on_submit():
        try:
            service.withdraw(item, current_user)
        except ShowcaseError as exc:
            flash(exc.message, "error")
        else:
            flash(placette._("Withdrawn from every page, feed, export and embed."), "success")
    return redirect(url_for("showcase.manage"))


@manage_bp.route("/stats")
def statistics(space):
    _guard(space)
    stats.flush()
    months, rows = stats.table(space)
    return render_template("showcase/stats.html", space=space, months=months, rows=rows)
