"""The discussions' JSON API, under ``/api/v1/spaces/<slug>/discussions/`` (in the OpenAPI
document).

Bodies are pydantic models refusing unknown fields.  What the caller may not see answers 404;
refused input answers a 4xx with a stable code and writes nothing (every check runs before the
transaction).  A comment is ``{"id", "author", "body", "body_html", "parent", "stance",
"created_at", "edited_at", "resource"}``; a removed one keeps its place with an empty body.
"""
from __future__ import annotations

import datetime as dt

import placette
from flask import request
from flask_login import current_user
from pydantic import BaseModel, ConfigDict, Field

from . import service, topics
from .models import Comment


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CommentIn(Strict):
    body: str = Field(description="Markdown, 1 to 10,000 characters")
    parent: placette.Id | None = Field(None, description="id of the comment answered "
                                       "(same item)")
    stance: str | None = Field(None, description="for, against or neutral -- where the space "
                               "uses stances; top-level comments only")


class CommentPatch(Strict):
    body: str = Field(description="the new text; the previous one is kept for the animators")


class TopicIn(Strict):
    title: placette.OneLineStr = Field(max_length=200,
                                       description="one line, at most 200 characters")
    body: str = Field(description="the first post, Markdown")
    spaces: list[str] = Field(default_factory=list,
                              description="slugs of other spaces to post it in too")


class AuthorOut(BaseModel):
    id: int | None
    name: str


class CommentOut(BaseModel):
    id: int
    author: AuthorOut
    body: str
    body_html: str
    parent: int | None
    stance: str | None
    created_at: dt.datetime
    edited_at: dt.datetime | None
    resource: str
    removed: bool = False


class PersonOut(BaseModel):
    id: int
    name: str


class PostOut(BaseModel):
    id: int
    author: AuthorOut
    body: str
    body_html: str
    created_at: dt.datetime
    pending: bool = False      # awaiting an animator (shown to its author and the animators)
    removed: bool = False


class TopicOut(BaseModel):
    id: int
    title: str
    author: AuthorOut
    pinned: bool
    closed: bool
    created_at: dt.datetime
    last_activity_at: dt.datetime
    replies: int
    unread: bool
    spaces: list[str]


class TopicDetail(TopicOut):
    body: str
    body_html: str
    posts: list[PostOut]        # one page of them, oldest first (?page=, 50 a page)
    page: int = 1
    pages: int = 1


def _fail(exc: service.DiscussionError) -> placette.ApiError:
    return placette.ApiError(exc.status, exc.code, exc.message)


def _author(row) -> dict:
    return {"id": row.author_id, "name": service.author_name(row)}


def _utc(value):
    return value.replace(tzinfo=dt.timezone.utc) if value is not None else None


def comment_out(c: Comment, key: str) -> dict:
    removed = service.is_removed(c)
    return {"id": c.id, "author": _author(c), "body": "" if removed else c.body,
            "body_html": "" if removed else str(c.html),
            "parent": c.parent_id, "stance": c.stance, "created_at": _utc(c.created_at),
            "edited_at": _utc(c.edited_at), "resource": key, "removed": removed}


def _key_of(resource) -> str:
    return f"{resource.plugin}.{resource.kind}:{resource.object_id}"


def _resource(space):
    try:
        return service.resource_or_404(current_user, request.args.get("resource", ""), space)
    except service.DiscussionError as exc:
        raise _fail(exc)


def _comment(space, comment_id: int) -> Comment:
    try:
        return service.comment_or_404(current_user, comment_id, space)
    except service.DiscussionError as exc:
        raise _fail(exc)


def _post_out(p) -> dict:
    removed = bool(p.removed_at) or p.hidden
    # the name as the page shows it (the author's, or "Former member"), read with the reply
    return {"id": p.id, "author": {"id": p.author_id, "name": p.name},
            "body": "" if removed else p.body,
            "body_html": "" if removed else str(p.html),
            "created_at": _utc(p.created_at), "pending": p.pending, "removed": removed}


def _topic_out(t, space_slugs: list[str], actor) -> dict:
    return {"id": t.id, "title": t.title, "author": _author(t), "pinned": t.pinned,
            "closed": t.closed, "created_at": _utc(t.created_at),
            "last_activity_at": _utc(t.last_activity_at), "replies": t.post_count,
            "unread": topics.is_unread(t, actor), "spaces": space_slugs}


def register(api) -> None:
    query = {"resource": "the item, as kind:id from the resource registry (agenda.meeting:12)"}

    @api.space_route("discussions", "/comments", response=list[CommentOut], query=query,
                     summary="Comments on an item, oldest first")
    def list_comments(space):
        resource = _resource(space)
        key = _key_of(resource)
        return [comment_out(c, key) for c in service.comments_on(resource, current_user)]

    @api.space_route("discussions", "/comments", methods=["POST"], body=CommentIn,
                     response=CommentOut, status=201, auth="required", query=query,
                     summary="Comment on an item, or reply to a comment")
    def post_comment(space, body: CommentIn):
        resource = _resource(space)
        try:
            comment, _mentions = service.post_comment(current_user, resource, body.body,
                                                      body.parent, body.stance)
        except service.DiscussionError as exc:
            raise _fail(exc)
        return comment_out(service.comment_or_404(current_user, comment.id), _key_of(resource))

    @api.space_route("discussions", "/mentions", response=list[PersonOut], auth="required",
                     query={**query, "q": "the first letters of a name (or of one of its "
                                          "words), as typed after @"},
                     summary="Whom one may mention on an item: at most 8 people whose name "
                             "starts with q and who may see the item")
    def mention_suggestions(space):
        key = request.args.get("resource", "")
        try:
            if key.startswith(f"{service.PLUGIN}.topic:"):
                # a topic: whoever may read one of its spaces may be mentioned in a reply
                topic_id = placette.parse_id(key.split(":", 1)[1])
                topic = topics.topic_or_404(space, topic_id or 0)
                people = service.mention_suggestions(
                    current_user, None, request.args.get("q"),
                    sees=lambda user: bool(topics.readable_spaces(topic, user)))
            else:
                people = service.mention_suggestions(current_user, _resource(space),
                                                     request.args.get("q"))
        except service.DiscussionError as exc:
            raise _fail(exc)
        return [{"id": u.id, "name": u.display_name} for u in people]

    @api.space_route("discussions", "/comments/<int:comment_id>", methods=["PATCH"],
                     body=CommentPatch, response=CommentOut, auth="required",
                     summary="Change one's own comment (the previous text is kept)")
    def patch_comment(space, comment_id, body: CommentPatch):
        comment = _comment(space, comment_id)
        try:
            service.edit_comment(current_user, comment, body.body)
        except service.DiscussionError as exc:
            raise _fail(exc)
        return comment_out(_comment(space, comment_id), _key_of(comment.resource))

    @api.space_route("discussions", "/comments/<int:comment_id>", methods=["DELETE"],
                     auth="required",
                     summary="Remove a comment (its author, or an animator): "
                             "\"comment removed\" stays with its replies")
    def delete_comment(space, comment_id):
        comment = _comment(space, comment_id)
        try:
            service.remove_comment(current_user, comment)
        except service.DiscussionError as exc:
            raise _fail(exc)
        return None

    @api.space_route("discussions", "/topics", response=list[TopicOut],
                     query={"page": "page number, 30 topics a page"},
                     summary="A space's topics, pinned first, then by last activity")
    def list_topics(space):
        try:
            page = int(request.args.get("page", "1"))
        except ValueError:
            raise placette.ApiError(400, "invalid_parameter", "page is a number")
        if not 1 <= page <= 10_000:
            raise placette.ApiError(400, "invalid_parameter", "page is 1 to 10000")
        rows, _total = topics.topics_of(space, current_user, page)
        return [_topic_out(t, [], current_user) for t in rows]

    @api.space_route("discussions", "/topics", methods=["POST"], body=TopicIn,
                     response=TopicDetail, status=201, auth="required",
                     summary="Start a topic, in this space and optionally others")
    def post_topic(space, body: TopicIn):
        try:
            topic = topics.create_topic(current_user, space, body.title, body.body, body.spaces)
        except service.DiscussionError as exc:
            raise _fail(exc)
        return _detail(space, topic.id)

    @api.space_route("discussions", "/topics/<int:topic_id>", response=TopicDetail,
                     query={"page": f"page of posts, {topics.POSTS_PER_PAGE} a page, oldest "
                                    f"first (past the last: the last)"},
                     summary="A topic with a page of its posts")
    def get_topic(space, topic_id):
        try:
            page = int(request.args.get("page", "1"))
        except ValueError:
            raise placette.ApiError(400, "invalid_parameter", "page is a number")
        if not 1 <= page <= 1_000_000:
            raise placette.ApiError(400, "invalid_parameter", "page is 1 to 1000000")
        return _detail(space, topic_id, page)

    def _detail(space, topic_id, page: int = 1):
        try:
            topic = topics.topic_or_404(space, topic_id, current_user)
        except service.DiscussionError as exc:
            raise _fail(exc)
        slugs = [s.slug for s in topics.spaces_seen(topic, current_user)]
        out = _topic_out(topic, slugs, current_user)
        replies = topics.posts_of(topic, current_user, page)
        out.update(body=topic.body, body_html=str(topic.html),
                   posts=[_post_out(p) for p in replies.posts], page=replies.page,
                   pages=replies.pages)
        return out
