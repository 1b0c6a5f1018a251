"""The drafting pages: drafts of a space, a draft with its margin, the edit form and its
conflict page, versions and diffs, exports.

Plain HTML forms: everything works without JavaScript (a comment goes on a paragraph, with an
optional quote typed or pasted); ``drafting.js`` only lets a reader select a passage to quote.
A refused form shows its message and keeps what was typed.
"""
from __future__ import annotations

from typing import NamedTuple

import placette
from babel.numbers import get_decimal_symbol
from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm

from .. import exports, service
from ..api import ODT
from . import bp

_ = placette._
_escape = placette.Markup.escape


class CsrfForm(FlaskForm):
    """Only the CSRF token: the fields are read from ``request.form``."""


def _person():
    """The person behind ``current_user`` (the proxy resolved once: a page asks a dozen
    questions of it)."""
    return current_user._get_current_object()


def _draft_or_404(space, draft_id: int, person=None):
    """The draft, or a 404 for whoever may not see it (``draft_in`` checks ``drafting.view``)."""
    try:
        return service.draft_in(space, draft_id, person or _person())
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


def comment_labels() -> dict[str, str]:
    """The words of the comment macro (``_comment.html``), translated once per page rather
    than for each of its comments.  ``reply_to`` keeps its ``%(name)s``: the macro fills it in
    (autoescaped)."""
    return {"resolved": _("Resolved"), "removed": _("Comment removed"),
            "former": _("Former member"), "edited": _("edited"), "edit": _("Edit"),
            "your_comment": _("your comment"), "reply": _("Reply"),
            "reply_to": _("to the comment of %(name)s"), "your_reply": _("Your reply"),
            "send": _("Send"), "reopen": _("Reopen"), "resolve": _("Resolve")}


def paragraph_label() -> str:
    """``label % {"n": number}``: a paragraph's name (headings, screen readers' landmarks)."""
    return _("Paragraph %(n)s")


def agreement_labels() -> list[str]:
    return [_("Strongly disagree"), _("Disagree"), _("Neither agree nor disagree"), _("Agree"),
            _("Strongly agree")]


class Summary(NamedTuple):
    """What the draft page says of a paragraph beside its text (each an empty string when
    there is nothing to say)."""
    comments: str
    amendments: str
    rating: str
    mine: str


class Summaries:
    """Each paragraph's summary; a sentence is translated once per page for each number it
    shows (sixty paragraphs share a handful of counts)."""

    def __init__(self, agreement: list[str]):
        self.agreement = agreement
        self.memo: dict = {}
        self.decimal = get_decimal_symbol(placette.current_locale())

    def _comments(self, n: int) -> str:
        if not n:
            return _("No comment")
        return placette.ngettext("%(num)s comment", "%(num)s comments", n)

    def _amendments(self, total: int, still: int) -> str:
        return placette.ngettext("%(num)s amendment", "%(num)s amendments", total) + (
            _(", %(n)s awaiting a decision", n=still) if still else "")

    def _rating(self, count: int) -> str:
        """The sentence for ``count`` ratings, its average left to fill in (``%(avg)s``):
        translated once per number of ratings, not once per paragraph."""
        return placette.ngettext("Agreement %(avg)s out of 5 (%(num)s rating)",
                                 "Agreement %(avg)s out of 5 (%(num)s ratings)", count,
                                 avg="%(avg)s")

    def _mine(self, mine: int) -> str:
        return _("Your rating: %(label)s", label=self.agreement[mine - 1])

    def _say(self, make, *key) -> str:
        found = self.memo.get((make, *key))
        if found is None:
            found = self.memo[(make, *key)] = make(*key)
        return found

    def of(self, comments: int, amendments: dict | None, totals: tuple[int, int] | None,
           mine: int | None) -> Summary:
        """``totals``: the paragraph's number of ratings and the sum of their levels."""
        said_amendments = said_rating = said_mine = ""
        if amendments:
            said_amendments = self._say(self._amendments, sum(amendments.values()),
                                        amendments.get("open", 0))
        count, total = totals or (0, 0)
        if count:
            average = total / count
            said_rating = self._say(self._rating, count) % {
                "avg": f"{average:.1f}".replace(".", self.decimal)}
        if mine and 1 <= mine <= 5:
            said_mine = self._say(self._mine, mine)
        return Summary(self._say(self._comments, comments), said_amendments, said_rating,
                       said_mine)


def text_with_summaries(base: str, paragraphs, summaries: list[Summary]) -> placette.Markup:
    """The draft page's text: each paragraph's section (its text, then its margin: the summary
    and the link to its page).  Written here rather than in a Jinja loop: sixty paragraphs of a
    dozen escaped values each were a good part of the page's time; the markup is the same as a
    template would write, every value escaped.  The numbered labels are translated and escaped
    once, then numbered (a number needs no escaping); a summary's list is written once for
    each different summary (sixty paragraphs share a handful)."""
    named, margin, discuss = (str(_escape(form)) for form in (
        paragraph_label(), _("Margin of paragraph %(n)s"), _("Discuss paragraph %(n)s")))
    href = f"{_escape(base)}/paragraphs/"
    lists: dict[Summary, str] = {}
    parts = []
    for n, (p, said) in enumerate(zip(paragraphs, summaries), 1):
        number = {"n": n}
        pid = _escape(p.id)
        items = lists.get(said)
        if items is None:
            items = lists[said] = "".join(f"<li>{_escape(text)}</li>" for text in said if text)
        parts.append(
            f'<section class="drafting-paragraph" id="paragraph-{pid}" '
            f'aria-label="{named % number}">\n'
            f'<div class="drafting-body" data-paragraph="{pid}">'
            f'{placette.render_markdown(p.text)}</div>\n'
            f'<aside class="drafting-margin" aria-label="{margin % number}">\n'
            f'<ul class="drafting-summary">{items}</ul>\n'
            f'<p><a href="{href}{pid}">{discuss % number}</a></p>\n'
            f'</aside>\n</section>\n')
    return placette.Markup("".join(parts))


def _paragraph_url(draft_id: int, pid: str | None, page: int = 1, comment: int | None = None):
    """The page showing the comments of paragraph ``pid`` (None: the outdated comments)."""
    args = {"page": page} if page > 1 else {}
    url = (url_for("drafting.paragraph", draft_id=draft_id, pid=pid, **args) if pid is not None
           else url_for("drafting.outdated", draft_id=draft_id, **args))
    return url + (f"#comment-{comment}" if comment else "")


def _comment_url(draft, comment_id: int) -> str:
    """Where a comment is shown to the current person: its paragraph's page that holds it (or
    the outdated comments' one); the draft page when it is out of sight."""
    place = service.comment_place(draft, current_user, comment_id)
    if place is None:
        return url_for("drafting.draft", draft_id=draft.id)
    pid, page = place
    if pid is not None and pid not in {p.id for p in service.paragraphs(
            service.version_of(draft))}:
        return url_for("drafting.draft", draft_id=draft.id)
    return _paragraph_url(draft.id, pid, page, comment_id)


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


@bp.route("/<int:draft_id>")
def draft(space, draft_id):
    """The text, readable in one page, each paragraph with a summary of its margin (comments,
    amendments, agreement, the person's own rating) and a link to its own page, where they are
    read and written: a fixed number of queries, whatever the number of comments."""
    person = _person()
    draft = _draft_or_404(space, draft_id, person)
    version = service.version_of(draft)
    consultation = draft.state == "consultation"
    ratings_on = placette.settings_of(space, "drafting").ratings
    next_state = service.NEXT_STATE.get(draft.state)
    # Only the questions the page uses are asked (each ``can`` runs the plugins' votes).
    may = {action: placette.can(person, f"drafting.{action}", space) for action in (
        ("draft.edit", "comment") if consultation else ("draft.edit",))}
    may_act = consultation and (may["comment"] or placette.can(person, "drafting.amend", space)
                                or (ratings_on and placette.can(person, "drafting.rate", space)))
    if next_state:
        may[f"state.{next_state}"] = placette.can(person, f"drafting.state.{next_state}",
                                                  space)
    paragraphs = service.paragraphs(version)
    current_ids = {p.id for p in paragraphs}
    frozen = draft.state not in service.OPEN_STATES
    counts, outdated = service.comment_counts(draft, person)
    amendment_counts = service.amendment_counts(draft)
    # The adopted text's record lists every amendment with its fate; before that, each
    # paragraph's page shows them, and here go only those whose paragraph is no longer in the
    # text (read only when there are some).
    record = []
    if frozen or any(pid not in current_ids for pid in amendment_counts):
        record = [a for a in service.amendments_of(draft)
                  if frozen or a.paragraph not in current_ids]
    totals = service.agreement_totals(draft) if ratings_on else {}
    mine = service.my_ratings(draft, person) if ratings_on else {}
    summaries = Summaries(agreement_labels())
    base = url_for("drafting.draft", draft_id=draft.id)
    text = text_with_summaries(
        base, paragraphs,
        [summaries.of(counts.get(p.id, 0), amendment_counts.get(p.id), totals.get(p.id),
                      mine.get(p.id)) for p in paragraphs])
    return render_template(
        "drafting/draft.html", space=space, draft=draft, base=base, version=version, text=text,
        outdated=outdated, may=may, consultation=consultation, form=CsrfForm(),
        state_label=state_label, next_state=next_state, record=record, frozen=frozen,
        may_next=bool(next_state and may.get(f"state.{next_state}")),
        may_act=may_act,
        may_decide=bool(record) and placette.can(person, "drafting.amendment.decide", space),
        open_text=draft.state in service.OPEN_STATES)


@bp.route("/<int:draft_id>/paragraphs/<pid>")
def paragraph(space, draft_id, pid):
    """One paragraph with its margin: its comments (twenty a page, with their replies), its
    agreement and the person's rating form, its amendments (and the drafting group's decision
    forms), the forms to comment (on a quoted passage, typed or pasted) and to propose an
    amendment.  Everything works without JavaScript."""
    person = _person()
    draft = _draft_or_404(space, draft_id, person)
    version = service.version_of(draft)
    paragraphs = service.paragraphs(version)
    index = next((n for n, p in enumerate(paragraphs) if p.id == pid), None)
    if index is None:
        abort(404)
    thread = service.thread_page(draft, person, pid,
                                 placette.page_number(request.args.get("page")))
    consultation = draft.state == "consultation"
    ratings_on = placette.settings_of(space, "drafting").ratings
    amendments = service.amendments_on(draft, pid)
    open_text = draft.state in service.OPEN_STATES

    def may(action: str, needed: bool = True) -> bool:
        """Only the questions the page uses are asked (each runs the plugins' votes)."""
        return needed and placette.can(person, f"drafting.{action}", space)

    agreement = agreement_labels()
    dist, mine = service.paragraph_ratings(draft, pid, person) if ratings_on else ([0] * 5, None)
    summary = Summaries(agreement).of(
        thread.total, None, (sum(dist), sum(level * n for level, n in enumerate(dist, 1))), mine)
    return render_template(
        "drafting/paragraph.html", space=space, draft=draft, paragraph=paragraphs[index],
        number=index + 1, title=paragraph_label() % {"n": index + 1},
        agreement_legend=_("Your agreement with paragraph %(n)s", n=index + 1),
        previous=paragraphs[index - 1] if index else None,
        next=paragraphs[index + 1] if index + 1 < len(paragraphs) else None,
        count=len(paragraphs), thread=thread, amendments=amendments,
        form=CsrfForm(), anchor_label=anchor_labels(), words=comment_labels(),
        consultation=consultation,
        ratings_on=ratings_on, dist=dist, mine=mine, summary=summary, agreement=agreement,
        may_comment=may("comment", consultation), may_amend=may("amend", consultation),
        may_resolve=may("comment.resolve", bool(thread.roots)),
        may_rate=may("rate", consultation and ratings_on),
        may_decide=may("amendment.decide", open_text and any(
            a.status == "open" for a in amendments)), open_text=open_text,
        quote=request.args.get("quote", "")[:2000])


@bp.route("/<int:draft_id>/comments/outdated")
def outdated(space, draft_id):
    """The comments whose passage left the text (the quote is the original), twenty a page,
    with their replies."""
    draft = _draft_or_404(space, draft_id)
    thread = service.thread_page(draft, current_user, None,
                                 placette.page_number(request.args.get("page")))
    return render_template(
        "drafting/outdated.html", space=space, draft=draft, thread=thread, form=CsrfForm(),
        anchor_label=anchor_labels(), words=comment_labels(),
        may_reply=draft.state == "consultation"
        and placette.can(current_user, "drafting.comment", space),
        may_resolve=placette.can(current_user, "drafting.comment.resolve", space))


@bp.route("/<int:draft_id>/comments/<int:comment_id>")
def comment_at(space, draft_id, comment_id):
    """A comment's own address (notifications, search, activity): the page that shows it."""
    draft = _draft_or_404(space, draft_id)
    if service.comment_place(draft, current_user, comment_id) is None:
        abort(404)
    return redirect(_comment_url(draft, comment_id))


@bp.route("/<int:draft_id>/comments/<int:comment_id>/edit", methods=["GET", "POST"])
def edit_comment(space, draft_id, comment_id):
    """Its author corrects a comment (a form, no script needed).  Whoever may not see the
    comment gets a 404; a reader who sees it but is not its author, a 403 (as in discussions);
    after the consultation, the page showing it with a message."""
    draft = _draft_or_404(space, draft_id)
    if request.method == "POST":
        _checked_post()
    try:
        row = service.comment_to_edit(draft, current_user, comment_id)
    except service.DraftingError as exc:
        if exc.status == 401:
            return redirect(placette.sign_in_url())
        if exc.status == 409:
            flash(exc.message, "error")
            return redirect(_comment_url(draft, comment_id))
        abort(exc.status)
    error, body, status = None, row.body, 200
    if request.method == "POST":
        body = request.form.get("body", "")
        try:
            service.edit_comment(draft, current_user, comment_id, body)
        except service.DraftingError as exc:
            error, status = exc.message, exc.status
        else:
            flash(_("Your comment is corrected."), "success")
            return redirect(_comment_url(draft, comment_id))
    return render_template("drafting/edit_comment.html", space=space, draft=draft, c=row,
                           body=body, error=error, form=CsrfForm()), status


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
        parent = _int(request.form.get("parent", ""))
        if parent:
            return redirect(_comment_url(draft, parent))
        return redirect(_paragraph_or_draft(draft, pid, "#comment-title"))
    own = placette.lookup_resource("drafting", "comment", row.id)
    if own is not None and own.state == "pending":
        flash(_("Your comment awaits an animator's review before others see it."), "success")
    else:
        flash(_("Your comment is published."), "success")
    return redirect(_comment_url(draft, row.id))


@bp.route("/<int:draft_id>/comments/<int:comment_id>/resolve", methods=["POST"])
def resolve(space, draft_id, comment_id):
    draft = _draft_or_404(space, draft_id)
    _checked_post()
    try:
        service.resolve(draft, current_user, comment_id, request.form.get("resolved") != "0")
    except service.DraftingError as exc:
        flash(exc.message, "error")
    return redirect(_comment_url(draft, comment_id))


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
    return redirect(url_for("drafting.paragraph", draft_id=draft.id, pid=pid) + "#rating")


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
    return redirect(_paragraph_or_draft(draft, pid, "#amendments"))


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
    found = service.Amendment.get_or_none((service.Amendment.id == amendment_id)
                                          & (service.Amendment.draft == draft.id)) \
        if isinstance(amendment_id, int) else None
    return redirect(_paragraph_or_draft(draft, found.paragraph if found else None,
                                        f"#amendment-{amendment_id}"))


def _paragraph_or_draft(draft, pid, anchor: str) -> str:
    """The paragraph's page when it is still in the text, else the draft page (where the
    amendments to paragraphs gone are listed)."""
    if pid and pid in {p.id for p in service.paragraphs(service.version_of(draft))}:
        return url_for("drafting.paragraph", draft_id=draft.id, pid=pid) + anchor
    return url_for("drafting.draft", draft_id=draft.id) + anchor


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
