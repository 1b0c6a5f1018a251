"""The drafting JSON API, under ``/api/v1/spaces/<slug>/drafting/`` (in the OpenAPI document).

Whatever the caller may not see answers 404 -- a draft being written, for anyone outside its
drafting group; a refusal answers 4xx with a stable code and nothing is written (see
:mod:`.service`).  A save that collides with another on the same paragraphs answers 409
``{"error": {"code": "conflict", "details": [{"paragraph", "base", "current", "yours"}]}}``.
"""
from __future__ import annotations

import datetime as dt
from typing import Literal

import placette
from flask import Response, request
from flask_login import current_user
from pydantic import BaseModel, ConfigDict, Field

from . import exports, service
from .models import Comment, Draft

ODT = "application/vnd.oasis.opendocument.text"


# Every schema is named Drafting*: the OpenAPI document's components are keyed by class name,
# and another plugin's VersionOut or CommentOut must not be mistaken for ours.
class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DraftingDraftIn(Strict):
    title: placette.OneLineStr = Field(min_length=1, max_length=200)
    body: str = Field(description="Markdown; paragraphs are separated by a blank line (a code "
                                  "block, a list, a block quote or a table stays one "
                                  "paragraph); at most 200,000 characters")


class DraftingSaveIn(Strict):
    body: str = Field(description="the whole text, Markdown, at most 200,000 characters")
    base_version: int = Field(description="the version the text was written from")
    note: str | None = Field(None, max_length=500)


class DraftingCommentIn(Strict):
    paragraph: str | None = Field(None, max_length=16,
                                  description="paragraph id (not for a reply)")
    quote: str | None = Field(None, max_length=2000,
                              description="a passage of the paragraph; none: the paragraph")
    body: str = Field(max_length=10000)
    parent: placette.Id | None = Field(None, description="the comment answered")


class DraftingCommentPatch(Strict):
    body: str = Field(max_length=10000, description="the corrected text, Markdown")


class DraftingRatingIn(Strict):
    agreement: int = Field(description="1 strongly disagree ... 5 strongly agree")


class DraftingAmendmentIn(Strict):
    paragraph: str = Field(max_length=16)
    text: str = Field(max_length=20000, description="the new wording of the paragraph")
    reason: str = Field(max_length=5000)


class DraftingDecisionIn(Strict):
    accept: bool
    reason: str | None = Field(None, max_length=5000, description="required to reject")


class DraftingStateIn(Strict):
    state: Literal["writing", "consultation", "adopted", "published"]
    decision: str | None = Field(None, max_length=2000,
                                 description="adopted: the vote or decision, e.g. '14 for, 2 "
                                             "against, council of 12 March'")


class DraftingParagraphOut(BaseModel):
    id: str
    text: str


class DraftingDraftOut(BaseModel):
    id: int
    title: str
    version: int
    state: str
    paragraphs: list[DraftingParagraphOut]
    body: str
    merged: bool = False
    decision: str
    adopted_at: dt.datetime | None
    created_at: dt.datetime
    updated_at: dt.datetime
    url: str


class DraftingDraftSummary(BaseModel):
    id: int
    title: str
    version: int
    state: str
    updated_at: dt.datetime
    url: str


class DraftingVersionOut(BaseModel):
    number: int
    author: str | None
    note: str
    created_at: dt.datetime
    base: int | None
    merged: bool
    restored_from: int | None
    amendment: int | None


class DraftingDiffParagraph(BaseModel):
    id: str
    status: Literal["same", "changed", "inserted", "deleted"]
    ops: list[list[str]] = Field(description="[op, text]: op is '=', '-' or '+'")


class DraftingDiffOut(BaseModel):
    from_: int = Field(alias="from")
    to: int
    paragraphs: list[DraftingDiffParagraph]


class DraftingCommentOut(BaseModel):
    id: int
    paragraph: str
    original_paragraph: str
    quote: str
    body: str
    author: str | None
    parent: int | None
    state: Literal["anchored", "moved", "changed", "outdated"]
    outdated: bool
    resolved: bool
    version: int
    created_at: dt.datetime
    edited_at: dt.datetime | None = Field(
        None, description="when its author last corrected it; null: never")


class DraftingRatingOut(BaseModel):
    paragraph: str
    agreement: int
    distribution: list[int] = Field(description="counts of 1 ... 5")


class DraftingAmendmentOut(BaseModel):
    id: int
    paragraph: str
    version: int
    original: str
    text: str
    reason: str
    author: str | None
    status: Literal["open", "accepted", "rejected"]
    decision_reason: str
    decided_at: dt.datetime | None
    applied_version: int | None
    created_at: dt.datetime


def _fail(exc: service.DraftingError):
    details = exc.details if exc.details is not None else (
        {"field": exc.field} if exc.field else None)
    return placette.ApiError(exc.status, exc.code, exc.message, details)


def draft_out(space, draft: Draft, merged: bool = False) -> dict:
    version = service.version_of(draft)
    return {"id": draft.id, "title": draft.title, "version": draft.version, "state": draft.state,
            "paragraphs": version.paragraphs, "body": version.body, "merged": merged,
            "decision": draft.decision, "adopted_at": draft.adopted_at,
            "created_at": draft.created_at, "updated_at": draft.updated_at,
            "url": service.draft_url(space, draft)}


def comment_out(c: Comment) -> dict:
    author = c.author if c.author_id is not None else None
    return {"id": c.id, "paragraph": c.at_paragraph, "original_paragraph": c.paragraph,
            "quote": c.quote, "body": c.body,
            "author": author.display_name if author is not None else None,
            "parent": c.parent_id, "state": c.anchor_state,
            "outdated": c.anchor_state == "outdated", "resolved": c.resolved_at is not None,
            "version": c.version, "created_at": c.created_at, "edited_at": c.edited_at}


def amendment_out(a) -> dict:
    author = a.author if a.author_id is not None else None
    return {"id": a.id, "paragraph": a.paragraph, "version": a.version, "original": a.original,
            "text": a.text, "reason": a.reason,
            "author": author.display_name if author is not None else None,
            "status": a.status, "decision_reason": a.decision_reason,
            "decided_at": a.decided_at, "applied_version": a.applied_version,
            "created_at": a.created_at}


def _draft(space, draft_id) -> Draft:
    if not placette.can(current_user, "drafting.view", space):
        raise placette.ApiError(404, "not_found", "not found")
    try:
        return service.draft_in(space, draft_id, current_user)
    except service.DraftingError as exc:
        raise _fail(exc) from None


def _int_arg(name: str) -> int | None:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return None
    value = placette.parse_id(raw)
    if value is None:
        raise placette.ApiError(400, "bad_request", f"{name} must be a version number",
                                {"field": name})
    return value


def register(api) -> None:
    route = api.space_route

    @route("drafting", "/drafts", response=list[DraftingDraftSummary],
           summary="Draft opinions of a space the caller may see, latest change first")
    def list_drafts(space):
        return [{"id": d.id, "title": d.title, "version": d.version, "state": d.state,
                 "updated_at": d.updated_at, "url": service.draft_url(space, d)}
                for d in service.drafts_of(space, current_user)]

    @route("drafting", "/drafts", methods=["POST"], body=DraftingDraftIn, response=DraftingDraftOut,
           status=201, auth="required", summary="Start a draft opinion (version 1, writing)")
    def create_draft(space, body: DraftingDraftIn):
        try:
            draft = service.create_draft(space, current_user, body.title, body.body)
        except service.DraftingError as exc:
            raise _fail(exc) from None
        return draft_out(space, draft), 201

    @route("drafting", "/drafts/<int:draft_id>", response=DraftingDraftOut,
           summary="A draft: its current version's paragraphs with their ids")
    def get_draft(space, draft_id):
        return draft_out(space, _draft(space, draft_id))

    @route("drafting", "/drafts/<int:draft_id>", methods=["PUT"], body=DraftingSaveIn,
           response=DraftingDraftOut, auth="required",
           summary="Save a new version written from base_version (merged with saves made "
                   "since; 409 conflict with the paragraphs both changed)")
    def save_draft(space, draft_id, body: DraftingSaveIn):
        draft = _draft(space, draft_id)
        try:
            _version, merged = service.save(draft, current_user, body.body, body.base_version,
                                            body.note or "")
        except service.DraftingError as exc:
            raise _fail(exc) from None
        return draft_out(space, draft, merged)

    @route("drafting", "/drafts/<int:draft_id>/versions", response=list[DraftingVersionOut],
           summary="Every version, newest first, with its author and note")
    def list_versions(space, draft_id):
        draft = _draft(space, draft_id)
        return [{"number": v.number, "note": v.note, "created_at": v.created_at,
                 "author": v.author.display_name if v.author_id else None, "base": v.base,
                 "merged": bool(v.merged), "restored_from": v.restored_from,
                 "amendment": v.amendment} for v in service.versions_of(draft)]

    @route("drafting", "/drafts/<int:draft_id>/versions/<int:number>/restore",
           methods=["POST"], response=DraftingDraftOut, auth="required",
           summary="Make an old version current again, as a new version (drafting group)")
    def restore_version(space, draft_id, number):
        draft = _draft(space, draft_id)
        try:
            service.restore(draft, current_user, number)
        except service.DraftingError as exc:
            raise _fail(exc) from None
        return draft_out(space, draft)

    @route("drafting", "/drafts/<int:draft_id>/diff", response=DraftingDiffOut,
           query={"from": "version number (default: the one before 'to')",
                  "to": "version number (default: the current one)"},
           summary="Words inserted and deleted between two versions, paragraph by paragraph")
    def get_diff(space, draft_id):
        draft = _draft(space, draft_id)
        new = _int_arg("to") or draft.version
        old = _int_arg("from") or max(1, new - 1)
        try:
            found = service.diff(draft, old, new)
        except service.DraftingError as exc:
            raise _fail(exc) from None
        return {"from": old, "to": new, "paragraphs": found}

    @route("drafting", "/drafts/<int:draft_id>/comments", response=list[DraftingCommentOut],
           summary="Comments and replies, oldest first, each with its anchoring state")
    def list_comments(space, draft_id):
        draft = _draft(space, draft_id)
        return [comment_out(c) for c in service.comments_of(draft, current_user)]

    @route("drafting", "/drafts/<int:draft_id>/comments", methods=["POST"], body=DraftingCommentIn,
           response=DraftingCommentOut, status=201, auth="required",
           summary="Comment on a paragraph or a quoted passage of it (or reply)")
    def post_comment(space, draft_id, body: DraftingCommentIn):
        draft = _draft(space, draft_id)
        try:
            row = service.comment(draft, current_user, body.paragraph, body.body, body.quote,
                                  body.parent)
        except service.DraftingError as exc:
            raise _fail(exc) from None
        row.author = current_user._get_current_object()
        return comment_out(row), 201

    @route("drafting", "/drafts/<int:draft_id>/comments/<int:comment_id>", methods=["PATCH"],
           body=DraftingCommentPatch, response=DraftingCommentOut, auth="required",
           summary="Correct one's own comment or reply (its author, during the consultation); "
                   "its moderation state is kept")
    def patch_comment(space, draft_id, comment_id, body: DraftingCommentPatch):
        draft = _draft(space, draft_id)
        try:
            row = service.edit_comment(draft, current_user, comment_id, body.body)
        except service.DraftingError as exc:
            raise _fail(exc) from None
        row.author = current_user._get_current_object()
        return comment_out(row)

    @route("drafting", "/drafts/<int:draft_id>/paragraphs/<pid>/rating", methods=["PUT"],
           body=DraftingRatingIn, response=DraftingRatingOut, auth="required",
           summary="Rate one's agreement with a paragraph (1 to 5); answers its distribution")
    def put_rating(space, draft_id, pid, body: DraftingRatingIn):
        draft = _draft(space, draft_id)
        try:
            distribution = service.rate(draft, current_user, pid, body.agreement)
        except service.DraftingError as exc:
            raise _fail(exc) from None
        return {"paragraph": pid, "agreement": body.agreement, "distribution": distribution}

    @route("drafting", "/drafts/<int:draft_id>/amendments", response=list[DraftingAmendmentOut],
           summary="Amendments with their fate, oldest first")
    def list_amendments(space, draft_id):
        draft = _draft(space, draft_id)
        return [amendment_out(a) for a in service.amendments_of(draft)]

    @route("drafting", "/drafts/<int:draft_id>/amendments", methods=["POST"],
           body=DraftingAmendmentIn, response=DraftingAmendmentOut, status=201, auth="required",
           summary="Propose a new wording for a paragraph, with a reason")
    def post_amendment(space, draft_id, body: DraftingAmendmentIn):
        draft = _draft(space, draft_id)
        try:
            row = service.amend(draft, current_user, body.paragraph, body.text, body.reason)
        except service.DraftingError as exc:
            raise _fail(exc) from None
        row.author = current_user._get_current_object()
        return amendment_out(row), 201

    @route("drafting", "/drafts/<int:draft_id>/amendments/<int:amendment_id>/decision",
           methods=["POST"], body=DraftingDecisionIn, response=DraftingAmendmentOut,
           auth="required",
           summary="Accept (applied as a new version, credited) or reject with a reason")
    def post_decision(space, draft_id, amendment_id, body: DraftingDecisionIn):
        draft = _draft(space, draft_id)
        try:
            row = service.decide(draft, current_user, amendment_id, body.accept,
                                 body.reason or "")
        except service.DraftingError as exc:
            raise _fail(exc) from None
        return amendment_out(row)

    @route("drafting", "/drafts/<int:draft_id>/state", methods=["POST"], body=DraftingStateIn,
           response=DraftingDraftOut, auth="required",
           summary="Take the next step: consultation, adopted (with the decision), published")
    def post_state(space, draft_id, body: DraftingStateIn):
        draft = _draft(space, draft_id)
        try:
            service.change_state(draft, current_user, body.state, body.decision or "")
        except service.DraftingError as exc:
            raise _fail(exc) from None
        return draft_out(space, draft)

    def _export(space, draft_id, kind: str):
        draft = _draft(space, draft_id)
        try:
            data, name = exports.export(space, draft, _int_arg("version"), kind)
        except service.DraftingError as exc:
            raise _fail(exc) from None
        mimetype = ODT if kind == "odt" else "application/pdf"
        return Response(data, mimetype=mimetype, headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "private, no-store"})

    @route("drafting", "/drafts/<int:draft_id>/export.odt", content_type=ODT,
           query={"version": "version number (default: the current one)"},
           summary="A version as an OpenDocument text, with council, date, version and "
                   "contributors")
    def export_odt(space, draft_id):
        return _export(space, draft_id, "odt")

    @route("drafting", "/drafts/<int:draft_id>/export.pdf", content_type="application/pdf",
           query={"version": "version number (default: the current one)"},
           summary="A version as PDF, with council, date, version and contributors")
    def export_pdf(space, draft_id):
        return _export(space, draft_id, "pdf")
