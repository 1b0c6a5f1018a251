"""What the discussions keep about a person: their data download, and erasure.

Erasure keeps the conversations readable: the person's comments and posts stay, signed
"former member" (their author is set to nothing); their follows and read markers go.
"""
from __future__ import annotations

import placette

from .models import Comment, Follow, Topic, TopicPost, TopicRead


def export(user) -> dict:
    iso = lambda d: d.isoformat() if d else None  # noqa: E731
    return {
        "comments": [{"id": c.id, "on": c.resource.key if c.resource_id else None,
                      "body": c.body, "stance": c.stance, "created_at": iso(c.created_at),
                      "edited_at": iso(c.edited_at), "removed_at": iso(c.removed_at)}
                     for c in Comment.select(Comment, placette.Resource)
                     .join(placette.Resource, on=(Comment.resource == placette.Resource.id))
                     .where(Comment.author == user.id).order_by(Comment.id)],
        "topics": [{"id": t.id, "title": t.title, "body": t.body,
                    "created_at": iso(t.created_at)}
                   for t in Topic.select().where(Topic.author == user.id).order_by(Topic.id)],
        "topic_posts": [{"id": p.id, "topic": p.topic_id, "body": p.body,
                         "created_at": iso(p.created_at)}
                        for p in TopicPost.select().where(TopicPost.author == user.id)
                        .order_by(TopicPost.id)],
        "following": [f.resource.key for f in Follow.select(Follow, placette.Resource)
                      .join(placette.Resource).where((Follow.user == user.id)
                                                     & (Follow.following == True))],  # noqa: E712
    }


def erase(user) -> None:
    Comment.update(author=None).where(Comment.author == user.id).execute()
    Comment.update(removed_by=None).where(Comment.removed_by == user.id).execute()
    Topic.update(author=None).where(Topic.author == user.id).execute()
    TopicPost.update(author=None).where(TopicPost.author == user.id).execute()
    Follow.delete().where(Follow.user == user.id).execute()
    TopicRead.delete().where(TopicRead.user == user.id).execute()
