"""Topics: a title and a first post, replies, pinned and closed, in one space or several.

A topic posted in several spaces ("mobility", for ten councils) has one row in
``discussions_topic_space`` per space: it is listed in each and readable by whoever may read one
of them -- through any of those spaces' addresses.  Other spaces are never named to someone who
may not see them.
"""
from __future__ import annotations

from typing import Any

import placette
from peewee import JOIN

from .models import Topic, TopicPost, TopicRead, TopicSpace
from .service import AUTHOR, PLUGIN, DiscussionError, clean_body, clean_title, not_found

_ = placette._
READ = TopicRead.alias("mine")
PER_PAGE = 30


def topics_of(space, actor: Any, page: int = 1) -> tuple[list[Topic], int]:
    """A space's topics, pinned first then by last activity, with the reader's unread marker:
    two queries (the page, the total), whatever the number of topics."""
    user_id = actor.id if getattr(actor, "is_authenticated", False) else 0
    base = (Topic.select(Topic.id).join(TopicSpace, on=(TopicSpace.topic == Topic.id))
            .where(TopicSpace.space == space.id))
    total = base.count()
    query = (Topic.select(Topic, AUTHOR, READ)
             .join(TopicSpace, on=(TopicSpace.topic == Topic.id))
             .join_from(Topic, AUTHOR, JOIN.LEFT_OUTER, on=(Topic.author == AUTHOR.id))
             .join_from(Topic, READ, JOIN.LEFT_OUTER,
                        on=((READ.topic == Topic.id) & (READ.user == user_id)))
             .where(TopicSpace.space == space.id)
             .order_by(Topic.pinned.desc(), Topic.last_activity_at.desc(), Topic.id.desc())
             .paginate(max(page, 1), PER_PAGE))
    return list(query), total


def is_unread(topic: Topic, actor: Any) -> bool:
    if not getattr(actor, "is_authenticated", False):
        return False
    read = getattr(topic, "mine", None)
    read_at = read.read_at if read is not None and read.id is not None else None
    return read_at is None or read_at < topic.last_activity_at


def topic_or_404(space, topic_id: int) -> Topic:
    if not 0 < topic_id <= placette.MAX_ID:
        raise not_found()
    topic = (Topic.select(Topic, AUTHOR)
             .join(TopicSpace, on=(TopicSpace.topic == Topic.id))
             .join_from(Topic, AUTHOR, JOIN.LEFT_OUTER, on=(Topic.author == AUTHOR.id))
             .where((Topic.id == topic_id) & (TopicSpace.space == space.id)).first())
    if topic is None:
        raise not_found()
    return topic


def posts_of(topic: Topic) -> list[TopicPost]:
    return list(TopicPost.select(TopicPost, AUTHOR)
                .join_from(TopicPost, AUTHOR, JOIN.LEFT_OUTER, on=(TopicPost.author == AUTHOR.id))
                .where(TopicPost.topic == topic.id).order_by(TopicPost.created_at, TopicPost.id))


def spaces_seen(topic: Topic, actor: Any) -> list:
    """The spaces listing the topic that ``actor`` may read -- never the others."""
    Space = placette.Space
    return list(placette.visible(Space.select(Space.id, Space.slug, Space.name)
                                 .join(TopicSpace, on=(TopicSpace.space == Space.id))
                                 .where(TopicSpace.topic == topic.id), actor)
                .order_by(Space.name))


def postable_spaces(actor: Any) -> list:
    """Spaces where ``actor`` may start a topic (for the form's checkboxes)."""
    if not getattr(actor, "is_authenticated", False):
        return []
    Space, Module = placette.Space, placette.Module
    query = placette.visible(
        Space.select().join(Module, on=(Module.space == Space.id))
        .where((Module.plugin == PLUGIN) & (Module.enabled == True)), actor)  # noqa: E712
    return [s for s in query.order_by(Space.name)
            if placette.can(actor, "discussions.topic.create", s)]


def _spaces_for(actor: Any, home, slugs: list[str]) -> list:
    spaces = [home]
    allowed = {s.slug: s for s in postable_spaces(actor)}
    for slug in slugs:
        if slug == home.slug:
            continue
        space = allowed.get(slug)
        if space is None:
            # unknown, unreadable or not allowed: one answer, so that nothing leaks
            raise DiscussionError(422, "space_not_allowed",
                                  _("You may not post in the space %(slug)s.", slug=slug[:63]))
        if space not in spaces:
            spaces.append(space)
    return spaces


def create_topic(actor: Any, home, title: Any, body: Any, also_in: list[str] = (),
                 notify: bool = True) -> Topic:
    if not getattr(actor, "is_authenticated", False):
        raise DiscussionError(401, "unauthorized", _("Sign in to start a topic."))
    if not placette.can(actor, "discussions.topic.create", home):
        raise DiscussionError(403, "forbidden", _("You may not start a topic here."))
    title, body = clean_title(title), clean_body(body)
    spaces = _spaces_for(actor, home, list(also_in or ()))
    with placette.atomic():
        topic = Topic.create(space=home.id, author=actor.id, title=title, body=body)
        for space in spaces:
            TopicSpace.create(topic=topic.id, space=space.id)
        placette.publish_resource(PLUGIN, "topic", topic.id, space=home, title=title,
                                  url=f"/s/{home.slug}/discussions/topics/{topic.id}",
                                  author=actor, summary=placette.plain_text(body)[:1000])
        mark_read(actor, topic)
        for space in spaces if notify else ():
            placette.emit("discussions.topic.created", space=space,
                          data={"url": f"/s/{space.slug}/discussions/topics/{topic.id}",
                                "title": title})
    return topic


def reply(actor: Any, topic: Topic, body: Any) -> TopicPost:
    if not getattr(actor, "is_authenticated", False):
        raise DiscussionError(401, "unauthorized", _("Sign in to reply."))
    if topic.closed:
        raise DiscussionError(409, "closed", _("This topic is closed."))
    body = clean_body(body)
    with placette.atomic():
        post = TopicPost.create(topic=topic.id, author=actor.id, body=body)
        now = placette.utcnow()
        Topic.update(last_activity_at=now, post_count=Topic.post_count + 1).where(
            Topic.id == topic.id).execute()
        topic.last_activity_at = now
        mark_read(actor, topic)
    return post


def mark_read(actor: Any, topic: Topic) -> None:
    if not getattr(actor, "is_authenticated", False):
        return
    now = placette.utcnow()
    updated = TopicRead.update(read_at=now).where(
        (TopicRead.user == actor.id) & (TopicRead.topic == topic.id)).execute()
    if not updated:
        TopicRead.create(user=actor.id, topic=topic.id, read_at=now)


def set_flags(actor: Any, topic: Topic, space, pinned: bool | None = None,
              closed: bool | None = None) -> Topic:
    if not placette.can(actor, "discussions.moderate", space):
        raise DiscussionError(403, "forbidden", _("Only animators pin or close topics."))
    if pinned is not None:
        topic.pinned = pinned
    if closed is not None:
        topic.closed = closed
    topic.save()
    return topic
