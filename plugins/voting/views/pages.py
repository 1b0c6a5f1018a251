"""The voting pages: polls, a poll with its ballot form, results, receipt check, proposals.

Plain HTML forms (radio buttons, checkboxes, selects): voting works without JavaScript and with
the keyboard.  A refused ballot shows its message above the form, which keeps what was chosen.
"""
from __future__ import annotations

import csv
import io

import placette
from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm

from .. import charts, grades, service
from . import bp


class CsrfForm(FlaskForm):
    """Only the CSRF token: ballot fields depend on the poll, read from ``request.form``."""


def _viewable(space) -> None:
    if not placette.can(current_user, "voting.view", space):
        abort(404)


def _poll_or_404(space, poll_id: int):
    _viewable(space)
    poll = service.poll_in(space, poll_id)
    if poll is None:
        abort(404)
    return service.freeze_if_open(poll)


def ballot_from_form(poll, options, form) -> dict:
    """The API's ballot body from the form's fields (the service checks it the same way)."""
    kind = poll.kind
    if kind == "yes_no":
        return {"choice": form.get("choice") or None}
    if kind == "single":
        return {"choice": placette.parse_id(form.get("choice", "")) or None} \
            if form.get("choice") else {}
    if kind in ("multiple", "approval"):
        return {"choices": [placette.parse_id(v) for v in form.getlist("choices")]}
    if kind == "ranking":
        places = {}
        for option in options:
            raw = form.get(f"rank-{option.id}", "")
            if not raw.isdigit():
                raise service.VotingError(422, "incomplete_ranking", placette._(
                    "Give a place to every option."), "ballot")
            places.setdefault(int(raw), []).append(option.id)
        if any(len(ids) > 1 for ids in places.values()):
            raise service.VotingError(422, "duplicate_in_ranking", placette._(
                "Two options have the same place: give each a different place."), "ballot")
        return {"ranking": [places[k][0] for k in sorted(places)]}
    found = {}
    for option in options:
        raw = form.get(f"grade-{option.id}", "")
        if raw.isdigit():
            found[str(option.id)] = int(raw)
    return {"grades": found}


@bp.route("/")
def index(space):
    _viewable(space)
    now = placette.utcnow()
    page = placette.page_number(request.args.get("page"))
    rows, total = service.poll_rows(space, page)
    if page > 1 and not rows:  # past the last page
        abort(404)
    # Labels translated once for the list, not once per row.
    return render_template("voting/index.html", space=space,
                           polls=[(p, service.state(p, now)) for p in rows],
                           page=page, total=total, per_page=service.POLLS_PER_PAGE,
                           state_labels={k: str(v) for k, v in grades.STATE_LABELS.items()},
                           kind_labels={k: str(v) for k, v in grades.KIND_LABELS.items()},
                           may_manage=placette.can(current_user, "voting.poll.manage", space))


@bp.route("/polls/<int:poll_id>", methods=["GET", "POST"])
def poll(space, poll_id):
    poll = _poll_or_404(space, poll_id)
    options = service.options_of(poll)
    form = CsrfForm()
    error = None
    chosen: dict = {}
    if request.method == "POST":
        if not current_user.is_authenticated:
            return redirect(placette.sign_in_url())
        if form.validate_on_submit():
            try:
                body = ballot_from_form(poll, options, request.form)
                if request.form.get("receipt"):
                    body["receipt"] = request.form["receipt"]
                done = service.cast(poll, current_user, body)
            except service.VotingError as exc:
                error = exc.message
                chosen = request.form.to_dict(flat=False)
            else:
                flash(placette._("Your ballot is recorded. Your receipt code: %(code)s -- keep "
                                 "it to check your ballot in the published list.",
                                 code=done["receipt"]), "success")
                return redirect(url_for("voting.poll", poll_id=poll.id))
        else:
            error = placette._("The form expired: please vote again.")
    state = service.state(poll)
    voted = service.has_voted(poll, current_user)
    eligible = service.is_eligible(poll, current_user)
    return render_template(
        "voting/poll.html", space=space, poll=poll, options=options, form=form, error=error,
        chosen=chosen, state=state, voted=voted, eligible=eligible,
        may_vote=state == "open" and eligible and (poll.changeable or not voted),
        scale=[str(g) for g in grades.scale_of(poll)], option_label=grades.option_label,
        kind_label=grades.KIND_LABELS[poll.kind], state_label=grades.STATE_LABELS[state],
        turnout=service.turnout(poll), results_visible=service.results_visible(poll),
        may_manage=placette.can(current_user, "voting.poll.manage", space),
        ), 422 if error else 200


@bp.route("/polls/<int:poll_id>/close", methods=["POST"])
def close(space, poll_id):
    poll = _poll_or_404(space, poll_id)
    placette.require(current_user, "voting.poll.manage", space)
    form = CsrfForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        service.close(poll, current_user)
    except service.VotingError as exc:
        flash(exc.message, "error")
    else:
        flash(placette._("The vote is closed; the results are published."), "success")
    return redirect(url_for("voting.results", poll_id=poll.id))


def _results_or_hidden(space, poll_id):
    poll = _poll_or_404(space, poll_id)
    if not service.results_visible(poll):
        return poll, None
    options = service.options_of(poll)
    return poll, service.compute_results(poll, options)


@bp.route("/polls/<int:poll_id>/results")
def results(space, poll_id):
    poll, found = _results_or_hidden(space, poll_id)
    options = {o.id: o for o in service.options_of(poll)}
    scale = [str(g) for g in grades.scale_of(poll)]
    label = {oid: grades.option_label(o) for oid, o in options.items()}
    chart = charts.results_svg(poll, found, label, scale) if found else None
    return render_template("voting/results.html", space=space, poll=poll, results=found,
                           label=label, scale=scale, chart=chart,
                           turnout=service.turnout(poll),
                           closed=service.state(poll) == "closed",
                           state_label=grades.STATE_LABELS[service.state(poll)])


@bp.route("/polls/<int:poll_id>/results.csv")
def results_csv(space, poll_id):
    poll, found = _results_or_hidden(space, poll_id)
    if found is None:
        abort(403)
    options = {o.id: o for o in service.options_of(poll)}
    scale = [str(g) for g in grades.scale_of(poll)]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["rank", "option", "count", *scale])
    for row in found["options"]:
        writer.writerow([row["rank"], grades.option_label(options[row["id"]]),
                         row.get("count", ""), *(row.get("grades") or [])])
    return Response(out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition":
                             f"attachment; filename=poll-{poll.id}-results.csv"})


@bp.route("/polls/<int:poll_id>/receipt")
def receipt(space, poll_id):
    poll = _poll_or_404(space, poll_id)
    code = request.args.get("code", "")
    visible = service.state(poll) == "closed"  # codes stay secret while ballots can change
    found = service.find_receipt(poll, code) if (code and visible) else None
    options = {o.id: grades.option_label(o) for o in service.options_of(poll)}
    return render_template("voting/receipt.html", space=space, poll=poll, code=code,
                           visible=visible, found=found, label=options,
                           scale=[str(g) for g in grades.scale_of(poll)])


@bp.route("/proposals", methods=["GET", "POST"])
def proposals(space):
    _viewable(space)
    form = CsrfForm()
    error = None
    may_propose = placette.can(current_user, "voting.proposal.create", space)
    if request.method == "POST":
        placette.require(current_user, "voting.proposal.create", space)
        if form.validate_on_submit():
            try:
                service.propose(space, current_user, request.form.get("title", "")[:200],
                                request.form.get("body", "")[:20000])
            except service.VotingError as exc:
                error = exc.message
            else:
                flash(placette._("Your proposal is published."), "success")
                return redirect(url_for("voting.proposals"))
    return render_template(
        "voting/proposals.html", space=space, proposals=service.proposals_of(space), form=form,
        error=error, may_propose=may_propose, status_labels=grades.STATUS_LABELS,
        threshold=placette.settings_of(space, "voting").support_threshold,
        may_support=placette.can(current_user, "voting.proposal.support", space),
        may_answer=placette.can(current_user, "voting.proposal.answer", space),
        values=request.form), 422 if error else 200


@bp.route("/proposals/<int:proposal_id>/support", methods=["POST"])
def support(space, proposal_id):
    _viewable(space)
    proposal = service.proposal_in(space, proposal_id)
    if proposal is None:
        abort(404)
    placette.require(current_user, "voting.proposal.support", space)
    if not CsrfForm().validate_on_submit():
        abort(400)
    try:
        service.support(proposal, current_user)
    except service.VotingError as exc:
        flash(exc.message, "error")
    else:
        flash(placette._("Your support is counted."), "success")
    return redirect(url_for("voting.proposals") + f"#proposal-{proposal.id}")
