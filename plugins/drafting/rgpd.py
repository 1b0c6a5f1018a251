"""Privacy: what a person's data export holds, and what erasing an account does.

Erasing keeps the text of the opinion (a council's work, credited to "former member" from then
on) and the comments' threads; it removes the person's name everywhere, their ratings, and the
text of their comments (replaced by nothing: the comment shows as removed).
"""
from __future__ import annotations

import placette

from .models import Amendment, Comment, Draft, Rating, Version


def export(user) -> dict:
    return {
        "versions": [{"draft": v.draft_id, "number": v.number, "note": v.note,
                      "created_at": v.created_at.isoformat()}
                     for v in Version.select(Version.draft, Version.number, Version.note,
                                             Version.created_at)
                     .where(Version.author == user.id).order_by(Version.id)],
        "comments": [{"draft": c.draft_id, "paragraph": c.paragraph, "quote": c.quote,
                      "body": c.body, "created_at": c.created_at.isoformat(),
                      "edited_at": c.edited_at.isoformat() if c.edited_at else None}
                     for c in Comment.select().where(Comment.author == user.id)
                     .order_by(Comment.id)],
        "ratings": [{"draft": r.draft_id, "paragraph": r.paragraph, "agreement": r.agreement}
                    for r in Rating.select().where(Rating.user == user.id).order_by(Rating.id)],
        "amendments": [{"draft": a.draft_id, "paragraph": a.paragraph, "text": a.text,
                        "reason": a.reason, "status": a.status,
                        "created_at": a.created_at.isoformat()}
                       for a in Amendment.select().where(Amendment.author == user.id)
                       .order_by(Amendment.id)],
    }


def erase(user) -> None:
    Rating.delete().where(Rating.user == user.id).execute()
    for c in Comment.select(Comment.id).where(Comment.author == user.id):
        placette.withdraw_resource("drafting", "comment", c.id)
    Comment.update(author=None, body="").where(Comment.author == user.id).execute()
    Version.update(author=None).where(Version.author == user.id).execute()
    Amendment.update(author=None).where(Amendment.author == user.id).execute()
    Amendment.update(decided_by=None).where(Amendment.decided_by == user.id).execute()
    Comment.update(resolved_by=None).where(Comment.resolved_by == user.id).execute()
    Draft.update(author=None).where(Draft.author == user.id).execute()
