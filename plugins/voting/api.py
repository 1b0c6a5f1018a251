"""The voting JSON API, under ``/api/v1/spaces/<slug>/voting/`` (in the OpenAPI document).

Whatever the caller may not see answers 404; a refused ballot answers 4xx with a stable code and
nothing is counted (see :mod:`.service`).
"""
from __future__ import annotations

import datetime as dt
from typing import Literal

import placette
from flask_login import current_user
from pydantic import BaseModel, ConfigDict, Field

from . import grades, service
from .models import Poll, Proposal

Grade = int  # validated against the poll's scale by the service (a clear grade_out_of_range)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PollIn(Strict):
    title: placette.OneLineStr = Field(min_length=1, max_length=200)
    description: str = Field("", max_length=20000, description="Markdown")
    kind: Literal["single", "multiple", "yes_no", "approval", "ranking", "rating",
                  "majority_judgment"]
    scale: Literal["agreement", "importance"] | None = Field(
        None, description="rating polls: agreement (5 levels) or importance (4 levels)")
    options: list[placette.OneLineStr] = Field(default_factory=list, max_length=50,
                               description="labels; none for yes_no")
    proposal_ids: list[placette.Id] = Field(default_factory=list, max_length=50,
                                            description="proposals turned into options")
    opens_at: dt.datetime | None = Field(None, description="default: now")
    closes_at: dt.datetime | None = None
    secret: bool = True
    changeable: bool = False
    results: Literal["live", "after_close"] = "after_close"
    eligible: list[Literal["guest", "member", "animator", "admin"]] = Field(
        default_factory=lambda: ["member", "animator", "admin"], max_length=4)


class BallotIn(Strict):
    choice: placette.Id | Literal["yes", "no", "abstain"] | None = Field(
        None, description="single: an option id; yes_no: yes, no or abstain")
    choices: list[placette.Id] | None = Field(None, max_length=50,
                                              description="multiple, approval")
    ranking: list[placette.Id] | None = Field(None, max_length=50,
                                              description="ranking: option ids, best first")
    grades: dict[str, int] | None = Field(
        None, max_length=50,
        description="rating, majority_judgment: option id -> grade index, 0 = best grade")
    receipt: str | None = Field(None, max_length=20,
                                description="changing a secret ballot: its receipt code")


class ProposalIn(Strict):
    title: placette.OneLineStr = Field(min_length=1, max_length=200)
    body: str = Field("", max_length=20000)


class AnswerIn(Strict):
    status: Literal["accepted", "studied", "rejected"]
    reason: str = Field(min_length=1, max_length=5000)


class OptionOut(BaseModel):
    id: int
    label: str


class PollOut(BaseModel):
    id: int
    title: str
    description: str
    kind: str
    scale: str
    grades: list[str]
    state: Literal["scheduled", "open", "closed"]
    opens_at: dt.datetime
    closes_at: dt.datetime | None
    secret: bool
    changeable: bool
    results: str
    results_visible: bool
    eligible: list[str]
    eligible_count: int
    turnout: int
    options: list[OptionOut]
    has_voted: bool
    may_vote: bool
    url: str


class ReceiptOut(BaseModel):
    receipt: str
    changed: bool


class ResultOption(BaseModel):
    id: int
    label: str
    count: int | None = None
    grades: list[int] | None = None
    mean: float | None = None
    majority_grade: int | None = None
    rank: int


class ResultsOut(BaseModel):
    ballots: int
    eligible: int
    options: list[ResultOption]
    winner: int | None
    condorcet_winner: int | None = None


class PublishedBallot(BaseModel):
    receipt: str
    choices: list[int] | None = None
    ranking: list[int] | None = None
    grades: dict[str, int] | None = None


class ProposalOut(BaseModel):
    id: int
    title: str
    body: str
    status: str
    reason: str
    supports: int
    threshold: int
    answered_at: dt.datetime | None
    created_at: dt.datetime


class SupportOut(BaseModel):
    supports: int


def _fail(exc: service.VotingError):
    return placette.ApiError(exc.status, exc.code, exc.message,
                             {"field": exc.field} if exc.field else None)


def _viewable(space) -> None:
    if not placette.can(current_user, "voting.view", space):
        raise placette.ApiError(404, "not_found", "not found")


def _poll_or_404(space, poll_id: int) -> Poll:
    _viewable(space)
    poll = service.poll_in(space, poll_id)
    if poll is None:
        raise placette.ApiError(404, "not_found", "not found")
    return service.freeze_if_open(poll)


def poll_out(space, poll: Poll, facts: dict | None = None) -> dict:
    """A poll as the API answers it; ``facts`` (from :func:`service.list_facts`) lets a list
    answer many polls with a fixed number of queries."""
    if facts is None:
        facts = service.list_facts([poll], current_user)
    options = facts["options"].get(poll.id, [])
    voted = poll.id in facts["voted"]
    eligible = poll.id in facts["eligible"]
    return {
        "id": poll.id, "title": poll.title, "description": poll.description, "kind": poll.kind,
        "scale": poll.scale, "grades": [str(g) for g in grades.scale_of(poll)],
        "state": service.state(poll), "opens_at": poll.opens_at, "closes_at": poll.closes_at,
        "secret": poll.secret, "changeable": poll.changeable, "results": poll.results,
        "results_visible": service.results_visible(poll), "eligible": poll.eligible_roles,
        "eligible_count": poll.eligible_count, "turnout": facts["turnout"].get(poll.id, 0),
        "options": [{"id": o.id, "label": grades.option_label(o)} for o in options],
        "has_voted": voted,
        "may_vote": (service.state(poll) == "open" and eligible
                     and (poll.changeable or not voted)),
        "url": service.poll_url(space, poll),
    }


def _results_or_403(poll: Poll) -> None:
    if not service.results_visible(poll):
        raise placette.ApiError(403, "results_hidden",
                                "results are published when the vote closes",
                                {"ballots": service.turnout(poll),
                                 "eligible": poll.eligible_count})


def proposal_out(space, proposal: Proposal, supports: int) -> dict:
    return {"id": proposal.id, "title": proposal.title, "body": proposal.body,
            "status": proposal.status, "reason": proposal.reason, "supports": supports,
            "threshold": placette.settings_of(space, "voting").support_threshold,
            "answered_at": proposal.answered_at, "created_at": proposal.created_at}


def register(api) -> None:
    @api.space_route("voting", "/polls", response=list[PollOut],
                     summary="Polls of a space, newest first")
    def list_polls(space):
        _viewable(space)
        polls = [service.freeze_if_open(p) for p in service.polls_of(space)]
        facts = service.list_facts(polls, current_user)
        return [poll_out(space, p, facts) for p in polls]

    @api.space_route("voting", "/polls", methods=["POST"], body=PollIn, response=PollOut,
                     status=201, auth="required", summary="Open a poll (animators)")
    def create_poll(space, body: PollIn):
        _viewable(space)
        placette.require(current_user, "voting.poll.manage", space)
        try:
            poll = service.create_poll(space, current_user, body.model_dump())
        except service.VotingError as exc:
            raise _fail(exc) from None
        return poll_out(space, poll), 201

    @api.space_route("voting", "/polls/<int:poll_id>", response=PollOut,
                     summary="A poll: its options, state and whether the caller has voted")
    def get_poll(space, poll_id):
        return poll_out(space, _poll_or_404(space, poll_id))

    @api.space_route("voting", "/polls/<int:poll_id>/ballot", methods=["PUT"], body=BallotIn,
                     response=ReceiptOut, auth="required",
                     summary="Cast (or change, where allowed) one's ballot; answers the receipt")
    def put_ballot(space, poll_id, body: BallotIn):
        poll = _poll_or_404(space, poll_id)
        try:
            return service.cast(poll, current_user, body.model_dump(exclude_none=True))
        except service.VotingError as exc:
            raise _fail(exc) from None

    @api.space_route("voting", "/polls/<int:poll_id>/close", methods=["POST"],
                     response=PollOut, auth="required", summary="Close a poll now (animators)")
    def close_poll(space, poll_id):
        poll = _poll_or_404(space, poll_id)
        placette.require(current_user, "voting.poll.manage", space)
        try:
            poll = service.close(poll, current_user)
        except service.VotingError as exc:
            raise _fail(exc) from None
        return poll_out(space, poll)

    @api.space_route("voting", "/polls/<int:poll_id>/results", response=ResultsOut,
                     statuses={403: "results are hidden until the vote closes (turnout in "
                                    "details)"},
                     summary="Results, computed from the ballots")
    def get_results(space, poll_id):
        poll = _poll_or_404(space, poll_id)
        _results_or_403(poll)
        return service.compute_results(poll)

    @api.space_route("voting", "/polls/<int:poll_id>/ballots", response=list[PublishedBallot],
                     statuses={403: "ballots are published when the vote closes"},
                     summary="Every ballot with its receipt code, no names")
    def list_ballots(space, poll_id):
        poll = _poll_or_404(space, poll_id)
        if service.state(poll) != "closed":
            # Even with live results: a receipt code is what changes a secret ballot while the
            # vote is open, so the codes are published only once nothing can change.
            raise placette.ApiError(403, "ballots_not_published",
                                    "ballots are published when the vote closes",
                                    {"ballots": service.turnout(poll),
                                     "eligible": poll.eligible_count})
        return service.published_ballots(poll)

    @api.space_route("voting", "/proposals", response=list[ProposalOut],
                     summary="Proposals of a space, newest first")
    def list_proposals(space):
        _viewable(space)
        return [proposal_out(space, p, p.supports) for p in service.proposals_of(space)]

    @api.space_route("voting", "/proposals", methods=["POST"], body=ProposalIn,
                     response=ProposalOut, status=201, auth="required",
                     summary="Add a proposal to the space's call")
    def create_proposal(space, body: ProposalIn):
        _viewable(space)
        placette.require(current_user, "voting.proposal.create", space)
        try:
            proposal = service.propose(space, current_user, body.title, body.body)
        except service.VotingError as exc:
            raise _fail(exc) from None
        return proposal_out(space, proposal, 0), 201

    def _proposal_or_404(space, proposal_id):
        _viewable(space)
        proposal = service.proposal_in(space, proposal_id)
        if proposal is None:
            raise placette.ApiError(404, "not_found", "not found")
        return proposal

    @api.space_route("voting", "/proposals/<int:proposal_id>/support", methods=["PUT"],
                     response=SupportOut, auth="required",
                     summary="Support a proposal (once per person)")
    def support_proposal(space, proposal_id):
        proposal = _proposal_or_404(space, proposal_id)
        placette.require(current_user, "voting.proposal.support", space)
        try:
            return {"supports": service.support(proposal, current_user)}
        except service.VotingError as exc:
            raise _fail(exc) from None

    @api.space_route("voting", "/proposals/<int:proposal_id>/answer", methods=["POST"],
                     body=AnswerIn, response=ProposalOut, auth="required",
                     summary="Answer a proposal, with a public reason (animators)")
    def answer_proposal(space, proposal_id, body: AnswerIn):
        proposal = _proposal_or_404(space, proposal_id)
        placette.require(current_user, "voting.proposal.answer", space)
        try:
            proposal = service.answer(proposal, current_user, body.status, body.reason)
        except service.VotingError as exc:
            raise _fail(exc) from None
        return proposal_out(space, proposal, service.support_count(proposal))
