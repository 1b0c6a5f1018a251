"""Privacy: what a person's data export holds, and what erasing an account does.

A secret ballot holds no voter, so it can never appear in an export: the export says in which
polls the person voted, and shows the content only of public ballots.  Erasing an account keeps
every ballot and support (the tallies do not change) and removes the person from them.
"""
from __future__ import annotations

from .models import Ballot, Eligible, Participation, Poll, Proposal, Support


def export(user) -> dict:
    voted = (Poll.select(Poll.id, Poll.title, Poll.secret)
             .join(Participation, on=(Participation.poll == Poll.id))
             .where(Participation.voter == user.id).order_by(Poll.id))
    public = {b.poll_id: b for b in Ballot.select().where(Ballot.voter == user.id)}
    return {
        "votes": [{"poll": p.id, "title": p.title, "secret": p.secret,
                   "ballot": (dict(public[p.id].content, receipt=public[p.id].receipt)
                              if p.id in public else None)} for p in voted],
        "proposals": [{"id": p.id, "title": p.title, "body": p.body, "status": p.status,
                       "created_at": p.created_at.isoformat()}
                      for p in Proposal.select().where(Proposal.author == user.id)],
        "supports": [s.proposal_id for s in Support.select().where(Support.user == user.id)],
    }


def erase(user) -> None:
    Ballot.update(voter=None).where(Ballot.voter == user.id).execute()
    Participation.update(voter=None).where(Participation.voter == user.id).execute()
    Support.update(user=None).where(Support.user == user.id).execute()
    Proposal.update(author=None).where(Proposal.author == user.id).execute()
    Poll.update(author=None).where(Poll.author == user.id).execute()
    Eligible.delete().where(Eligible.user == user.id).execute()
