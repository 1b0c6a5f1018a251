"""The discussions' pages under ``/s/<space>/discussions/``.

Without JavaScript every action is a form that posts here and redirects back to the item's page,
at the comment's anchor; a refused form is shown again with its message and what was typed.
With JavaScript (``static/discussions.js``) the same forms are sent in the background.
"""
from __future__ import annotations

import placette
from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from .. import service, topics
from ..service import DiscussionError

bp = placette.space_blueprint("discussions", __name__)
_ = placette._


def _back(resource, comment=None):
    if comment is not None:
        return redirect(service.comment_url(comment, resource, current_user))
    return redirect(f"{resource.url}#discussions-{resource.id}")


def _resource_in(space, key):
    try:
        return service.resource_or_404(current_user, key, space)
    except DiscussionError:
        abort(404)


def _comment_in(space, comment_id):
    try:
        return service.comment_or_404(current_user, comment_id, space)
    except DiscussionError:
        abort(404)


def _compose(space, resource, status=200, error=None, preview=False, parent=None,
             comment=None, body="", stance=""):
    mentions = service.mentions_in(body, resource) if body else None
    audience = None
    if preview and mentions is not None:
        told = {u.id for u in mentions.told} | service.followers(resource)
        told.discard(getattr(current_user, "id", None))
        audience = len(told)
    return render_template(
        "discussions/compose.html", space=space, resource=resource, error=error,
        preview=preview, parent=parent, comment=comment, body=body, stance=stance,
        mentions=mentions, audience=audience, stances=service.stances_on(space),
        author_name=service.author_name), status


@bp.route("/comments", methods=["POST"])
def post_comment(space):
    resource = _resource_in(space, request.form.get("resource", ""))
    body = request.form.get("body", "")
    parent_id = request.form.get("parent") or None
    stance = request.form.get("stance") or None
    parent = None
    if parent_id and placette.parse_id(parent_id) is not None:
        try:
            parent = service.comment_or_404(current_user, placette.parse_id(parent_id), space)
        except DiscussionError:
            parent = None
    if "preview" in request.form:
        return _compose(space, resource, preview=True, parent=parent, body=body,
                        stance=stance or "")
    try:
        comment, mentions = service.post_comment(current_user, resource, body, parent_id,
                                                 stance)
    except DiscussionError as exc:
        if exc.status in (401, 403):
            abort(exc.status)
        return _compose(space, resource, status=exc.status, error=exc.message, parent=parent,
                        body=body, stance=stance or "")
    if service.is_pending(comment):
        flash(_("Thank you: your comment will appear once an animator has read it."))
    elif mentions.unseen:
        flash(_("Not told (they cannot see this page): %(names)s.",
                names=", ".join(u.display_name for u in mentions.unseen)))
    return _back(resource, comment)


@bp.route("/comments/<int:comment_id>")
def comment(space, comment_id):
    """A comment's own address (its registry row's: search, the moderation queue, activity):
    a redirect to the page of its item's thread that shows it, at its anchor."""
    row = _comment_in(space, comment_id)
    return redirect(service.comment_url(row, row.resource, current_user))


@bp.route("/comments/<int:comment_id>/reply")
def reply_form(space, comment_id):
    parent = _comment_in(space, comment_id)
    return _compose(space, parent.resource, parent=parent)


@bp.route("/comments/<int:comment_id>/edit", methods=["GET", "POST"])
def edit(space, comment_id):
    comment = _comment_in(space, comment_id)
    if not service.may_edit(current_user, comment):
        abort(403)
    if request.method == "GET":
        return _compose(space, comment.resource, comment=comment, body=comment.body)
    body = request.form.get("body", "")
    try:
        service.edit_comment(current_user, comment, body)
    except DiscussionError as exc:
        return _compose(space, comment.resource, status=exc.status, error=exc.message,
                        comment=comment, body=body)
    return _back(comment.resource, comment)


@bp.route("/comments/<int:comment_id>/remove", methods=["POST"])
def remove(space, comment_id):
    comment = _comment_in(space, comment_id)
    try:
        service.remove_comment(current_user, comment)
    except DiscussionError as exc:
        abort(exc.status)
    return _back(comment.resource, comment)


@bp.route("/comments/<int:comment_id>/versions")
def versions(space, comment_id):
    comment = _comment_in(space, comment_id)
    if not service.may_moderate(current_user, space):
        abort(403)
    return render_template("discussions/versions.html", space=space, comment=comment,
                           versions=service.versions_of(comment),
                           author_name=service.author_name)


@bp.route("/follow", methods=["POST"])
def follow(space):
    if not current_user.is_authenticated:
        abort(401)
    resource = _resource_in(space, request.form.get("resource", ""))
    on = request.form.get("follow") == "1"
    with placette.atomic():
        service.follow(current_user, resource, following=on)
    flash(_("You follow this conversation.") if on else
          _("You no longer follow this conversation."))
    return _back(resource)


# --- topics -----------------------------------------------------------------------------------

@bp.route("/")
def index(space):
    try:
        page = max(int(request.args.get("page", 1)), 1)
    except ValueError:
        page = 1
    rows, total = topics.topics_of(space, current_user, page)
    # What each row prints, made here rather than by template calls and filters per row (thirty
    # a page): its link, whether it is unread, its author's name and its last activity's date.
    base, former = url_for("discussions.index"), None
    for t in rows:
        t.link = f"{base}topics/{t.id}"
        t.unread = topics.is_unread(t, current_user)
        if t.author_id:
            t.name = t.author.display_name
        else:
            t.name = former = former or _("Former member")
        t.when = placette.format_datetime(t.last_activity_at)
        t.iso = t.last_activity_at.isoformat() + "Z"
    return render_template("discussions/index.html", space=space, topics=rows, total=total,
                           page=page, per_page=topics.PER_PAGE,
                           may_create=placette.can(current_user, "discussions.topic.create",
                                                   space))


@bp.route("/topics/new", methods=["GET", "POST"])
def new_topic(space):
    placette.require(current_user, "discussions.topic.create", space)
    others = [s for s in topics.postable_spaces(current_user) if s.id != space.id]
    form = {"title": request.form.get("title", ""), "body": request.form.get("body", ""),
            "spaces": request.form.getlist("spaces")}
    error = None
    if request.method == "POST":
        try:
            topic = topics.create_topic(current_user, space, form["title"], form["body"],
                                        form["spaces"])
        except DiscussionError as exc:
            error = exc
        else:
            return redirect(url_for("discussions.topic", topic_id=topic.id))
    return render_template("discussions/new_topic.html", space=space, others=others,
                           form=form, error=error), (error.status if error else 200)


@bp.route("/topics/<int:topic_id>", methods=["GET", "POST"])
def topic(space, topic_id):
    row = _topic_in(space, topic_id)
    here = url_for("discussions.topic", topic_id=row.id)
    own = topics.topic_resource(row)
    error, body, preview = None, "", None
    if request.method == "POST":
        action = request.form.get("action", "reply")
        try:
            if action in ("pin", "unpin", "close", "open"):
                topics.set_flags(current_user, row, space,
                                 pinned={"pin": True, "unpin": False}.get(action),
                                 closed={"close": True, "open": False}.get(action))
                return redirect(here)
            if action in ("follow", "unfollow"):
                if not current_user.is_authenticated:
                    abort(401)
                if own is not None:
                    with placette.atomic():
                        service.follow(current_user, own, following=action == "follow")
                flash(_("You follow this topic.") if action == "follow" else
                      _("You no longer follow this topic."))
                return redirect(here)
            placette.require(current_user, "discussions.topic.reply", space)
            body = request.form.get("body", "")
            if "preview" in request.form:
                preview = _topic_preview(row, own, body)
            else:
                post = topics.reply(current_user, row, body, space=space)
                if post.pending:
                    flash(_("Thank you: your reply will appear once an animator has read it."))
                elif post.unseen:
                    flash(_("Not told (they cannot see this page): %(names)s.",
                            names=", ".join(u.display_name for u in post.unseen)))
                return redirect(_post_url(space, row, post.id))
        except DiscussionError as exc:
            if exc.status in (401, 403):
                abort(exc.status)
            error = exc
    topics.mark_seen(current_user, row)
    replies = topics.posts_of(row, current_user, _page_arg())
    return render_template(
        "discussions/topic.html", space=space, topic=row, replies=replies,
        replies_per_page=topics.POSTS_PER_PAGE,
        posts=replies.posts,
        spaces=topics.spaces_seen(row, current_user), error=error, body=body, preview=preview,
        may_reply=(placette.can(current_user, "discussions.topic.reply", space)
                   and not row.closed),
        following=own is not None and service.is_following(current_user, own),
        moderator=service.may_moderate(current_user, space),
        author_name=service.author_name), (error.status if error else 200)


def _page_arg() -> int:
    try:
        return max(int(request.args.get("page", 1)), 1)
    except ValueError:
        return 1


def _topic_in(space, topic_id):
    try:
        return topics.topic_or_404(space, topic_id, current_user)
    except DiscussionError:
        abort(404)


def _post_url(space, topic, post_id: int) -> str:
    """The topic's page showing the reply ``post_id`` (to the current person), at its anchor;
    ``None`` if it is not a reply they may know of."""
    page = topics.page_of_post(topic, post_id, current_user)
    if page is None:
        return None
    return url_for("discussions.topic", topic_id=topic.id,
                   page=page if page > 1 else None) + f"#post-{post_id}"


@bp.route("/topics/<int:topic_id>/posts/<int:post_id>")
def post(space, topic_id, post_id):
    """A reply's own address (notifications, mentions, search, the moderation queue): a
    redirect to the page of the topic that shows it, so the anchor lands whatever the page."""
    row = _topic_in(space, topic_id)
    target = _post_url(space, row, post_id)
    if target is None:
        abort(404)
    return redirect(target)


def _topic_preview(row, own, body: str) -> dict:
    """What the reply box's "Preview" says before sending, as for comments: the text, how many
    people will be told, and who is mentioned but may read none of the topic's spaces."""
    body = service.clean_body(body)
    mentions = topics.mentions_in_topic(body, row)
    told = {u.id for u in mentions.told} | (service.followers(own) if own is not None else set())
    told.discard(current_user.id)
    return {"body": body, "audience": len(told), "unseen": mentions.unseen}
