"""The discussions' tables.

Comments hang on the *registry row* of the item they are about (``placette.Resource``): the
plugin never knows the item's plugin, and a list of comments is gated in SQL by joining that row
(its space, its visibility, its moderation state).  Each comment is itself published as a
resource (``discussions.comment``, kept in ``own``) so that the kernel's reports, pre-moderation
and search cover it with no code of ours.
"""
from __future__ import annotations

import placette
from peewee import BooleanField, CharField, DateTimeField, ForeignKeyField, IntegerField, TextField

MAX_BODY = 10_000
MAX_DEPTH = 2  # depth 0, 1, 2: threads shown three levels deep, deeper replies flattened
STANCES = ("for", "against", "neutral")


class Rendered:
    """``html``: the body as safe HTML -- stored rendered when it is written (``body_html``),
    so a page of comments or replies does not run Markdown and the sanitiser once per body.
    A row without it (written by other code) is rendered when read."""

    __slots__ = ()  # a mixin: plain value classes with slots use it too (topics.PostView)

    @property
    def html(self) -> placette.Markup:
        if self.body_html is not None:
            return placette.Markup(self.body_html)
        return placette.render_markdown(self.body)


def rendered(body: str) -> str:
    """What ``body_html`` holds for ``body``: the kernel's sanitised Markdown."""
    return str(placette.render_markdown(body))


class Comment(Rendered, placette.BaseModel):
    resource = ForeignKeyField(placette.Resource, backref="+", on_delete="CASCADE")
    space = ForeignKeyField(placette.Space, backref="+", on_delete="CASCADE")
    own = ForeignKeyField(placette.Resource, null=True, backref="+", on_delete="SET NULL")
    # parent: the comment answered ("in reply to"); thread: where it is shown (never deeper
    # than MAX_DEPTH) -- the same as parent until the thread is three levels deep.
    parent = ForeignKeyField("self", null=True, backref="+", on_delete="CASCADE")
    thread = ForeignKeyField("self", null=True, backref="+", on_delete="CASCADE")
    # root: the top-level comment of the conversation (None for a top-level one): a page of the
    # thread is "these top-level comments and everything under them", in one query.
    root = ForeignKeyField("self", null=True, backref="+", on_delete="CASCADE")
    depth = IntegerField(default=0)
    author = ForeignKeyField(placette.User, null=True, backref="+", on_delete="SET NULL")
    body = TextField()
    body_html = TextField(null=True)   # ``body`` rendered when written (see Rendered)
    stance = CharField(max_length=8, null=True)
    created_at = DateTimeField(default=placette.utcnow)
    edited_at = DateTimeField(null=True)
    removed_at = DateTimeField(null=True)
    removed_by = ForeignKeyField(placette.User, null=True, backref="+", on_delete="SET NULL")

    class Meta:
        table_name = "discussions_comment"
        indexes = ((("resource", "created_at"), False), (("root", "created_at"), False),
                   # a thread's conversations (migration 0004)
                   (("resource", "parent", "created_at"), False),
                   (("resource", "root", "own"), False))


class CommentVersion(placette.BaseModel):
    """A body a comment had before an edit, kept for the space's animators."""
    comment = ForeignKeyField(Comment, backref="+", on_delete="CASCADE")
    body = TextField()
    written_at = DateTimeField()
    replaced_at = DateTimeField(default=placette.utcnow)

    class Meta:
        table_name = "discussions_comment_version"


class Follow(placette.BaseModel):
    """Who follows an item; ``following=False`` remembers an unfollow (authors and commenters
    follow by default, and must not be put back by their next comment)."""
    user = ForeignKeyField(placette.User, backref="+", on_delete="CASCADE")
    resource = ForeignKeyField(placette.Resource, backref="+", on_delete="CASCADE")
    following = BooleanField(default=True)

    class Meta:
        table_name = "discussions_follow"
        indexes = ((("resource", "user"), True),)


class Topic(Rendered, placette.BaseModel):
    """A conversation started in one space (``space``, its home) and listed in others too."""
    space = ForeignKeyField(placette.Space, backref="+", on_delete="CASCADE")
    author = ForeignKeyField(placette.User, null=True, backref="+", on_delete="SET NULL")
    title = CharField(max_length=200)
    body = TextField()
    body_html = TextField(null=True)
    pinned = BooleanField(default=False)
    closed = BooleanField(default=False)
    created_at = DateTimeField(default=placette.utcnow)
    last_activity_at = DateTimeField(default=placette.utcnow, index=True)
    post_count = IntegerField(default=0)

    class Meta:
        table_name = "discussions_topic"


class TopicSpace(placette.BaseModel):
    """The spaces a topic is listed in (its home space included)."""
    topic = ForeignKeyField(Topic, backref="+", on_delete="CASCADE")
    space = ForeignKeyField(placette.Space, backref="+", on_delete="CASCADE")

    class Meta:
        table_name = "discussions_topic_space"
        indexes = ((("space", "topic"), True),)


class TopicPost(Rendered, placette.BaseModel):
    """A reply in a topic."""
    topic = ForeignKeyField(Topic, backref="+", on_delete="CASCADE")
    author = ForeignKeyField(placette.User, null=True, backref="+", on_delete="SET NULL")
    body = TextField()
    body_html = TextField(null=True)
    created_at = DateTimeField(default=placette.utcnow)
    edited_at = DateTimeField(null=True)
    removed_at = DateTimeField(null=True)

    class Meta:
        table_name = "discussions_topic_post"
        indexes = ((("topic", "created_at"), False),)


class TopicRead(placette.BaseModel):
    """When a person last read a topic: the unread markers."""
    user = ForeignKeyField(placette.User, backref="+", on_delete="CASCADE")
    topic = ForeignKeyField(Topic, backref="+", on_delete="CASCADE")
    read_at = DateTimeField()

    class Meta:
        table_name = "discussions_topic_read"
        indexes = ((("user", "topic"), True),)


MODELS = [Comment, CommentVersion, Follow, Topic, TopicSpace, TopicPost, TopicRead]
