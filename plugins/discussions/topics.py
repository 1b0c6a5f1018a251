"""Topics: a title and a first post, replies, pinned and closed, in one space or several.

A topic posted in several spaces ("mobility", for ten councils) has one row in
``discussions_topic_space`` per space: it is listed in each and readable by whoever may read one
of them -- through any of those spaces' addresses.  Other spaces are never named to someone who
may not see them.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import placette
from peewee import JOIN, SQL, Cast, fn

from .models import Rendered, Topic, TopicPost, TopicRead, TopicSpace, rendered
from .service import (AUTHOR, PLUGIN, DiscussionError, Mentions, clean_body, clean_title,
                      follow, followers, mentions_in, not_found)

_ = placette._
READ = TopicRead.alias("mine")
PER_PAGE = 30


# What a list of topics shows of each (not the first post's text).
LISTED = (Topic.id, Topic.space, Topic.author, Topic.title, Topic.pinned, Topic.closed,
          Topic.created_at, Topic.last_activity_at, Topic.post_count)


def _with_read_marker(query, user_id):
    """Join the reader's read marker (select ``READ.read_at``): joined on something else than a
    foreign key, it is set on the topic under the model's name, ``topic.topicread`` (peewee's
    naming, which placette.prepared's rows keep), and left unset -- or empty -- when the reader
    never opened the topic: read it through :func:`read_at`."""
    return query.join_from(Topic, READ, JOIN.LEFT_OUTER,
                           on=((READ.topic == Topic.id) & (READ.user == user_id)))


def topics_of(space, actor: Any, page: int = 1) -> tuple[list[Topic], int]:
    """A space's topics, pinned first then by last activity, with the reader's unread marker:
    two queries (the page, the total), whatever the number of topics, their SQL written once
    per page number."""
    user_id = actor.id if getattr(actor, "is_authenticated", False) else 0
    page = max(page, 1)
    total = placette.prepared("discussions.topic_count", lambda sid: (
        Topic.select(fn.COUNT(Topic.id)).join(TopicSpace, on=(TopicSpace.topic == Topic.id))
        .where(TopicSpace.space == sid)), sid=space.id).scalar() or 0

    def build(page, sid, uid):
        return (_with_read_marker(
            Topic.select(*LISTED, AUTHOR.id, AUTHOR.display_name,
                         READ.read_at)
            .join(TopicSpace, on=(TopicSpace.topic == Topic.id))
            .join_from(Topic, AUTHOR, JOIN.LEFT_OUTER, on=(Topic.author == AUTHOR.id)), uid)
            .where(TopicSpace.space == sid)
            .order_by(Topic.pinned.desc(), Topic.last_activity_at.desc(), Topic.id.desc())
            .paginate(page, PER_PAGE))

    rows = placette.prepared("discussions.topics", build, page, sid=space.id,
                             uid=user_id).rows()
    return rows, total


def read_at(topic: Topic):
    """When the reader last opened the topic, as :func:`_with_read_marker` read it."""
    return getattr(getattr(topic, "topicread", None), "read_at", None)


def is_unread(topic: Topic, actor: Any) -> bool:
    if not getattr(actor, "is_authenticated", False):
        return False
    seen = read_at(topic)
    return seen is None or seen < topic.last_activity_at


def topic_or_404(space, topic_id: int, actor: Any = None) -> Topic:
    """The topic listed in ``space``, with its author's name and ``actor``'s read marker
    (the read marker: :func:`is_unread`, :func:`mark_seen`); SQL written once."""
    if not 0 < topic_id <= placette.MAX_ID:
        raise not_found()
    user_id = actor.id if getattr(actor, "is_authenticated", False) else 0

    def build(tid, sid, uid):
        return (_with_read_marker(
            Topic.select(Topic, AUTHOR.id, AUTHOR.display_name,
                         READ.read_at)
            .join(TopicSpace, on=(TopicSpace.topic == Topic.id))
            .join_from(Topic, AUTHOR, JOIN.LEFT_OUTER, on=(Topic.author == AUTHOR.id)), uid)
            .where((Topic.id == tid) & (TopicSpace.space == sid)).limit(1))

    rows = placette.prepared("discussions.topic", build, tid=topic_id, sid=space.id,
                             uid=user_id).rows()
    if not rows:
        raise not_found()
    return rows[0]


# A topic's replies are read a page at a time, oldest first (the reading order), so a page costs
# the same with 50 replies as with 5,000; a reply's own address (:func:`post_path`) finds its page.
POSTS_PER_PAGE = 50
HELD = placette.Resource.alias("held_post")
# "pending" as SQL text, like placette.held_back's "visible": a bound value here would make
# SQLite plan the statement again at each run (the registry's partial index may serve it).
_PENDING = SQL("'pending'")


def _shown(actor: Any, topic_id):
    """SQL: the topic's replies ``actor`` may know of -- all but those awaiting review that
    they may not see (one ``NOT IN`` over the registry's few non-visible rows, its partial
    index).  A reply hidden by moderation stays: it shows in place as "removed"."""
    held = (HELD.select(HELD.object_id)
            .where((HELD.plugin == PLUGIN) & (HELD.kind == "post") & placette.held_back(HELD)
                   & (HELD.state == _PENDING) & ~placette.moderation_clause(actor, HELD)))
    return (TopicPost.topic == topic_id) & Cast(TopicPost.id, "VARCHAR").not_in(held)


class PostView(Rendered):
    """What a topic page (and the API) shows of a reply, read as plain values: fifty replies'
    models and their authors' cost more to build than the page's queries (the comments of a
    thread are read the same way, :class:`placette_plugins.discussions.service.ThreadComment`).
    ``html`` is the models' own (:class:`~placette_plugins.discussions.models.Rendered`).
    """

    __slots__ = ("id", "topic_id", "author_id", "body", "body_html", "created_at", "edited_at",
                 "removed_at", "name", "pending", "hidden", "when", "iso")

    def __init__(self, row: tuple):
        (self.id, self.topic_id, self.author_id, self.body, self.body_html, self.created_at,
         self.edited_at, self.removed_at, self.name) = row


@dataclass
class PostPage:
    posts: list[PostView]
    total: int          # the replies ``actor`` may know of, on every page
    page: int = 1
    pages: int = 1


def posts_of(topic: Topic, actor: Any = None, page: int = 1,
             per_page: int = POSTS_PER_PAGE) -> PostPage:
    """One page of the topic's replies ``actor`` may see, oldest first: three queries whatever
    their number (the total, the page with its authors' names, the page's few non-visible
    registry rows).

    Each reply is published as a ``discussions.post`` resource, so pre-moderation and reports
    cover it: a reply awaiting review shows only to its author and the animators (marked
    ``post.pending``), one hidden by moderation stays in place as "removed" (``post.hidden``).
    A page past the last is the last."""
    viewer = placette.viewer_key(actor, moderation=True)

    def count(_viewer, tid):
        return TopicPost.select(fn.COUNT(TopicPost.id)).where(_shown(actor, tid))

    total = placette.prepared("discussions.post_count", count, viewer,
                              tid=topic.id).scalar() or 0
    pages = max(1, -(-total // per_page))
    page = min(max(page, 1), pages)

    def rows(_viewer, page, per_page, tid):
        # Only what a reply shows: its own columns and its author's name.
        return (TopicPost.select(TopicPost.id, TopicPost.topic, TopicPost.author,
                                 TopicPost.body, TopicPost.body_html, TopicPost.created_at,
                                 TopicPost.edited_at, TopicPost.removed_at,
                                 AUTHOR.display_name)
                .join_from(TopicPost, AUTHOR, JOIN.LEFT_OUTER,
                           on=(TopicPost.author == AUTHOR.id))
                .where(_shown(actor, tid)).order_by(TopicPost.created_at, TopicPost.id)
                .limit(per_page).offset((page - 1) * per_page))

    posts = [PostView(row) for row in placette.prepared(
        "discussions.post_rows", rows, viewer, page, per_page, tid=topic.id).tuples()]
    states = _moderated_posts([p.id for p in posts], actor)
    former = None
    for post in posts:
        state, _sees = states.get(post.id, ("visible", True))
        post.pending, post.hidden = state == "pending", state == "hidden"
        # What the page prints of each reply, made here rather than by a template call or
        # filter per reply (fifty of each on a page): the author's name, the date as shown
        # and as written for machines.
        if post.author_id is None or post.name is None:
            post.name = former = former or _("Former member")
        post.when = placette.format_datetime(post.created_at)
        post.iso = post.created_at.isoformat() + "Z"
    return PostPage(posts=posts, total=total, page=page, pages=pages)


def page_of_post(topic: Topic, post_id: int, actor: Any = None,
                 per_page: int = POSTS_PER_PAGE) -> int | None:
    """The page of ``topic`` showing the reply ``post_id`` to ``actor``, or ``None`` if it is
    not a reply of that topic they may know of (two queries)."""
    post = (TopicPost.select(TopicPost.id, TopicPost.created_at)
            .where(_shown(actor, topic.id) & (TopicPost.id == post_id)).first()
            if 0 < post_id <= placette.MAX_ID else None)
    if post is None:
        return None
    before = TopicPost.select(fn.COUNT(TopicPost.id)).where(
        _shown(actor, topic.id)
        & ((TopicPost.created_at < post.created_at)
           | ((TopicPost.created_at == post.created_at) & (TopicPost.id < post.id)))).scalar()
    return (before or 0) // per_page + 1


def post_path(slug: str, topic_id: int, post_id: int) -> str:
    """A reply's own address: it answers with a redirect to the page showing the reply, at its
    anchor -- what notifications, mentions, search and the moderation queue link to, so they
    land on the right page however many replies came before or after."""
    return f"/s/{slug}/discussions/topics/{topic_id}/posts/{post_id}"


def _moderated_posts(ids: list[int], actor: Any) -> dict[int, tuple[str, bool]]:
    """``{post id: (state, may actor see it)}`` for the replies not plainly visible: one
    query over the registry's few non-visible rows (its partial index)."""
    if not ids:
        return {}
    R = placette.Resource

    def build(_viewer, count, **late):
        # The gate is built only when the SQL is written (once per viewer and page size),
        # not on every page view.
        sees = placette.moderation_clause(actor, R)
        return (R.select(R.object_id, R.state, sees.alias("sees"))
                .where((R.plugin == PLUGIN) & (R.kind == "post") & placette.held_back(R)
                       & R.object_id.in_([late[f"i{n}"] for n in range(count)])))

    rows = placette.prepared("discussions.post_states", build,
                             placette.viewer_key(actor, moderation=True), len(ids),
                             **{f"i{n}": str(i) for n, i in enumerate(ids)}).tuples()
    return {int(oid): (state, bool(seen)) for oid, state, seen in rows}


def post_resource(post: TopicPost) -> placette.Resource | None:
    return placette.lookup_resource(PLUGIN, "post", post.id)


def spaces_seen(topic: Topic, actor: Any) -> list:
    """The spaces listing the topic that ``actor`` may read -- never the others."""
    Space = placette.Space

    def build(_viewer, tid):
        return (placette.visible(Space.select(Space.id, Space.slug, Space.name)
                                 .join(TopicSpace, on=(TopicSpace.space == Space.id))
                                 .where(TopicSpace.topic == tid), actor)
                .order_by(Space.name))

    return placette.prepared("discussions.topic_spaces", build, placette.viewer_key(actor),
                             tid=topic.id).rows()


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
        topic = Topic.create(space=home.id, author=actor.id, title=title, body=body,
                             body_html=rendered(body))
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


def topic_resource(topic: Topic) -> placette.Resource | None:
    """The topic's registry row: what its followers follow and its news are about."""
    return placette.lookup_resource(PLUGIN, "topic", topic.id)


def readable_spaces(topic: Topic, user: Any) -> list:
    """The topic's spaces ``user`` may read, home space first (where news of it point)."""
    spaces = spaces_seen(topic, user)
    return sorted(spaces, key=lambda s: s.id != topic.space_id)


def mentions_in_topic(body: str, topic: Topic) -> Mentions:
    """Mentions in a topic post: someone may be told if they may read one of its spaces."""
    return mentions_in(body, None, sees=lambda user: bool(readable_spaces(topic, user)))


def reply(actor: Any, topic: Topic, body: Any, notify: bool = True,
          space=None) -> TopicPost:
    """Reply in a topic, through ``space`` (one of its spaces; its home by default); the
    replier follows it from now on (the author always did), and the followers and the people
    mentioned are told -- each through a space they may read.

    The reply is published as a ``discussions.post`` resource in ``space``: where that space
    pre-moderates newcomers it starts ``pending`` (``post.pending``), tells nobody and moves
    nothing in the topic's list until an animator approves it (:func:`reply_approved`)."""
    if not getattr(actor, "is_authenticated", False):
        raise DiscussionError(401, "unauthorized", _("Sign in to reply."))
    if topic.closed:
        raise DiscussionError(409, "closed", _("This topic is closed."))
    body = clean_body(body)
    mentions = mentions_in_topic(body, topic)
    own = topic_resource(topic)
    space_id = space.id if space is not None else topic.space_id
    slug = space.slug if space is not None else placette.Space.get_by_id(topic.space_id).slug
    with placette.atomic():
        post = TopicPost.create(topic=topic.id, author=actor.id, body=body,
                                body_html=rendered(body))
        row = placette.publish_resource(
            PLUGIN, "post", post.id, space=space_id, title=f"💬 {topic.title}"[:300],
            url=post_path(slug, topic.id, post.id), author=actor,
            summary=placette.plain_text(body)[:1000])
        post.pending, post.hidden = row.state == "pending", False
        post.unseen = mentions.unseen             # "not told", said to the author after sending
        if own is not None:
            follow(actor, own, default=True)
        if not post.pending:
            _count_reply(topic)
        mark_read(actor, topic)
        if not post.pending:
            if own is not None and notify:
                _notify_reply(topic, post, own, actor, followers(own) - {actor.id}, mentions)
    return post


def _count_reply(topic: Topic) -> None:
    now = placette.utcnow()
    Topic.update(last_activity_at=now, post_count=Topic.post_count + 1).where(
        Topic.id == topic.id).execute()
    topic.last_activity_at = now


def reply_approved(row: placette.Resource) -> None:
    """An animator approved a reply held for review: it now counts in the topic, and the
    followers and the people it mentions are told, as :func:`reply` would have."""
    post = TopicPost.get_or_none((TopicPost.id == int(row.object_id))
                                 & TopicPost.removed_at.is_null())
    if post is None or post.author_id is None:
        return
    topic = Topic.get_by_id(post.topic_id)
    _count_reply(topic)
    own = topic_resource(topic)
    if own is None:
        return
    author = placette.User.get_by_id(post.author_id)
    _notify_reply(topic, post, own, author, followers(own) - {author.id},
                  mentions_in_topic(post.body, topic))


def _notify_reply(topic: Topic, post: TopicPost, own, actor, audience: set[int],
                  mentions: Mentions) -> None:
    """One event per kind of news and per space the people told may read: in the topic's home
    space the event is about the topic's registry row (digest grouping, "stop news of this
    item"); elsewhere it names the topic by title and groups by it.  A mentioned person is told
    once, never again as a follower."""
    mentioned = {u.id for u in mentions.told} - {actor.id}
    rest = audience - mentioned - {actor.id}
    people = {u.id: u for u in placette.User.select().where(
        placette.User.id.in_(sorted(mentioned | rest)))} if mentioned | rest else {}
    for name, ids in (("discussions.topic.mentioned", mentioned),
                      ("discussions.topic.replied", rest)):
        by_space: dict[int, tuple[Any, list[int]]] = {}
        for uid in sorted(ids):
            person = people.get(uid)
            spaces = readable_spaces(topic, person) if person is not None else []
            if spaces:
                by_space.setdefault(spaces[0].id, (spaces[0], []))[1].append(uid)
        for space, recipients in by_space.values():
            home = space.id == topic.space_id
            placette.emit(name, space=space.id, resource=own if home else None, actor=actor,
                          data={"url": post_path(space.slug, topic.id, post.id),
                                "title": topic.title, "group": f"topic-{topic.id}",
                                "post": post.id},
                          recipients=recipients)


def mark_read(actor: Any, topic: Topic) -> None:
    """The topic is read by ``actor`` now (their unread marker goes)."""
    if not getattr(actor, "is_authenticated", False):
        return
    now = placette.utcnow()
    updated = TopicRead.update(read_at=now).where(
        (TopicRead.user == actor.id) & (TopicRead.topic == topic.id)).execute()
    if not updated:
        TopicRead.create(user=actor.id, topic=topic.id, read_at=now)


def mark_seen(actor: Any, topic: Topic) -> None:
    """``actor`` opened the topic: :func:`mark_read` only if it was unread (its read marker,
    as :func:`topic_or_404` reads it) -- a page read again writes nothing (a
    write on every view also told the anonymous page cache that the site had changed)."""
    if is_unread(topic, actor):
        mark_read(actor, topic)


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
