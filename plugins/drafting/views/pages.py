"""The drafting pages: drafts of a space, a draft with its margin, the edit form and its
conflict page, versions and diffs, exports.

Plain HTML forms: everything works without JavaScript (a comment goes on a paragraph, with an
optional quote typed or pasted); ``drafting.js`` only lets a reader select a passage to quote.
A refused form shows its message and keeps what was typed.
"""
from __future__ import annotations

from typing import NamedTuple

import placette
from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm

from .. import exports, service
from ..api import ODT
from . import bp

_ = placette._


class CsrfForm(FlaskForm):
    """Only the CSRF token: the fields are read from ``request.form``."""


def _draft_or_404(space, draft_id: int):
    if not placette.can(current_user, "drafting.view", space):
        abort(404)
    try:
        return service.draft_in(space, draft_id, current_user)
    except service.DraftingError:
        abort(404)


def _checked_post() -> None:
    if not current_user.is_authenticated:
        abort(redirect(placette.sign_in_url()))
    if not CsrfForm().validate_on_submit():
        abort(400)


def _int(value) -> int | None:
    return placette.parse_id(value) if isinstance(value, str) and value.strip() else None


def state_label(state: str) -> str:
    return {"writing": _("Being written"), "consultation": _("In consultation"),
            "adopted": _("Adopted"), "published": _("Published")}.get(state, state)


def anchor_labels():
    """``label(anchor_state)``, the four labels translated once per page (a margin labels
    every comment it shows)."""
    labels = {"anchored": _("Anchored"), "moved": _("Moved"), "changed": _("Text changed"),
              "outdated": _("Outdated")}
    return lambda state: labels.get(state, state)


class Numbered(NamedTuple):
    paragraph: str
    margin: str
    agreement: str
    short: str


def numbered_labels(count: int) -> list[Numbered]:
    """Each paragraph's numbered labels (headings and forms for screen readers): each sentence
    translated once per page, then numbered -- not four translations per paragraph."""
    forms = (_("Paragraph %(n)s"), _("Margin of paragraph %(n)s"),
             _("Your agreement with paragraph %(n)s"), _("paragraph %(n)s"))
    return [Numbered(*(form % {"n": n} for form in forms)) for n in range(1, count + 1)]


def agreement_labels() -> list[str]:
    return [_("Strongly disagree"), _("Disagree"), _("Neither agree nor disagree"), _("Agree"),
            _("Strongly agree")]


@bp.route("/", methods=["GET", "POST"])
def index(space):
    if not placette.can(current_user, "drafting.view", space):
        abort(404)
    may_create = placette.can(current_user, "drafting.draft.create", space)
    error, values = None, {}
    if request.method == "POST":
        _checked_post()
        values = request.form
        try:
            draft = service.create_draft(space, current_user, request.form.get("title", ""),
                                         request.form.get("body", ""))
        except service.DraftingError as exc:
            if exc.status in (401, 403):
                abort(403)
            error = exc.message
        else:
            flash(_("The draft is started. Only the drafting group sees it until it opens for "
                    "consultation."), "success")
            return redirect(url_for("drafting.draft", draft_id=draft.id))
    return render_template("drafting/index.html", space=space,
                           drafts=service.drafts_of(space, current_user), may_create=may_create,
                           state_label=state_label, error=error, values=values,
                           form=CsrfForm()), 422 if error else 200


def _margin(draft, actor):
    """Everything the draft page shows beside the text, in a fixed number of queries."""
    comments = service.comments_of(draft, actor)
    replies: dict[int, list] = {}
    by_paragraph: dict[str, list] = {}
    outdated = []
    for c in comments:
        if c.parent_id is not None:
            replies.setdefault(c.parent_id, []).append(c)
        elif c.anchor_state == "outdated":
            outdated.append(c)
        else:
            by_paragraph.setdefault(c.at_paragraph, []).append(c)
    amendments: dict[str, list] = {}
    for a in service.amendments_of(draft):
        amendments.setdefault(a.paragraph, []).append(a)
    return by_paragraph, replies, outdated, amendments


@bp.route("/<int:draft_id>")
def draft(space, draft_id):
    draft = _draft_or_404(space, draft_id)
    version = service.version_of(draft)
    margin = service.margin_of(draft, current_user)
    amendments: dict[str, list] = {}
    for a in service.amendments_of(draft):
        amendments.setdefault(a.paragraph, []).append(a)
    may = {action: placette.can(current_user, f"drafting.{action}", space) for action in (
        "draft.edit", "comment", "comment.resolve", "rate", "amend", "amendment.decide",
        "state.consultation", "state.adopted", "state.published")}
    consultation = draft.state == "consultation"
    ratings_on = placette.settings_of(space, "drafting").ratings
    next_state = service.NEXT_STATE.get(draft.state)
    paragraphs = service.paragraphs(version)
    current_ids = {p.id for p in paragraphs}
    frozen = draft.state not in service.OPEN_STATES
    # The adopted text's record lists every amendment with its fate; before that, the margin
    # shows them, and here go only those whose paragraph is no longer in the text.
    record = [a for pid, found in amendments.items() for a in found
              if frozen or pid not in current_ids]
    record.sort(key=lambda a: a.id)
    return render_template(
        "drafting/draft.html", space=space, draft=draft, version=version,
        paragraphs=paragraphs, numbered=numbered_labels(len(paragraphs)),
        by_paragraph=margin.shown, counts=margin.counts, replies=margin.replies,
        reply_counts=margin.reply_counts, outdated=margin.outdated, amendments=amendments,
        distributions=service.distributions(draft) if ratings_on else {},
        mine=service.my_ratings(draft, current_user) if ratings_on else {},
        may=may, consultation=consultation, ratings_on=ratings_on, form=CsrfForm(),
        state_label=state_label, anchor_label=anchor_labels(), agreement=agreement_labels(),
        next_state=next_state, record=record, frozen=frozen,
        may_next=bool(next_state and may.get(f"state.{next_state}")),
        open_text=draft.state in service.OPEN_STATES)


@bp.route("/<int:draft_id>/paragraphs/<pid>")
def paragraph(space, draft_id, pid):
    """One paragraph with its margin and the forms to comment (on a quoted passage, typed or
    pasted) and to propose an amendment: the no-JavaScript way to comment."""
    draft = _draft_or_404(space, draft_id)
    version = service.version_of(draft)
    found = [p for p in service.paragraphs(version) if p.id == pid]
    if not found:
        abort(404)
    by_paragraph, replies, _outdated, amendments = _margin(draft, current_user)
    return render_template(
        "drafting/paragraph.html", space=space, draft=draft, paragraph=found[0],
        number=[p.id for p in service.paragraphs(version)].index(pid) + 1,
        comments=by_paragraph.get(pid, []), replies=replies,
        amendments=amendments.get(pid, []), form=CsrfForm(), anchor_label=anchor_labels(),
        consultation=draft.state == "consultation",
        may_comment=placette.can(current_user, "drafting.comment", space),
        may_amend=placette.can(current_user, "drafting.amend", space),
        may_resolve=placette.can(current_user, "drafting.comment.resolve", space),
        quote=request.args.get("quote", "")[:2000])


@bp.route("/<int:draft_id>/edit", methods=["GET", "POST"])
def edit(space, draft_id):
    draft = _draft_or_404(space, draft_id)
    if not service.may_write(current_user, space):
        abort(404 if not current_user.is_authenticated else 403)
    if draft.state not in service.OPEN_STATES:
        flash(_("An adopted opinion can no longer change."), "error")
        return redirect(url_for("drafting.draft", draft_id=draft.id))
    version = service.version_of(draft)
    body, base, note, error, conflicts = version.body, version.number, "", None, None
    if request.method == "POST":
        _checked_post()
        body = request.form.get("body", "")
        note = request.form.get("note", "")
        base = _int(request.form.get("base_version"))
        try:
            _v, merged = service.save(draft, current_user, body, base, note)
        except service.DraftingError as exc:
            if exc.code == "conflict":
                conflicts = exc.details
                head = service.version_of(draft)
                # The form now starts from the newest version and holds the author's text, so
                # a second save merges the others' changes in; nothing typed is lost.
                base = head.number
                return render_template(
                    "drafting/conflict.html", space=space, draft=draft, conflicts=conflicts,
                    body=body, base=base, note=note, form=CsrfForm()), 409
            error = exc.message
        else:
            flash(_("Saved as version %(n)s, merged with the changes saved meanwhile.",
                    n=draft.version) if merged else
                  _("Saved as version %(n)s.", n=draft.version), "success")
            return redirect(url_for("drafting.draft", draft_id=draft.id))
    return render_template("drafting/edit.html", space=space, draft=draft, body=body,
                           base=base, note=note, error=error, form=CsrfForm()), \
        422 if error else 200


@bp.route("/<int:draft_id>/versions")
def versions(space, draft_id):
    draft = _draft_or_404(space, draft_id)
    return render_template("drafting/versions.html", space=space, draft=draft,
                           versions=service.versions_of(draft), form=CsrfForm(),
                           may_restore=service.may_write(current_user, space)
                           and draft.state in service.OPEN_STATES)


@bp.route("/<int:draft_id>/diff")
def diff(space, draft_id):
    draft = _draft_or_404(space, draft_id)
    new = _int(request.args.get("to", "")) or draft.version
    old = _int(request.args.get("from", "")) or max(1, new - 1)
    try:
        found = service.diff(draft, old, new)
    except service.DraftingError:
        abort(404)
    return render_template("drafting/diff.html", space=space, draft=draft, old=old, new=new,
                           paragraphs=found)


@bp.route("/<int:draft_id>/versions/<int:number>/restore", methods=["POST"])
def restore(space, draft_id, number):
    draft = _draft_or_404(space, draft_id)
    _checked_post()
    try:
        version = service.restore(draft, current_user, number)
    except service.DraftingError as exc:
        flash(exc.message, "error")
    else:
        flash(_("Version %(old)s is restored as version %(n)s.", old=number,
                n=version.number), "success")
    return redirect(url_for("drafting.versions", draft_id=draft.id))


@bp.route("/<int:draft_id>/state", methods=["POST"])
def state(space, draft_id):
    draft = _draft_or_404(space, draft_id)
    _checked_post()
    try:
        service.change_state(draft, current_user, request.form.get("state"),
                             request.form.get("decision", ""))
    except service.DraftingError as exc:
        flash(exc.message, "error")
    else:
        flash(_("The draft is now: %(state)s.", state=state_label(draft.state)), "success")
    return redirect(url_for("drafting.draft", draft_id=draft.id))


@bp.route("/<int:draft_id>/comments", methods=["POST"])
def comment(space, draft_id):
    draft = _draft_or_404(space, draft_id)
    _checked_post()
    pid = request.form.get("paragraph") or None
    try:
        row = service.comment(draft, current_user, pid, request.form.get("body", ""),
                              request.form.get("quote") or None,
                              _int(request.form.get("parent", "")),
                              near=_int(request.form.get("near", "")))
    except service.DraftingError as exc:
        flash(exc.message, "error")
        return redirect(url_for("drafting.draft", draft_id=draft.id)
                        + (f"#paragraph-{pid}" if pid else ""))
    own = placette.lookup_resource("drafting", "comment", row.id)
    if own is not None and own.state == "pending":
        flash(_("Your comment awaits an animator's review before others see it."), "success")
    else:
        flash(_("Your comment is published."), "success")
    return redirect(url_for("drafting.draft", draft_id=draft.id) + f"#comment-{row.id}")


@bp.route("/<int:draft_id>/comments/<int:comment_id>/resolve", methods=["POST"])
def resolve(space, draft_id, comment_id):
    draft = _draft_or_404(space, draft_id)
    _checked_post()
    try:
        service.resolve(draft, current_user, comment_id, request.form.get("resolved") != "0")
    except service.DraftingError as exc:
        flash(exc.message, "error")
    return redirect(url_for("drafting.draft", draft_id=draft.id) + f"#comment-{comment_id}")


@bp.route("/<int:draft_id>/paragraphs/<pid>/rating", methods=["POST"])
def rate(space, draft_id, pid):
    draft = _draft_or_404(space, draft_id)
    _checked_post()
    try:
        service.rate(draft, current_user, pid, _int(request.form.get("agreement", "")))
    except service.DraftingError as exc:
        if exc.status == 404:
            abort(404)
        flash(exc.message, "error")
    else:
        flash(_("Your rating is recorded."), "success")
    return redirect(url_for("drafting.draft", draft_id=draft.id) + f"#paragraph-{pid}")


@bp.route("/<int:draft_id>/amendments", methods=["POST"])
def amend(space, draft_id):
    draft = _draft_or_404(space, draft_id)
    _checked_post()
    pid = request.form.get("paragraph", "")
    try:
        service.amend(draft, current_user, pid, request.form.get("text", ""),
                      request.form.get("reason", ""))
    except service.DraftingError as exc:
        flash(exc.message, "error")
    else:
        flash(_("Your amendment is proposed to the drafting group."), "success")
    return redirect(url_for("drafting.draft", draft_id=draft.id) + f"#paragraph-{pid}")


@bp.route("/<int:draft_id>/amendments/<int:amendment_id>/decision", methods=["POST"])
def decide(space, draft_id, amendment_id):
    draft = _draft_or_404(space, draft_id)
    _checked_post()
    try:
        service.decide(draft, current_user, amendment_id, request.form.get("accept") == "1",
                       request.form.get("reason", ""))
    except service.DraftingError as exc:
        flash(exc.message, "error")
    else:
        flash(_("The amendment is decided."), "success")
    return redirect(url_for("drafting.draft", draft_id=draft.id) + f"#amendment-{amendment_id}")


@bp.route("/<int:draft_id>/export.<any(odt, pdf):kind>")
def export(space, draft_id, kind):
    draft = _draft_or_404(space, draft_id)
    try:
        data, name = exports.export(space, draft, _int(request.args.get("version", "")), kind)
    except service.DraftingError:
        abort(404)
    return Response(data, mimetype=ODT if kind == "odt" else "application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{name}"',
                             "Cache-Control": "private, no-store"})
