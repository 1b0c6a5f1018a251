"""What voting offers the public window (the showcase plugin): the results of closed polls,
as the public will read them once frozen -- a results table, and one record of the "results"
open-data set."""
from __future__ import annotations

import datetime as dt

import placette
from markupsafe import escape

from . import service
from .models import Poll

KIND = "poll"


def _closed_at(poll: Poll) -> dt.datetime | None:
    moment = poll.closed_at or poll.closes_at
    return moment.replace(tzinfo=dt.timezone.utc) if moment else None


def _offer(poll: Poll, resource) -> placette.ShowcaseOffer:
    results = service.compute_results(poll)
    label = {row["id"]: row["label"] for row in results["options"]}
    counted = "count" if poll.kind in ("single", "multiple", "approval", "yes_no", "ranking") \
        else "mean"
    rows = "".join(
        f"<tr><td>{row['rank']}</td><th scope=\"row\">{escape(row['label'])}</th>"
        f"<td>{escape(row.get(counted) if row.get(counted) is not None else '')}</td></tr>"
        for row in results["options"])
    heading = escape(placette._("Votes") if counted == "count" else placette._("Mean"))
    caption, rank, option = (escape(placette._("Results by option")),
                             escape(placette._("Rank")), escape(placette._("Option")))
    body = str(placette.render_markdown(poll.description)) if poll.description else ""
    body += (f"<table><caption>{caption}</caption><thead><tr>"
             f"<th scope=\"col\">{rank}</th><th scope=\"col\">{option}</th>"
             f"<th scope=\"col\">{heading}</th></tr></thead><tbody>{rows}</tbody></table>")
    winner = label.get(results["winner"]) if results["winner"] else None
    summary = placette.ngettext("%(num)s ballot cast out of %(total)s people who may vote.",
                                "%(num)s ballots cast out of %(total)s people who may vote.",
                                results["ballots"], total=results["eligible"])
    if winner:
        summary += " " + placette._("First: %(option)s", option=winner)
    return placette.ShowcaseOffer(
        resource=resource, category="results", title=poll.title, body_html=body,
        summary=summary, decided_at=_closed_at(poll), dataset="results",
        data={"kind": poll.kind, "ballots": results["ballots"],
              "eligible": results["eligible"], "winner": winner or "",
              "options": "; ".join(f"{row['label']}: {row.get(counted)}"
                                   for row in results["options"])})


def _readable(space, actor) -> bool:
    return (space is not None and placette.is_enabled(space, "voting")
            and placette.can(actor, "voting.view", space))


def showcase(space, actor) -> list[placette.ShowcaseOffer]:
    """Offers for the space's closed polls (their results are public to readers of the space),
    newest first; none where the module is off or the space cannot be read."""
    if not _readable(space, actor):
        return []
    now = placette.utcnow()
    closed = list(Poll.select().where((Poll.space == space.id) & (
        Poll.closed_at.is_null(False) | (Poll.closes_at <= now))).order_by(Poll.id.desc())
        .limit(10))
    if not closed:
        return []
    rows = {r.object_id: r for r in placette.Resource.select().where(
        (placette.Resource.plugin == "voting") & (placette.Resource.kind == KIND)
        & placette.Resource.object_id.in_([str(p.id) for p in closed]))}
    return [_offer(p, rows[str(p.id)]) for p in closed if str(p.id) in rows]


def showcase_item(resource, actor) -> placette.ShowcaseOffer | None:
    """The offer for one closed poll; None for a proposal, an open poll, or a reader who may
    not see the space."""
    if resource.plugin != "voting" or resource.kind != KIND:
        return None
    space = placette.Space.get_by_id(resource.space_id)
    if not _readable(space, actor):
        return None
    poll = Poll.get_or_none((Poll.id == int(resource.object_id)) & (Poll.space == space.id))
    if poll is None or service.state(poll) != "closed":
        return None
    return _offer(poll, resource)
