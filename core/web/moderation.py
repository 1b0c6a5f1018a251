"""Moderation pages: reporting a resource, the queue (per space and city-wide), a case's review
page with the decisions, and the space's moderation settings.

Whoever may not see a resource, or may not moderate a space, gets a 404 -- never a hint that it
exists.  Decisions are plain POST forms (CSRF-protected) and work without JavaScript.
"""
from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ..articles import in_text
from ..i18n import _
from ..api.ids import page_number
from ..kernel import registry
from ..models import ModerationCase, Resource, Space
from ..moderation import queue as moderation_queue
from ..moderation.limits import report_allowed
from ..moderation.service import (ModerationError, decide, moderates, parse_key, report,
                                  visible_resource)
from ..permissions import can
from ..space_settings import ModerationSettings, set_space_settings, space_settings
from . import settings_form
from .forms import ConfirmForm, HideForm, ReportForm
from .auth import safe_next
from .guards import readable_space_or_404

bp = Blueprint("moderation", __name__)


def _page() -> int:
    return page_number(request.args.get("page"))


# -- reporting ---------------------------------------------------------------------------------

@bp.route("/report", methods=["GET", "POST"])
@login_required
def report_form():
    key = (request.values.get("resource") or "")[:200]
    try:
        resource = visible_resource(current_user, *parse_key(key))
    except ModerationError:
        abort(404)
    if resource.author_id == current_user.id:
        flash(_("This is your own contribution: you cannot report it."), "error")
        return redirect(resource.url)
    form = ReportForm()
    status = 200
    if form.validate_on_submit():
        if not report_allowed(current_user):
            form.reason.errors = list(form.reason.errors) + [
                _("You have sent many reports in a short time. Please wait a little and send "
                  "this one again: what you wrote is kept below.")]
            status = 429
        else:
            try:
                report(current_user, resource, form.reason.data or "", form.category.data)
            except ModerationError as exc:
                if exc.status == 404:
                    abort(404)
                form.reason.errors = list(form.reason.errors) + [_(exc.message)]
                status = 422
            else:
                flash(_("Thank you. The animators of %(space)s will look at it.",
                        space=in_text(resource.space)), "success")
                return redirect(resource.url)
    elif request.method == "POST":
        status = 422
    return render_template("moderation/report.html", form=form, resource=resource, key=key,
                           space=resource.space), status


# -- the queue ---------------------------------------------------------------------------------

def _show() -> str:
    return "hidden" if request.args.get("show") == "hidden" else "open"


@bp.route("/moderation")
@login_required
def city_queue():
    space_ids = moderation_queue.scope_for(current_user, None)
    if space_ids is not None and not space_ids:
        abort(404)
    return _render_queue(None, space_ids)


@bp.route("/s/<slug>/moderation")
@login_required
def space_queue(slug):
    space = readable_space_or_404(slug)
    if not moderates(current_user, space):
        abort(404)
    g.space = space
    return _render_queue(space, [space.id])


def _render_queue(space: Space | None, space_ids):
    show, page = _show(), _page()
    items, total = moderation_queue.page_of(space_ids, show, page)
    other = "hidden" if show == "open" else "open"
    counts = {show: total, other: moderation_queue.count(space_ids, other)}
    return render_template("moderation/queue.html", space=space, items=items, total=total,
                           page=page, per_page=moderation_queue.PER_PAGE, show=show,
                           counts=counts, confirm=ConfirmForm())


# -- one case ----------------------------------------------------------------------------------

def _case_or_404(case_id: int) -> tuple[ModerationCase, Resource]:
    case = ModerationCase.get_or_none(ModerationCase.id == case_id)
    if case is None:
        abort(404)
    resource = (Resource.select(Resource, Space).join(Space)
                .where(Resource.id == case.resource_id).first())
    if resource is None or not moderates(current_user, resource.space):
        abort(404)
    return case, resource


@bp.route("/moderation/cases/<int:case_id>", methods=["GET", "POST"])
@login_required
def case(case_id):
    case, resource = _case_or_404(case_id)
    g.space = resource.space
    hide_form = HideForm(prefix="hide")
    status = 200
    if request.method == "POST":
        decision = request.form.get("decision", "")
        if decision == "hide" and not hide_form.validate_on_submit():
            status = 422
        elif decision != "hide" and not ConfirmForm().validate_on_submit():
            abort(400)
        else:
            try:
                decide(current_user, case, decision,
                       hide_form.reason.data if decision == "hide" else "")
            except ModerationError as exc:
                if exc.status == 404:
                    abort(404)
                flash(_(exc.message), "error")
                status = exc.status
            else:
                flash({"approve": _("Approved: it stays visible to everyone."),
                       "hide": _("Hidden. The author can read your reason."),
                       "restore": _("Restored: everyone can see it again.")}[decision],
                      "success")
                if request.form.get("next"):
                    return redirect(safe_next(request.form["next"]))
                return redirect(url_for("moderation.space_queue", slug=resource.space.slug))
    item = moderation_queue.QueueItem(case, resource, resource.space,
                                      resource.author if resource.author_id else None, "")
    kind = registry().resource_kinds.get(f"{resource.plugin}.{resource.kind}")
    item.kind_label = str(kind.label) if kind else resource.kind
    moderation_queue.attach_reports([item], open_only=False)
    return render_template("moderation/case.html", item=item, space=resource.space,
                           hide_form=hide_form, confirm=ConfirmForm()), status


# -- settings ----------------------------------------------------------------------------------

@bp.route("/s/<slug>/moderation/settings", methods=["GET", "POST"])
@login_required
def settings(slug):
    space = readable_space_or_404(slug)
    if not can(current_user, "space.moderation.configure", space):
        abort(404)
    g.space = space
    form_class = settings_form.form_class(ModerationSettings)
    current = space_settings(space)
    form = form_class(data=settings_form.initial_data(ModerationSettings, current)) \
        if request.method == "GET" else form_class()
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            values, ok = settings_form.collect(ModerationSettings, form)
            if ok:
                set_space_settings(space, values, actor=current_user)
                flash(_("Moderation settings saved."), "success")
                return redirect(url_for("moderation.settings", slug=space.slug))
        status = 422
    return render_template("moderation/settings.html", space=space, form=form,
                           fields=list(ModerationSettings.model_fields)), status
