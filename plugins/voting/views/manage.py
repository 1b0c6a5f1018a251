"""The animators' pages: open a poll (options typed, or taken from proposals), answer a
proposal.  The same service as the API validates; its message lands on the field concerned."""
from __future__ import annotations

import placette
from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import (BooleanField, DateTimeLocalField, SelectField, SelectMultipleField,
                     StringField, TextAreaField)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from .. import grades, service
from . import bp

_l = placette.lazy_gettext


class CheckboxesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class PollForm(FlaskForm):
    title = StringField(_l("Question"), validators=[DataRequired(), Length(max=200),
                                                    placette.OneLine()])
    description = TextAreaField(_l("Explanation (optional)"),
                                validators=[Optional(), Length(max=20000)])
    kind = SelectField(_l("Kind of question"), choices=[])
    scale = SelectField(_l("Rating scale"), choices=[
        SelectChoice("agreement", _l("Agreement (5 levels)")),
        SelectChoice("importance", _l("Importance (4 levels)"))],
        description=_l("Only for rating scales."))
    options_text = TextAreaField(_l("Options, one per line"),
                                 validators=[Optional(), Length(max=15000)],
                                 description=_l("None for a yes/no question."))
    proposal_ids = CheckboxesField(_l("Proposals to add as options"), choices=[], coerce=int)
    closes_at = DateTimeLocalField(_l("Closes at (optional)"), format="%Y-%m-%dT%H:%M",
                                   validators=[Optional()])
    secret = BooleanField(_l("Secret ballot"), default=True)
    changeable = BooleanField(_l("Voters may change their ballot until the close"))
    results = SelectField(_l("Results"), choices=[
        SelectChoice("after_close", _l("Published when the vote closes")),
        SelectChoice("live", _l("Shown live"))])
    eligible = CheckboxesField(_l("Who votes"), coerce=str, choices=[
        SelectChoice("guest", _l("Guests")), SelectChoice("member", _l("Members")),
        SelectChoice("animator", _l("Animators")), SelectChoice("admin", _l("Administrators"))],
        default=["member", "animator", "admin"])


class AnswerForm(FlaskForm):
    status = SelectField(_l("Answer"), choices=[
        SelectChoice("accepted", _l("Accepted")), SelectChoice("studied", _l("Under study")),
        SelectChoice("rejected", _l("Rejected"))])
    reason = TextAreaField(_l("Reason, shown publicly"),
                           validators=[DataRequired(), Length(max=5000)])


@bp.route("/polls/new", methods=["GET", "POST"])
def new_poll(space):
    if not placette.can(current_user, "voting.view", space):
        abort(404)
    placette.require(current_user, "voting.poll.manage", space)
    form = PollForm()
    form.kind.choices = [SelectChoice(k, str(v)) for k, v in grades.KIND_LABELS.items()]
    form.proposal_ids.choices = [SelectChoice(p.id, p.title) for p in service.proposals_of(space)
                                 if p.status in ("open", "accepted", "studied")]
    if form.validate_on_submit():
        data = {"title": form.title.data, "description": form.description.data or "",
                "kind": form.kind.data, "scale": form.scale.data,
                "options": [line.strip() for line in (form.options_text.data or "").splitlines()
                            if line.strip()],
                "proposal_ids": form.proposal_ids.data or [],
                "closes_at": form.closes_at.data, "secret": form.secret.data,
                "changeable": form.changeable.data, "results": form.results.data,
                "eligible": form.eligible.data}
        try:
            poll = service.create_poll(space, current_user, data)
        except service.VotingError as exc:
            target = {"options": form.options_text, "proposal_ids": form.options_text,
                      "closes_at": form.closes_at, "eligible": form.eligible,
                      "title": form.title, "scale": form.scale}.get(exc.field, form.kind)
            target.errors = list(target.errors) + [exc.message]
        else:
            flash(placette._("The vote is open."), "success")
            return redirect(url_for("voting.poll", poll_id=poll.id))
    status = 422 if form.errors or any(f.errors for f in form) else 200
    return render_template("voting/new_poll.html", space=space, form=form), status


@bp.route("/proposals/<int:proposal_id>/answer", methods=["GET", "POST"])
def answer(space, proposal_id):
    if not placette.can(current_user, "voting.view", space):
        abort(404)
    proposal = service.proposal_in(space, proposal_id)
    if proposal is None:
        abort(404)
    placette.require(current_user, "voting.proposal.answer", space)
    form = AnswerForm()
    if form.validate_on_submit():
        try:
            service.answer(proposal, current_user, form.status.data, form.reason.data)
        except service.VotingError as exc:
            form.reason.errors = list(form.reason.errors) + [exc.message]
        else:
            flash(placette._("Your answer is published."), "success")
            return redirect(url_for("voting.proposals") + f"#proposal-{proposal.id}")
    return render_template("voting/answer.html", space=space, form=form, proposal=proposal,
                           supports=service.support_count(proposal)), 422 if form.errors else 200
