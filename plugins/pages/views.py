"""The pages, under ``/s/<space>/pages/``: the list, one page, write, change and delete a page.

``placette.space_blueprint("pages")`` already answers 404 where the space may not be read or the
module is off, and passes ``space`` to every view.  A page narrower than what the visitor may
read, or hidden or pending in moderation (for anyone but its writer and the space's animators),
does not exist for them: 404 on each of its addresses.  Seen but not allowed (a member on the
edit form) is a 403 from ``placette.require``.
"""
from __future__ import annotations

import placette
from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from . import service
from .forms import ConfirmForm, PageForm

_ = placette._
_l = placette.lazy_gettext
bp = placette.space_blueprint("pages", __name__)

VISIBILITY_LABELS = {
    None: _l("Same as the space"),
    "public": _l("Public: anyone, even without an account"),
    "network": _l("Anyone signed in"),
    "members": _l("Members of the space"),
    "animators": _l("Animators only (a draft, for example)"),
}


def _page_or_404(space, page_slug: str):
    page, moderation = service.viewable(space, page_slug, current_user)
    if page is None:
        abort(404)
    return page, moderation


def _visibility_choices(space) -> list[SelectChoice]:
    return [SelectChoice("" if value is None else value, str(VISIBILITY_LABELS[value]))
            for value in service.visibility_values(current_user, space)]


def _typed(form: PageForm) -> dict:
    return {"title": form.title.data, "slug": (form.slug.data or "").strip(),
            "body": form.body.data or "", "position": form.position.data,
            "visibility": form.visibility.data or None}


def _show(form: PageForm, problems) -> None:
    """Each refusal next to its field (once: the form's own check may have said it already)."""
    for problem in problems:
        field = form[problem.field] if problem.field in form else form.title
        errors = list(field.errors)
        if problem.message not in errors:
            field.errors = errors + [problem.message]


def _save(form: PageForm, space, page=None):
    """Validate and save; ``(page, status)`` -- the saved page and 302, or ``None`` and 422."""
    valid = form.validate_on_submit()  # CSRF, a whole number, a title
    _values, problems = service.check(space, current_user, _typed(form), page)
    _show(form, problems)
    if not valid or problems:
        return None, 422
    try:
        if page is None:
            saved = service.create_page(space, current_user, _typed(form))
        else:
            saved = service.update_page(page, current_user, _typed(form),
                                        notify=bool(form.notify.data))
    except service.PageError as exc:  # e.g. the same address saved a moment ago
        _show(form, [exc])
        return None, 422
    return saved, 302


@bp.route("/")
def index(space):
    return render_template("pages/index.html", space=space,
                           pages=service.pages_of(space, current_user),
                           may_edit=placette.can(current_user, "pages.page.edit", space))


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new(space):
    placette.require(current_user, "pages.page.edit", space)
    form = PageForm()
    form.visibility.choices = _visibility_choices(space)
    status = 200
    if request.method == "POST":
        page, status = _save(form, space)
        if page is not None:
            flash(_("The page is published."), "success")
            return redirect(url_for("pages.view", page_slug=page.slug))
    return render_template("pages/form.html", space=space, form=form, page=None), status


@bp.route("/<page_slug>")
def view(space, page_slug):
    page, moderation = _page_or_404(space, page_slug)
    return render_template(
        "pages/page.html", space=space, page=page, moderation=moderation,
        resource=moderation.resource,
        may_edit=placette.can(current_user, "pages.page.edit", page),
        may_delete=placette.can(current_user, "pages.page.delete", page))


@bp.route("/<page_slug>/edit", methods=["GET", "POST"])
@login_required
def edit(space, page_slug):
    page, _moderation = _page_or_404(space, page_slug)
    placette.require(current_user, "pages.page.edit", page)
    form = PageForm()
    form.visibility.choices = _visibility_choices(space)
    status = 200
    if request.method == "GET":
        form.title.data, form.slug.data, form.body.data = page.title, page.slug, page.body
        form.position.data, form.visibility.data = page.position, page.visibility or ""
    else:
        saved, status = _save(form, space, page)
        if saved is not None:
            flash(_("The page is saved."), "success")
            return redirect(url_for("pages.view", page_slug=saved.slug))
    return render_template("pages/form.html", space=space, form=form, page=page), status


@bp.route("/<page_slug>/delete", methods=["GET", "POST"])
@login_required
def delete(space, page_slug):
    page, _moderation = _page_or_404(space, page_slug)
    placette.require(current_user, "pages.page.delete", page)
    form = ConfirmForm()
    if form.validate_on_submit():
        title = page.title
        service.delete_page(page, current_user)
        flash(_("The page %(title)s is deleted.", title=title), "success")
        return redirect(url_for("pages.index"))
    return render_template("pages/delete.html", space=space, page=page, form=form), \
        (400 if request.method == "POST" else 200)
