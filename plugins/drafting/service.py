"""What drafting does, for the pages and the API alike: one rule for both surfaces.

Every refusal is a :class:`DraftingError` with an HTTP status, a stable code and a message a
person can read; every check runs before anything is written.  A draft being written is seen
only by its drafting group (``drafting.draft.edit``) and is not in the resource registry (no
search, activity or showcase entry can name it); it enters the registry when it opens for
consultation.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any

import placette
from babel.numbers import format_decimal
from peewee import JOIN, Case, Table, fn

from . import text as T
from .models import (MAX_BODY, MAX_COMMENT, MAX_NOTE, STATES, Amendment,
                     Comment, Draft, Rating, Version)

PLUGIN = "drafting"
_ = placette._
NEXT_STATE = {"writing": "consultation", "consultation": "adopted", "adopted": "published"}
OPEN_STATES = ("writing", "consultation")   # the text may still change
AUTHOR = placette.User.alias("author")      # made once (docs/plugins.md: aliases once)


class DraftingError(Exception):
    def __init__(self, status: int, code: str, message: str, field: str | None = None,
                 details: Any = None):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.field, self.details = field, details


def not_found() -> DraftingError:
    return DraftingError(404, "not_found", "not found")


# --- input ------------------------------------------------------------------------------------

def _no_controls(value: str, allow_newlines: bool) -> bool:
    ok = "\n\t" if allow_newlines else ""
    return not any(unicodedata.category(ch) == "Cc" and ch not in ok for ch in value)


def clean_title(title: Any) -> str:
    if not isinstance(title, str) or not title.strip():
        raise DraftingError(422, "empty_title", _("Give the draft a title."), "title")
    title = title.strip()
    if not _no_controls(title, False) or "\u2028" in title:
        raise DraftingError(422, "invalid_title", _("A title is one line, without control "
                                                    "characters."), "title")
    if len(title) > 200:
        raise DraftingError(422, "title_too_long",
                            _("A title is at most %(max)s characters long.", max=200), "title")
    return title


def clean_body(body: Any) -> str:
    if not isinstance(body, str) or not body.strip():
        raise DraftingError(422, "empty_body", _("The text is empty."), "body")
    body = body.replace("\r\n", "\n")
    if len(body) > MAX_BODY:
        raise DraftingError(413, "body_too_long",
                            _("A draft is at most %(max)s characters long.",
                              max=format_decimal(MAX_BODY, locale=placette.current_locale())),
                            "body")
    if not _no_controls(body, True):
        raise DraftingError(422, "control_characters",
                            _("The text holds invisible control characters."), "body")
    return body


def clean_text(value: Any, field: str, maximum: int = MAX_COMMENT, required: bool = True) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise DraftingError(422, "invalid_" + field, _("This field must be text."), field)
    value = value.replace("\r\n", "\n").strip()
    if required and not value:
        raise DraftingError(422, "empty_" + field, _("Write something before sending."), field)
    if len(value) > maximum:
        raise DraftingError(422, field + "_too_long",
                            _("At most %(max)s characters.", max=maximum), field)
    if not _no_controls(value, True):
        raise DraftingError(422, "control_characters",
                            _("The text holds invisible control characters."), field)
    return value


# --- reading ----------------------------------------------------------------------------------

def may_write(actor: Any, space) -> bool:
    return placette.can(actor, "drafting.draft.edit", space)


def may_see(actor: Any, draft: Draft, space=None) -> bool:
    space = space or draft.space
    if not placette.can(actor, "drafting.view", space):
        return False
    if draft.state == "writing":
        return may_write(actor, space)
    # One registry read: a draft never published (no row) is visible to whoever may read it.
    return placette.moderation_state(PLUGIN, "draft", draft.id).visible_to(actor)


def drafts_of(space, actor: Any) -> list[Draft]:
    """The drafts of a space ``actor`` may see, newest first (one query)."""
    if not placette.can(actor, "drafting.view", space):
        return []
    query = Draft.select().where(Draft.space == space.id)
    if not may_write(actor, space):
        query = query.where(Draft.state != "writing")
    return list(query.order_by(Draft.updated_at.desc(), Draft.id.desc()))


def draft_in(space, draft_id: Any, actor: Any) -> Draft:
    """The draft, or a 404 for whoever may not see it (it is never named)."""
    if not isinstance(draft_id, int) or not 0 < draft_id <= placette.MAX_ID:
        raise not_found()
    def build(did, sid):
        return Draft.select().where((Draft.id == did) & (Draft.space == sid))

    draft = placette.prepared("drafting.draft", build, did=draft_id, sid=space.id).first()
    if draft is None or not may_see(actor, draft, space):
        raise not_found()
    draft.space = space
    return draft


def version_of(draft: Draft, number: int | None = None) -> Version:
    number = draft.version if number is None else number

    def build(did, number):
        return Version.select().where((Version.draft == did) & (Version.number == number))

    version = placette.prepared("drafting.version", build, did=draft.id, number=number).first() \
        if isinstance(number, int) and 0 < number <= placette.MAX_ID else None
    if version is None:
        raise DraftingError(404, "unknown_version", _("This version does not exist."), "version")
    return version


def paragraphs(version: Version) -> list[T.Paragraph]:
    return [T.Paragraph(p["id"], p["text"]) for p in version.paragraphs]


def versions_of(draft: Draft) -> list[Version]:
    return list(Version.select(Version.id, Version.number, Version.author, Version.note,
                               Version.created_at, Version.base, Version.merged,
                               Version.restored_from, Version.amendment)
                .where(Version.draft == draft.id).order_by(Version.number.desc()))


def contributors(draft: Draft, up_to: int | None = None) -> list[str]:
    """Names of the people who wrote a version or an accepted amendment, in order of arrival."""
    User = placette.User
    query = (User.select(User.display_name, fn.MIN(Version.number).alias("first"))
             .join(Version, on=(Version.author == User.id))
             .where(Version.draft == draft.id))
    if up_to is not None:
        query = query.where(Version.number <= up_to)
    names = [u.display_name for u in query.group_by(User.id, User.display_name)
             .order_by(fn.MIN(Version.number))]
    amended = (User.select(User.display_name).join(Amendment, on=(Amendment.author == User.id))
               .where((Amendment.draft == draft.id) & (Amendment.status == "accepted"))
               .distinct())
    for user in amended:
        if user.display_name not in names:
            names.append(user.display_name)
    return names


def search_text(draft_id: int) -> str | None:
    draft = Draft.get_or_none(Draft.id == draft_id)
    if draft is None or draft.state == "writing":
        return None
    version = Version.get_or_none((Version.draft == draft.id) & (Version.number == draft.version))
    return f"{draft.title}\n{placette.plain_text(version.body) if version else ''}"


def draft_url(space, draft: Draft) -> str:
    return f"/s/{space.slug}/drafting/{draft.id}"


def comment_url(space, draft: Draft, comment_id: int) -> str:
    """A comment's own address: it redirects to the page of its paragraph that shows it."""
    return f"{draft_url(space, draft)}/comments/{comment_id}"


def publish(draft: Draft, space=None) -> placette.Resource:
    """The draft's registry row (search, activity, moderation, showcase), from consultation on."""
    space = space or draft.space
    version = Version.get((Version.draft == draft.id) & (Version.number == draft.version))
    return placette.publish_resource(
        PLUGIN, "draft", draft.id, space=space.id, title=draft.title,
        url=draft_url(space, draft), author=draft.author_id,
        summary=placette.plain_text(version.body)[:1000])


# --- writing the text -------------------------------------------------------------------------

def _require(actor: Any, action: str, space) -> None:
    if not getattr(actor, "is_authenticated", False):
        raise DraftingError(401, "unauthenticated", _("Sign in first."))
    if not placette.can(actor, action, space):
        raise DraftingError(403, "forbidden", _("You may not do this here."))


def create_draft(space, actor: Any, title: Any, body: Any) -> Draft:
    _require(actor, "drafting.draft.create", space)
    title, body = clean_title(title), clean_body(body)
    paras = T.assign_ids([], T.split(body))
    with placette.atomic():
        draft = Draft.create(space=space.id, author=actor.id, title=title)
        Version.create(draft=draft.id, number=1, author=actor.id, body=T.join(paras),
                       paragraphs=[p.as_dict() for p in paras], note="")
    draft.space = space
    return draft


def _locked(draft: Draft) -> Draft:
    """The draft's row again, locked until the transaction ends (PostgreSQL: FOR UPDATE;
    SQLite: every transaction holds the write lock from its start)."""
    query = Draft.select().where(Draft.id == draft.id)
    if placette.database.for_update:
        query = query.for_update()
    return query.get()


def save(draft: Draft, actor: Any, body: Any, base_version: Any, note: Any = "",
         *, amendment: int | None = None, restored_from: int | None = None,
         check: bool = True) -> tuple[Version, bool]:
    """Save a new version written from ``base_version``.  If another save landed since, the
    two are merged paragraph by paragraph; a paragraph both changed is a 409 ``conflict`` with
    the paragraphs in ``details`` and nothing written.  Answers ``(version, merged)``."""
    space = draft.space
    if check:
        _require(actor, "drafting.draft.edit", space)
    body = clean_body(body)
    note = clean_text(note, "note", MAX_NOTE, required=False)
    if not isinstance(base_version, int) or isinstance(base_version, bool):
        raise DraftingError(422, "invalid_base_version",
                            _("Name the version your text started from."), "base_version")
    with placette.atomic():
        row = _locked(draft)
        if row.state not in OPEN_STATES:
            raise DraftingError(409, "frozen", _("An adopted opinion can no longer change."))
        if not 0 < base_version <= row.version:
            raise DraftingError(422, "unknown_base_version",
                                _("Version %(n)s of this draft does not exist.",
                                  n=base_version), "base_version")
        base = paragraphs(version_of(row, base_version))
        head_version = version_of(row) if base_version != row.version else None
        head = paragraphs(head_version) if head_version is not None else base
        # New ids are random (32 bits): unique among the base's and the newest version's.
        yours = T.assign_ids(base, T.split(body), {p.id for p in head})
        merged = False
        result = yours
        if head_version is not None:
            outcome = T.merge(base, head, yours)
            if outcome.conflicts:
                raise DraftingError(409, "conflict", _(
                    "Someone changed the same paragraphs since you started: settle them."),
                    details=[c.as_dict() for c in outcome.conflicts])
            result, merged = outcome.paragraphs, outcome.merged
        if not result:
            raise DraftingError(422, "empty_body", _("The text is empty."), "body")
        number = row.version + 1
        version = Version.create(draft=row.id, number=number, author=actor.id, note=note,
                                 body=T.join(result), paragraphs=[p.as_dict() for p in result],
                                 base=base_version, merged=int(merged), amendment=amendment,
                                 restored_from=restored_from)
        Draft.update(version=number, updated_at=placette.utcnow()).where(
            Draft.id == row.id).execute()
        draft.version = number
        reanchor_comments(row, head, result)
        if row.state != "writing":
            publish(draft, space)
    return version, merged


def restore(draft: Draft, actor: Any, number: Any) -> Version:
    _require(actor, "drafting.draft.edit", draft.space)
    old = version_of(draft, number)
    version, _merged = save(draft, actor, old.body, draft.version,
                            _("Restored version %(n)s", n=old.number), restored_from=old.number)
    return version


def reanchor_comments(draft: Draft, before: list[T.Paragraph], result: list[T.Paragraph]) -> int:
    """Find the passages of the comments on paragraphs that changed or went away (and of the
    outdated ones, which a restore may bring back) in the new text; the others are not read."""
    texts = {p.id: p.text for p in result}
    touched = [p.id for p in before if texts.get(p.id) != p.text]
    moved: dict[int, T.Anchor] = {}
    query = Comment.select().where((Comment.draft == draft.id) & Comment.parent.is_null() & (
        Comment.at_paragraph.in_(touched) | (Comment.anchor_state == "outdated")))
    for c in query:
        if c.anchor_state != "outdated" and texts.get(c.at_paragraph) == c.at_text:
            continue
        before_anchor = _anchor(c)
        after = T.reanchor(before_anchor, texts)
        if after != before_anchor:
            moved[c.id] = after
    # One UPDATE per 100 comments (CASE on the id), not one per comment: a find-and-replace
    # through the whole text moves every anchor.
    ids = sorted(moved)
    for start in range(0, len(ids), 100):
        part = ids[start:start + 100]

        def case(attribute: str):
            return Case(Comment.id, [(cid, getattr(moved[cid], attribute)) for cid in part])
        Comment.update(at_paragraph=case("at_paragraph"), at_text=case("at_text"),
                       at_start=case("at_start"), at_end=case("at_end"),
                       anchor_state=case("state")).where(Comment.id.in_(part)).execute()
    return len(moved)


def _anchor(c: Comment) -> T.Anchor:
    return T.Anchor(c.paragraph, c.quote, c.prefix, c.suffix, c.at_paragraph, c.at_text,
                    c.at_start, c.at_end, c.anchor_state)


def diff(draft: Draft, old: Any, new: Any) -> list[dict]:
    return T.version_diff(paragraphs(version_of(draft, old)), paragraphs(version_of(draft, new)))


# --- workflow ---------------------------------------------------------------------------------

def change_state(draft: Draft, actor: Any, state: Any, decision: Any = "",
                 notify: bool = True) -> Draft:
    space = draft.space
    if state not in STATES:
        raise DraftingError(422, "invalid_state", _("Unknown step of the workflow."), "state")
    if not getattr(actor, "is_authenticated", False):
        raise DraftingError(401, "unauthenticated", _("Sign in first."))
    if state == draft.state or NEXT_STATE.get(draft.state) != state:
        raise DraftingError(409, "invalid_transition", _(
            "A draft goes from writing to consultation, then adopted, then published, one step "
            "at a time."), "state")
    if not placette.can(actor, f"drafting.state.{state}", space):
        raise DraftingError(403, "forbidden", _("You may not take this step."))
    decision = clean_text(decision, "decision", 2000, required=False)
    now = placette.utcnow()
    with placette.atomic():
        row = _locked(draft)
        if row.state != draft.state:
            raise DraftingError(409, "invalid_transition", _("The draft changed step meanwhile."),
                                "state")
        fields: dict[str, Any] = {"state": state, "updated_at": now}
        if state == "adopted":
            fields.update(adopted_at=now, adopted_version=row.version, decision=decision)
        if state == "published":
            fields["published_at"] = now
        Draft.update(**fields).where(Draft.id == row.id).execute()
        for name, value in fields.items():
            setattr(draft, name, value)
        resource = publish(draft, space)
        if notify and state == "consultation" and resource.state == "visible":
            placette.emit("drafting.draft.consultation", space=space, resource=resource,
                          actor=actor, data={"url": resource.url, "title": draft.title})
        if notify and state == "adopted":
            placette.emit("drafting.draft.adopted", space=space, resource=resource, actor=actor,
                          data={"url": resource.url, "title": draft.title})
        placette.record_audit(actor, f"drafting.draft.{state}", target=f"draft:{draft.id}",
                              space=space.id)
    return draft


# --- comments ---------------------------------------------------------------------------------

def _in_consultation(draft: Draft) -> None:
    if draft.state != "consultation":
        raise DraftingError(409, "not_in_consultation",
                            _("Comments, ratings and amendments are taken during the "
                              "consultation."))


def comment(draft: Draft, actor: Any, paragraph: Any, body: Any, quote: Any = None,
            parent: Any = None, near: int | None = None, notify: bool = True) -> Comment:
    space = draft.space
    _require(actor, "drafting.comment", space)
    _in_consultation(draft)
    body = clean_text(body, "body")
    parent_row = None
    if parent not in (None, ""):
        parent_row = Comment.get_or_none((Comment.id == parent) & (Comment.draft == draft.id)) \
            if isinstance(parent, int) and 0 < parent <= placette.MAX_ID else None
        if parent_row is None or parent_row.parent_id is not None:
            raise DraftingError(422, "invalid_parent",
                                _("The comment you answer is not on this draft."), "parent")
        anchor = _anchor(parent_row)
        version = parent_row.version
    else:
        current = {p.id: p for p in paragraphs(version_of(draft))}
        if not isinstance(paragraph, str) or paragraph not in current:
            raise DraftingError(422, "unknown_paragraph",
                                _("This paragraph is not in the draft's current text."),
                                "paragraph")
        if quote is not None and not isinstance(quote, str):
            raise DraftingError(422, "invalid_quote", _("A quote is text."), "quote")
        quote = (quote or "").strip()
        if len(quote) > 2000:
            raise DraftingError(422, "quote_too_long", _("Quote at most 2,000 characters."),
                                "quote")
        anchor = T.make_anchor(current[paragraph], quote, near)
        if anchor is None:
            raise DraftingError(422, "quote_not_found",
                                _("The quoted passage is not in this paragraph."), "quote")
        version = draft.version
    with placette.atomic():
        row = Comment.create(draft=draft.id, parent=parent_row.id if parent_row else None,
                             author=actor.id, body=body, version=version,
                             paragraph=anchor.paragraph, quote=anchor.quote,
                             prefix=anchor.prefix, suffix=anchor.suffix,
                             at_paragraph=anchor.at_paragraph, at_text=anchor.at_text,
                             at_start=anchor.at_start, at_end=anchor.at_end,
                             anchor_state=anchor.state)
        own = _publish_comment(row, draft, space)
        row.own = own.id
        row.save()
        if notify and parent_row is not None and own.state == "visible":
            _tell_answered(row, parent_row, own, draft, space, actor)
    return row


def _publish_comment(row: Comment, draft: Draft, space) -> placette.Resource:
    """The comment's registry row (search, activity, reports, pre-moderation), written when it
    is posted and again when its author corrects it -- which never changes its moderation
    state: a hidden comment stays hidden, a pending one waits still (docs/drafting.md)."""
    return placette.publish_resource(
        PLUGIN, "comment", row.id, space=space.id, title=f"💬 {draft.title}"[:300],
        url=comment_url(space, draft, row.id), author=row.author_id,
        summary=placette.plain_text(row.body)[:1000])


def _visible_comment(draft: Draft, actor: Any, comment_id: Any) -> Comment | None:
    """The comment if ``actor`` may see it (and the comment it answers), else None."""
    if isinstance(comment_id, bool) or not isinstance(comment_id, int) \
            or not 0 < comment_id <= placette.MAX_ID:
        return None

    def build(cid):
        return placette.exclude_moderated(
            Comment.select().where((Comment.draft == draft.id) & (Comment.id == cid)),
            actor, PLUGIN, "comment")
    row = build(comment_id).first()
    if row is not None and row.parent_id is not None \
            and build(row.parent_id).first() is None:
        return None
    return row


def may_edit_comment(actor: Any, draft: Draft, author_id: int | None) -> bool:
    """Whether ``actor`` may correct a comment written by ``author_id``: its author only, while
    they may still comment there (the draft in consultation).  Animators moderate others'
    comments (hide them); they never change their words."""
    return (getattr(actor, "is_authenticated", False) and author_id is not None
            and author_id == actor.id and draft.state == "consultation"
            and placette.can(actor, "drafting.comment", draft.space))


def comment_to_edit(draft: Draft, actor: Any, comment_id: Any) -> Comment:
    """The comment ``actor`` asks to correct: a 404 when they may not see it (it is never
    named), else 401 / 403 / 409 when they may not change it."""
    row = _visible_comment(draft, actor, comment_id)
    if row is None:
        raise not_found()
    if not getattr(actor, "is_authenticated", False):
        raise DraftingError(401, "unauthenticated", _("Sign in first."))
    if row.author_id != actor.id:
        raise DraftingError(403, "not_author", _("Only its author may change a comment."))
    if not placette.can(actor, "drafting.comment", draft.space):
        raise DraftingError(403, "forbidden", _("You may not do this here."))
    _in_consultation(draft)
    return row


def edit_comment(draft: Draft, actor: Any, comment_id: Any, body: Any) -> Comment:
    """Its author corrects a comment (or a reply): the new text, ``edited_at`` (shown to
    readers), and its registry row published again (search, activity) with its moderation
    state untouched.  The same text again changes nothing."""
    row = comment_to_edit(draft, actor, comment_id)
    body = clean_text(body, "body")
    if body == row.body:
        return row
    now = placette.utcnow()
    with placette.atomic():
        Comment.update(body=body, edited_at=now).where(Comment.id == row.id).execute()
        row.body, row.edited_at = body, now
        own = _publish_comment(row, draft, draft.space)
        if row.own_id != own.id:
            Comment.update(own=own.id).where(Comment.id == row.id).execute()
            row.own = own.id
    return row


def _tell_answered(row: Comment, parent: Comment, own, draft: Draft, space, actor) -> None:
    if parent.author_id in (None, getattr(actor, "id", None)):
        return
    placette.emit("drafting.comment.answered", space=space, resource=own, actor=actor,
                  data={"url": own.url, "title": draft.title}, recipients=[parent.author_id])


def notify_approved(own) -> None:
    """Tell the author of the answered comment about a reply that waited for review."""
    row = Comment.get_or_none(Comment.own == own.id)
    if row is None or row.parent_id is None or row.author_id is None:
        return
    parent = Comment.get_by_id(row.parent_id)
    draft = Draft.get_by_id(row.draft_id)
    space = placette.Space.get_by_id(draft.space_id)
    author = placette.User.get_by_id(row.author_id)
    _tell_answered(row, parent, own, draft, space, author)


@dataclass(slots=True)
class Person:
    id: int
    display_name: str


@dataclass(slots=True)
class CommentRow:
    """A comment as the margin and the API read it: the columns they show, no model instance
    (a draft's page lists hundreds of them)."""
    id: int
    parent_id: int | None
    author_id: int | None
    body: str
    version: int
    paragraph: str
    quote: str
    at_paragraph: str
    anchor_state: str
    resolved_at: Any
    created_at: Any
    own_id: int | None
    edited_at: Any
    author: Person | None


def comments_of(draft: Draft, actor: Any) -> list[CommentRow]:
    """The draft's comments and replies ``actor`` may see, oldest first, with their authors:
    one query (moderation adds one ``NOT IN`` over the few hidden ones)."""
    columns = (Comment.id, Comment.parent, Comment.author, Comment.body, Comment.version,
               Comment.paragraph, Comment.quote, Comment.at_paragraph, Comment.anchor_state,
               Comment.resolved_at, Comment.created_at, Comment.own, Comment.edited_at,
               AUTHOR.display_name)   # not the anchors' texts: not shown
    query = (Comment.select(*columns).join_from(Comment, AUTHOR, on=(
        Comment.author == AUTHOR.id), join_type=JOIN.LEFT_OUTER)
        .where(Comment.draft == draft.id).order_by(Comment.created_at, Comment.id))
    query = placette.exclude_moderated(query, actor, PLUGIN, "comment")
    return _rows_with_authors(query.tuples())


def _rows_with_authors(tuples) -> list[CommentRow]:
    """Comment rows from ``(*comment columns, author name)`` tuples, one ``Person`` per author."""
    people: dict[int, Person] = {}
    found = []
    for *row, name in tuples:
        author_id = row[2]
        author = None
        if author_id is not None:
            author = people.get(author_id)
            if author is None:
                author = people[author_id] = Person(author_id, name)
        found.append(CommentRow(*row, author))
    return found


PER_PAGE = 20   # root comments per page of a paragraph's (or the outdated comments') page


def comment_counts(draft: Draft, actor: Any) -> tuple[dict[str, int], int]:
    """``({paragraph id: number of comments on it}, number of outdated comments)``: the root
    comments ``actor`` may see (not their replies), in one grouped query whatever their number
    -- the draft page shows these counts, each paragraph's page shows the comments."""
    def build(_viewer, did):
        return placette.exclude_moderated(
            Comment.select(Comment.at_paragraph, Comment.anchor_state, fn.COUNT(Comment.id))
            .where((Comment.draft == did) & Comment.parent.is_null())
            .group_by(Comment.at_paragraph, Comment.anchor_state), actor, PLUGIN, "comment")

    counts: dict[str, int] = {}
    outdated = 0
    for pid, state, n in placette.prepared("drafting.comment_counts", build,
                                           placette.viewer_key(actor, moderation=True),
                                           did=draft.id).tuples():
        if state == "outdated":
            outdated += n
        else:
            counts[pid] = counts.get(pid, 0) + n
    return counts, outdated


def _roots_where(did, pid, outdated: bool):
    """The root comments of one paragraph (``pid``), or the outdated ones (``pid`` unused)."""
    clause = (Comment.draft == did) & Comment.parent.is_null()
    if outdated:
        return clause & (Comment.anchor_state == "outdated")
    return clause & (Comment.at_paragraph == pid) & (Comment.anchor_state != "outdated")


_ROW_COLUMNS = (Comment.id, Comment.parent, Comment.author, Comment.body, Comment.version,
                Comment.paragraph, Comment.quote, Comment.at_paragraph, Comment.anchor_state,
                Comment.resolved_at, Comment.created_at, Comment.own, Comment.edited_at,
                AUTHOR.display_name)


def _with_author():
    return Comment.select(*_ROW_COLUMNS).join_from(Comment, AUTHOR, on=(
        Comment.author == AUTHOR.id), join_type=JOIN.LEFT_OUTER)


@dataclass(slots=True)
class Thread:
    """One page of a paragraph's comments (or of the outdated ones): ``roots`` oldest first,
    ``replies[root id]`` every reply to them, ``total`` the number of roots on every page."""
    roots: list
    replies: dict
    total: int
    page: int
    per_page: int

    @property
    def last(self) -> int:
        return max(1, (self.total - 1) // self.per_page + 1)


def thread_page(draft: Draft, actor: Any, pid: str | None, page: int = 1,
                per_page: int = PER_PAGE) -> Thread:
    """Page ``page`` of the comments on paragraph ``pid`` (None: the outdated comments) that
    ``actor`` may see, with their replies: two queries whatever the number of comments (the
    page's roots carry the number of all roots), two more only for a page past the last,
    which shows the last."""
    # Their SQL is written once per viewer (the moderation clause) and shape (placette.
    # prepared); the draft, the paragraph, the page and the ids are values bound at each call.
    viewer, outdated = placette.viewer_key(actor, moderation=True), pid is None

    def roots_of(_viewer, outdated, size, did, skip, pid=None):
        return placette.exclude_moderated(
            _with_author().select_extend(fn.COUNT(Comment.id).over())
            .where(_roots_where(did, pid, outdated))
            .order_by(Comment.created_at, Comment.id).limit(size).offset(skip),
            actor, PLUGIN, "comment")

    def count_of(_viewer, outdated, did, pid=None):
        return placette.exclude_moderated(
            Comment.select(Comment.id).where(_roots_where(did, pid, outdated)),
            actor, PLUGIN, "comment")

    def replies_of(_viewer, count, did, **late):
        return placette.exclude_moderated(
            _with_author().where((Comment.draft == did) & Comment.parent.in_(
                [late[f"c{n}"] for n in range(count)]))
            .order_by(Comment.created_at, Comment.id), actor, PLUGIN, "comment")

    where = {} if outdated else {"pid": pid}

    def roots_at(page):
        found = placette.prepared("drafting.thread_roots", roots_of, viewer, outdated,
                                  per_page, did=draft.id, skip=(page - 1) * per_page,
                                  **where).tuples()
        return [row[:-1] for row in found], (found[0][-1] if found else 0)

    page = max(1, page)
    found, total = roots_at(page)
    if not found and page > 1:   # past the last page (or nothing left): show the last
        total = placette.prepared("drafting.thread_count", count_of, viewer, outdated,
                                  did=draft.id, **where).count()
        page = max(1, (total - 1) // per_page + 1)
        if total:
            found, total = roots_at(page)
    roots = _rows_with_authors(found)
    replies: dict[int, list] = {}
    if roots:
        found = placette.prepared("drafting.thread_replies", replies_of, viewer, len(roots),
                                  did=draft.id, **{f"c{n}": c.id for n, c in enumerate(roots)})
        for c in _rows_with_authors(found.tuples()):
            replies.setdefault(c.parent_id, []).append(c)
    return Thread(roots, replies, total, page, per_page)


def comment_place(draft: Draft, actor: Any, comment_id: Any,
                  per_page: int = PER_PAGE) -> tuple[str | None, int] | None:
    """Where a comment (or a reply) is shown: ``(paragraph id, page)`` of its paragraph's
    page, ``(None, page)`` on the outdated comments' page -- or None when ``actor`` may not
    see it (or it is not on this draft)."""
    if not isinstance(comment_id, int) or not 0 < comment_id <= placette.MAX_ID:
        return None
    def visible(cid):
        return placette.exclude_moderated(
            Comment.select(Comment.id, Comment.parent, Comment.at_paragraph,
                           Comment.anchor_state, Comment.created_at)
            .where((Comment.draft == draft.id) & (Comment.id == cid)),
            actor, PLUGIN, "comment").first()
    row = visible(comment_id)
    if row is not None and row.parent_id is not None:
        row = visible(row.parent_id)
    if row is None:
        return None
    pid = None if row.anchor_state == "outdated" else row.at_paragraph
    before = placette.exclude_moderated(
        Comment.select(Comment.id).where(
            _roots_where(draft.id, pid, pid is None) & (
                (Comment.created_at < row.created_at)
                | ((Comment.created_at == row.created_at) & (Comment.id < row.id)))),
        actor, PLUGIN, "comment").count()
    return pid, before // per_page + 1


def resolve(draft: Draft, actor: Any, comment_id: Any, resolved: bool = True) -> Comment:
    _require(actor, "drafting.comment.resolve", draft.space)
    row = Comment.get_or_none((Comment.id == comment_id) & (Comment.draft == draft.id)) \
        if isinstance(comment_id, int) and 0 < comment_id <= placette.MAX_ID else None
    if row is None:
        raise not_found()
    row.resolved_at = placette.utcnow() if resolved else None
    row.resolved_by = actor.id if resolved else None
    row.save()
    return row


# --- ratings ----------------------------------------------------------------------------------

def rate(draft: Draft, actor: Any, paragraph: Any, agreement: Any) -> list[int]:
    space = draft.space
    _require(actor, "drafting.rate", space)
    _in_consultation(draft)
    if not placette.settings_of(space, PLUGIN).ratings:
        raise DraftingError(409, "ratings_off", _("This space does not rate paragraphs."))
    if isinstance(agreement, bool) or not isinstance(agreement, int) or not 1 <= agreement <= 5:
        raise DraftingError(422, "agreement_out_of_range",
                            _("Agreement goes from 1 (strongly disagree) to 5 (strongly "
                              "agree)."), "agreement")
    if paragraph not in {p.id for p in paragraphs(version_of(draft))}:
        raise not_found()
    with placette.atomic():
        (Rating.insert(draft=draft.id, paragraph=paragraph, user=actor.id, agreement=agreement,
                       updated_at=placette.utcnow())
         .on_conflict(conflict_target=[Rating.draft, Rating.paragraph, Rating.user],
                      update={Rating.agreement: agreement, Rating.updated_at: placette.utcnow()})
         .execute())
    return distributions(draft).get(paragraph, [0] * 5)


# Ratings per (draft, paragraph, level), kept by the database's triggers on every write to
# drafting_rating (migration 0004).  A bare table, not a model: the instance copy (``placette db
# copy``) must not copy it, the target's triggers rebuild it from the ratings.
RATING_COUNTS = Table("drafting_rating_count", ("draft_id", "paragraph", "agreement", "n"),
                      _database=Rating._meta.database)  # SQL in the engine's dialect


def distributions(draft: Draft, paragraph: str | None = None) -> dict[str, list[int]]:
    """``{paragraph id: [count of 1, ..., count of 5]}`` (of every paragraph, or of one) in one
    query over the kept counts (five rows a paragraph, whatever the number of ratings)."""
    counts = RATING_COUNTS

    def build(one, did, pid=None):
        where = (counts.draft_id == did) & (counts.n > 0)
        return (counts.select(counts.paragraph, counts.agreement, counts.n)
                .where(where & (counts.paragraph == pid) if one else where))

    found: dict[str, list[int]] = {}
    one = {} if paragraph is None else {"pid": paragraph}
    for pid, level, n in placette.prepared("drafting.distributions", build, bool(one),
                                           did=draft.id, **one).tuples():
        if 1 <= level <= 5:
            found.setdefault(pid, [0] * 5)[level - 1] = n
    return found


def paragraph_ratings(draft: Draft, paragraph: str, actor: Any) -> tuple[list[int], int | None]:
    """One paragraph's ``([count of 1, ..., count of 5], actor's own rating or None)`` in one
    query: its kept counts, each joined to ``actor``'s rating at that level (the counts include
    it, so its level always has a row)."""
    counts = RATING_COUNTS
    uid = actor.id if getattr(actor, "is_authenticated", False) else 0

    def build(did, pid, uid):
        return (counts.select(counts.agreement, counts.n, Rating.id)
                .join(Rating, JOIN.LEFT_OUTER, on=(
                    (Rating.draft == counts.draft_id) & (Rating.paragraph == counts.paragraph)
                    & (Rating.agreement == counts.agreement) & (Rating.user == uid)))
                .where((counts.draft_id == did) & (counts.paragraph == pid) & (counts.n > 0)))

    dist, mine = [0] * 5, None
    for level, n, own in placette.prepared("drafting.paragraph_ratings", build, did=draft.id,
                                           pid=paragraph, uid=uid).tuples():
        if 1 <= level <= 5:
            dist[level - 1] = n
            if own is not None:
                mine = level
    return dist, mine


def agreement_totals(draft: Draft) -> dict[str, tuple[int, int]]:
    """``{paragraph id: (number of ratings, sum of their levels)}`` -- what the draft page's
    averages need -- summed from the kept counts in one query (a row a paragraph)."""
    counts = RATING_COUNTS

    def build(did):
        return (counts.select(counts.paragraph, fn.SUM(counts.n),
                              fn.SUM(counts.n * counts.agreement))
                .where((counts.draft_id == did) & (counts.n > 0)).group_by(counts.paragraph))

    return {pid: (n, total) for pid, n, total in placette.prepared(
        "drafting.agreement_totals", build, did=draft.id).tuples()}


def my_ratings(draft: Draft, actor: Any) -> dict[str, int]:
    if not getattr(actor, "is_authenticated", False):
        return {}
    def build(did, uid):
        return (Rating.select(Rating.paragraph, Rating.agreement)
                .where((Rating.draft == did) & (Rating.user == uid)))

    return dict(placette.prepared("drafting.my_ratings", build, did=draft.id,
                                  uid=actor.id).tuples())


# --- amendments -------------------------------------------------------------------------------

def amend(draft: Draft, actor: Any, paragraph: Any, new_text: Any, reason: Any) -> Amendment:
    space = draft.space
    _require(actor, "drafting.amend", space)
    if draft.state not in OPEN_STATES:
        raise DraftingError(409, "frozen", _("An adopted opinion can no longer be amended."))
    _in_consultation(draft)
    current = {p.id: p.text for p in paragraphs(version_of(draft))}
    if not isinstance(paragraph, str) or paragraph not in current:
        raise DraftingError(422, "unknown_paragraph",
                            _("This paragraph is not in the draft's current text."), "paragraph")
    new_text = clean_text(new_text, "text", 20_000)
    if not T.is_one_paragraph(new_text):
        raise DraftingError(422, "one_paragraph", _("An amendment rewrites one paragraph."),
                            "text")
    if new_text == current[paragraph]:
        raise DraftingError(422, "unchanged", _("The new wording is the same as the text."),
                            "text")
    reason = clean_text(reason, "reason", 5000)
    return Amendment.create(draft=draft.id, paragraph=paragraph, version=draft.version,
                            original=current[paragraph], text=new_text, reason=reason,
                            author=actor.id)


def amendments_of(draft: Draft) -> list[Amendment]:
    return list(Amendment.select(Amendment, AUTHOR)
                .join_from(Amendment, AUTHOR, on=(Amendment.author == AUTHOR.id),
                           join_type=JOIN.LEFT_OUTER)
                .where(Amendment.draft == draft.id).order_by(Amendment.created_at, Amendment.id))


def amendment_counts(draft: Draft) -> dict[str, dict[str, int]]:
    """``{paragraph id: {status: number}}`` of the draft's amendments, one grouped query."""
    def build(did):
        return (Amendment.select(Amendment.paragraph, Amendment.status, fn.COUNT(Amendment.id))
                .where(Amendment.draft == did).group_by(Amendment.paragraph, Amendment.status))

    found: dict[str, dict[str, int]] = {}
    for pid, status, n in placette.prepared("drafting.amendment_counts", build,
                                           did=draft.id).tuples():
        found.setdefault(pid, {})[status] = n
    return found


def amendments_on(draft: Draft, paragraph: str) -> list[Amendment]:
    """The amendments to one paragraph, oldest first, with their authors' names (one query,
    its SQL written once: ``placette.prepared``)."""
    def build(did, pid):
        return (Amendment.select(Amendment, AUTHOR.id, AUTHOR.display_name)
                .join_from(Amendment, AUTHOR, on=(Amendment.author == AUTHOR.id),
                           join_type=JOIN.LEFT_OUTER)
                .where((Amendment.draft == did) & (Amendment.paragraph == pid))
                .order_by(Amendment.created_at, Amendment.id))

    return placette.prepared("drafting.amendments_on", build, did=draft.id,
                             pid=paragraph).rows()


def decide(draft: Draft, actor: Any, amendment_id: Any, accept: Any, reason: Any = "",
           notify: bool = True) -> Amendment:
    space = draft.space
    _require(actor, "drafting.amendment.decide", space)
    row = Amendment.get_or_none((Amendment.id == amendment_id) & (Amendment.draft == draft.id)) \
        if isinstance(amendment_id, int) and 0 < amendment_id <= placette.MAX_ID else None
    if row is None:
        raise not_found()
    if not isinstance(accept, bool):
        raise DraftingError(422, "invalid_accept", _("Accept or reject."), "accept")
    if row.status != "open":
        raise DraftingError(409, "already_decided", _("This amendment was already decided."))
    if draft.state not in OPEN_STATES:
        raise DraftingError(409, "frozen", _("An adopted opinion can no longer change."))
    reason = clean_text(reason, "reason", 5000, required=not accept)
    with placette.atomic():
        applied = None
        if accept:
            head = version_of(draft)
            paras = paragraphs(head)
            if row.paragraph not in {p.id for p in paras}:
                raise DraftingError(409, "paragraph_gone",
                                    _("The paragraph this amendment rewrites is gone."))
            # Accepting must not undo an edit made since the amendment was proposed: its text
            # replaces the whole paragraph, so it is applied only to the wording it was written
            # against.  Otherwise the animators compare, then reject it or ask for a new one.
            if next(p.text for p in paras if p.id == row.paragraph) != row.original:
                raise DraftingError(409, "paragraph_changed", _(
                    "The paragraph was edited since this amendment was proposed: accepting it "
                    "would undo that edit. Compare the two, then reject it with a reason or "
                    "ask its author to propose it again on the current text."))
            body = T.join(row.text if p.id == row.paragraph else p.text for p in paras)
            author = placette.User.get_or_none(placette.User.id == row.author_id) or actor
            note = _("Amendment by %(name)s accepted", name=getattr(author, "display_name", ""))
            version, _m = save(draft, author, body, head.number, note[:MAX_NOTE],
                               amendment=row.id, check=False)
            applied = version.number
        Amendment.update(status="accepted" if accept else "rejected", decision_reason=reason,
                         decided_by=actor.id, decided_at=placette.utcnow(),
                         applied_version=applied).where(Amendment.id == row.id).execute()
        row = Amendment.get_by_id(row.id)
        resource = placette.lookup_resource(PLUGIN, "draft", draft.id)
        if notify and resource is not None and row.author_id not in (None, actor.id):
            placette.emit("drafting.amendment.decided", space=space, resource=resource,
                          actor=actor, data={"url": resource.url, "title": draft.title,
                                             "accepted": accept},
                          recipients=[row.author_id])
    return row

