"""What the discussions do, for the pages and the API alike: one rule for both surfaces.

Every refusal is a :class:`DiscussionError` carrying an HTTP status, a stable code and a message
a person can read; nothing is written before every check has passed.  A comment is visible to
exactly whoever may see the item it is about: lists are gated in SQL by joining the item's
registry row (space, visibility, moderation) -- :func:`gated_comments`.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

import placette
from peewee import JOIN, SQL, fn

from .models import (MAX_BODY, MAX_DEPTH, STANCES, Comment, CommentVersion, Follow, rendered)

PLUGIN = "discussions"
_ = placette._

# Aliases made once (see docs/plugins.md, "make model aliases once").
TARGET = placette.Resource.alias("target")
TARGET_SPACE = placette.Space.alias("target_space")
AUTHOR = placette.User.alias("author")
OWN = placette.Resource.alias("own")
# A reply counted under its top-level comment (_conversations), and its own registry row.
REPLY = Comment.alias("reply")
REPLY_OWN = placette.Resource.alias("reply_own")


class DiscussionError(Exception):
    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def not_found() -> DiscussionError:
    return DiscussionError(404, "not_found", "not found")


# --- bodies -----------------------------------------------------------------------------------

def clean_body(body: Any) -> str:
    """A comment's text, or a 422: empty, whitespace-only and over-long bodies are refused
    (HTML is kept as typed: ``render_markdown`` sanitises it when shown)."""
    if not isinstance(body, str) or not body.strip():
        raise DiscussionError(422, "empty_body", _("Write something before sending."))
    body = body.replace("\r\n", "\n").strip()
    if len(body) > MAX_BODY:
        raise DiscussionError(422, "body_too_long",
                              _("A message is at most %(max)s characters long.", max=MAX_BODY))
    if any(unicodedata.category(ch) == "Cc" and ch not in "\n\t" for ch in body):
        raise DiscussionError(422, "control_characters",
                              _("The text holds invisible control characters."))
    return body


def clean_title(title: Any) -> str:
    """A one-line title: no control characters (line breaks included), 1 to 200 characters."""
    if not isinstance(title, str) or not title.strip():
        raise DiscussionError(422, "empty_title", _("Give the topic a title."))
    title = title.strip()
    if any(unicodedata.category(ch) in ("Cc", "Zl", "Zp") for ch in title):
        raise DiscussionError(422, "invalid_title",
                              _("A title is one line, without control characters."))
    if len(title) > 200:
        raise DiscussionError(422, "title_too_long",
                              _("A title is at most %(max)s characters long.", max=200))
    return title


# --- the item commented on --------------------------------------------------------------------

def parse_key(key: Any) -> tuple[str, str, str]:
    """``"agenda.meeting:12"`` -> ``("agenda", "meeting", "12")``; a malformed key or a kind no
    plugin declares is a 422 (the client's mistake), whereas an unknown item is a 404."""
    if not isinstance(key, str) or ":" not in key or "." not in key.split(":", 1)[0]:
        raise DiscussionError(422, "invalid_resource",
                              _("Name the item as kind:id, e.g. agenda.meeting:12."))
    kind_key, object_id = key.split(":", 1)
    if placette.declared_kind(kind_key) is None:
        raise DiscussionError(422, "unknown_kind",
                              _("Unknown kind of item: %(kind)s.", kind=kind_key[:64]))
    if not object_id or len(object_id) > 64:
        raise not_found()
    plugin, kind = kind_key.split(".", 1)
    return plugin, kind, object_id


def may_see(actor: Any, resource: placette.Resource | None) -> bool:
    """May ``actor`` see ``resource`` (and so its comments)?  Read, moderation, module on."""
    if resource is None or resource.plugin == PLUGIN:
        return False
    if not placette.is_enabled(resource.space, PLUGIN):
        return False
    if not placette.can(actor, "view", resource):
        return False
    if resource.state == "visible":   # the registry row in hand says so: no need to ask again
        return True
    return placette.moderation_state(resource.plugin, resource.kind,
                                     resource.object_id).visible_to(actor)


def resource_or_404(actor: Any, key: str, space=None) -> placette.Resource:
    plugin, kind, object_id = parse_key(key)
    resource = placette.lookup_resource(plugin, kind, object_id)
    if resource is None or (space is not None and resource.space_id != space.id) \
            or not may_see(actor, resource):
        raise not_found()
    return resource


def stances_on(space) -> bool:
    return bool(placette.settings_of(space, PLUGIN).stances)


def may_moderate(actor: Any, space) -> bool:
    return placette.can(actor, "discussions.moderate", space)


# --- reading ----------------------------------------------------------------------------------

def _module_on(space_column):
    M = placette.Module
    return fn.EXISTS(M.select(M.id).where((M.space == space_column) & (M.plugin == PLUGIN)
                                          & (M.enabled == True)))  # noqa: E712


def gated_comments(actor: Any, authors: bool = True):
    """Comments ``actor`` may see, with their author and own registry row, in one query.

    The gate is the item's: its space's and its own visibility, its moderation state, the module
    on in its space.  A comment hidden by moderation stays (shown as "comment removed", its
    replies kept); one awaiting review shows only to its author and the moderators.
    ``authors=False`` leaves out the authors' join, for a query that only counts (a thread's
    conversations are counted on every page of it: a join per comment for nothing).
    """
    query = (Comment.select(Comment, AUTHOR, OWN) if authors else Comment.select(Comment, OWN))
    query = (query.join_from(Comment, TARGET, on=(Comment.resource == TARGET.id))
             .join_from(TARGET, TARGET_SPACE, on=(TARGET.space == TARGET_SPACE.id)))
    if authors:
        query = query.join_from(Comment, AUTHOR, JOIN.LEFT_OUTER,
                                on=(Comment.author == AUTHOR.id))
    query = query.join_from(Comment, OWN, JOIN.LEFT_OUTER, on=(Comment.own == OWN.id))
    return query.where(
        placette.visibility_clause(actor, TARGET_SPACE.id, TARGET_SPACE.visibility,
                                   TARGET.visibility, archived=TARGET_SPACE.archived_at)
        & placette.moderation_clause(actor, TARGET)
        & _module_on(TARGET.space)
        & (OWN.id.is_null() | (OWN.state == "hidden") | placette.moderation_clause(actor, OWN)))


def gated_comments_on(actor: Any, resource_id, authors: bool = True):
    """:func:`gated_comments` on one item (``resource_id``, a value or a ``placette.Late``):
    the same rows, the item's gate asked once.

    Every comment of an item shares the item's gate (its space, its visibility, its moderation
    state, the module): written as a condition on the item alone, the database answers it once
    for the statement instead of joining the item and its space again for each comment -- a
    busy thread's conversations are counted on every page of it.  Only the comment's own
    moderation state is then read per comment.
    """
    query = (Comment.select(Comment, AUTHOR, OWN) if authors else Comment.select(Comment, OWN))
    if authors:
        query = query.join_from(Comment, AUTHOR, JOIN.LEFT_OUTER,
                                on=(Comment.author == AUTHOR.id))
    query = query.join_from(Comment, OWN, JOIN.LEFT_OUTER, on=(Comment.own == OWN.id))
    item_readable = fn.EXISTS(
        TARGET.select(SQL("1"))
        .join(TARGET_SPACE, on=(TARGET.space == TARGET_SPACE.id))
        .where((TARGET.id == resource_id)
               & placette.visibility_clause(actor, TARGET_SPACE.id, TARGET_SPACE.visibility,
                                            TARGET.visibility,
                                            archived=TARGET_SPACE.archived_at)
               & placette.moderation_clause(actor, TARGET)
               & _module_on(TARGET.space)))
    return query.where(
        (Comment.resource == resource_id) & item_readable
        & (OWN.id.is_null() | (OWN.state == "hidden") | placette.moderation_clause(actor, OWN)))


def is_removed(comment: Comment) -> bool:
    own = getattr(comment, "own", None) if comment.own_id is not None else None
    return comment.removed_at is not None or (own is not None and own.state == "hidden")


def is_pending(comment: Comment) -> bool:
    own = comment.own if comment.own_id is not None else None
    return own is not None and own.state == "pending"


def author_name(comment) -> str:
    author = comment.author if comment.author_id is not None else None
    return author.display_name if author is not None else _("Former member")


class ThreadComment:
    """What a thread page shows of a comment, read as plain values (no model instances: a
    hundred comments' models, their authors' and their registry rows' cost more to build than
    the page's queries)."""

    __slots__ = ("id", "parent_id", "thread_id", "author_id", "html", "stance", "created_at",
                 "edited_at", "own_id", "name", "removed", "pending", "own_key", "to_label",
                 "by_label", "when", "iso")

    def __init__(self, row: tuple):
        (self.id, self.parent_id, self.thread_id, self.author_id, body, body_html, self.stance,
         self.created_at, self.edited_at, removed_at, self.own_id, name, own_state) = row
        # stored rendered when written; a row without it is rendered now
        self.html = placette.Markup(body_html) if body_html is not None \
            else placette.render_markdown(body)
        self.name = name if self.author_id is not None and name is not None \
            else _("Former member")
        self.removed = removed_at is not None or own_state == "hidden"
        self.pending = own_state == "pending"
        self.own_key = f"{PLUGIN}.comment:{self.id}"


@dataclass
class Node:
    comment: ThreadComment
    children: list["Node"] = field(default_factory=list)
    in_reply_to: str | None = None   # the name answered, when shown flattened
    in_reply_to_label: str | None = None  # "In reply to <name>" (translated once per name)


@dataclass
class Thread:
    roots: list[Node]
    count: int                 # every comment one may see on the item
    stances: dict[str, int]
    page: int = 1
    pages: int = 1


# A page of the thread holds whole conversations (a top-level comment and everything under it),
# oldest first: at most THREADS_PER_PAGE of them and, past the first, no more than
# COMMENTS_PER_PAGE comments in all -- so a page of busy conversations stays readable (and cheap
# to build) rather than showing ten conversations of forty replies each.
THREADS_PER_PAGE = 10
COMMENTS_PER_PAGE = 30


def _on(resource_id: int):
    return Comment.resource == resource_id


def _conversations(resource_id: int, actor: Any, viewer: tuple) -> list[tuple[int, int]]:
    """``[(top-level comment id, comments in its conversation)]`` that ``actor`` may see on the
    item, oldest first: one query, a row per conversation.  A conversation whose top-level
    comment they may not see (awaiting review) is left out with it.

    The top-level comments are read in date order through their index (item, no parent, date),
    and each one's replies counted through another (item, conversation, own registry row),
    without reading the replies' rows.  Grouping every comment of the item by its conversation
    instead sorted the whole thread twice on every page of it (500 comments, per page: 0.40 ->
    0.31 ms on SQLite; the difference grows with the thread).
    """
    def sizes(_viewer, rid):
        replies = (REPLY.select(fn.COUNT(REPLY.id))
                   .join_from(REPLY, REPLY_OWN, JOIN.LEFT_OUTER, on=(REPLY.own == REPLY_OWN.id))
                   .where((REPLY.resource == rid) & (REPLY.root == Comment.id)
                          & (REPLY_OWN.id.is_null() | (REPLY_OWN.state == "hidden")
                             | placette.moderation_clause(actor, REPLY_OWN))))
        return (gated_comments_on(actor, rid, authors=False)
                .select(Comment.id, replies)
                .where(Comment.parent.is_null())
                .order_by(Comment.created_at, Comment.id))

    return [(head, 1 + replies) for head, replies in
            placette.prepared("discussions.conversations", sizes, viewer,
                              rid=resource_id).tuples()]


def _pages(conversations: list[tuple[int, int]], per_page: int = COMMENTS_PER_PAGE,
           threads: int = THREADS_PER_PAGE) -> list[list[int]]:
    """The top-level comment ids of each page (see :data:`COMMENTS_PER_PAGE`)."""
    pages: list[list[int]] = []
    current: list[int] = []
    size = 0
    for head, n in conversations:
        if current and (len(current) >= threads or size + n > per_page):
            pages.append(current)
            current, size = [], 0
        current.append(head)
        size += n
    if current:
        pages.append(current)
    return pages


def thread_of(resource: placette.Resource, actor: Any, page: int = 1,
              stances: bool = False) -> Thread:
    """One page of the comments on an item -- whole conversations, oldest first (see
    :data:`COMMENTS_PER_PAGE`) -- as a tree three levels deep.

    Two queries (three with stances) whatever the thread's length: the conversations' sizes
    (the pager and the total), the page's comments, the stance counts.
    """
    viewer = placette.viewer_key(actor, moderation=True)
    conversations = _conversations(resource.id, actor, viewer)
    pages = _pages(conversations)
    page = min(max(page, 1), max(len(pages), 1))
    heads = pages[page - 1] if pages else []
    total = sum(n for _head, n in conversations)

    # The SQL of these queries (the gate makes it long to write) is written once per viewer
    # and shape (placette.prepared); the item and the page's conversations are late values.
    def page_rows(_viewer, count, rid, **late):
        ids = [late[f"h{n}"] for n in range(count)]
        # Only what the page shows: the author's name, the own registry row's state.
        return (gated_comments_on(actor, rid)
                .select(Comment.id, Comment.parent, Comment.thread, Comment.author,
                        Comment.body, Comment.body_html, Comment.stance, Comment.created_at,
                        Comment.edited_at,
                        Comment.removed_at, Comment.own, AUTHOR.display_name, OWN.state)
                .where(Comment.id.in_(ids) | Comment.root.in_(ids))
                .order_by(Comment.created_at, Comment.id))

    rows = placette.prepared("discussions.thread", page_rows, viewer, len(heads),
                             rid=resource.id,
                             **{f"h{n}": head for n, head in enumerate(heads)}).tuples() \
        if heads else []
    counts = {s: 0 for s in STANCES}
    if stances:
        def stance_counts(viewer, rid):
            return (gated_comments_on(actor, rid, authors=False)
                    .select(Comment.stance, fn.COUNT(Comment.id))
                    .where(Comment.parent.is_null()
                           & Comment.stance.is_null(False) & Comment.removed_at.is_null()
                           & (OWN.id.is_null() | (OWN.state != "hidden")))
                    .group_by(Comment.stance))

        for stance, n in placette.prepared("discussions.stances", stance_counts, viewer,
                                           rid=resource.id).tuples():
            if stance in counts:
                counts[stance] = n
    comments = [ThreadComment(row) for row in rows]
    # The hidden labels naming the author ("Reply to Léa", "Report the comment by Léa"): once
    # per name, not twice per comment -- and each text translated once per page, then filled
    # with each name (what ``_(text, name=...)`` does for a plain name, without its lookups).
    to_text, by_text = _("to %(name)s"), _("the comment by %(name)s")
    labels: dict[str, tuple[str, str]] = {}
    for c in comments:
        got = labels.get(c.name)
        if got is None:
            named = {"name": c.name}
            got = labels[c.name] = (to_text % named, by_text % named)
        c.to_label, c.by_label = got
        # the date as shown (the ``when`` filter's text) and as written for machines
        c.when = placette.format_datetime(c.created_at)
        c.iso = c.created_at.isoformat() + "Z"
    by_id = {c.id: Node(c) for c in comments}
    roots: list[Node] = []
    replying: dict[str, str] = {}
    reply_text = None
    for c in comments:
        node = by_id[c.id]
        if c.parent_id is not None and c.parent_id != c.thread_id and c.parent_id in by_id:
            name = node.in_reply_to = by_id[c.parent_id].comment.name
            label = replying.get(name)
            if label is None:
                if reply_text is None:
                    reply_text = _("In reply to %(name)s")
                label = replying[name] = reply_text % {"name": name}
            node.in_reply_to_label = label
        if c.thread_id is None:
            roots.append(node)
        elif c.thread_id in by_id:
            by_id[c.thread_id].children.append(node)
        # else: under a comment one may not see (awaiting review): left out with it
    return Thread(roots=roots, count=total, stances=counts, page=page, pages=max(len(pages), 1))


def page_of(comment: Comment, actor: Any) -> int:
    """The thread page showing ``comment`` to ``actor`` (where a form sends its author back,
    where the comment's own address redirects): one query."""
    head = comment.root_id or comment.id
    viewer = placette.viewer_key(actor, moderation=True)
    for number, heads in enumerate(_pages(_conversations(comment.resource_id, actor, viewer)),
                                   start=1):
        if head in heads:
            return number
    return 1


def comment_url(comment: Comment, resource, actor: Any = None) -> str:
    """The item's page showing ``comment`` (to ``actor``: its author by default), at its
    anchor."""
    page = page_of(comment, actor if actor is not None else _author_of(comment))
    query = "" if page == 1 else ("&" if "?" in resource.url else "?") + f"comments={page}"
    return f"{resource.url}{query}#comment-{comment.id}"


def _author_of(comment: Comment):
    if comment.author_id is None:
        return None
    return placette.User.get_or_none(placette.User.id == comment.author_id)


def comment_or_404(actor: Any, comment_id: int, space=None) -> Comment:
    comment = (gated_comments(actor).where(Comment.id == comment_id).first()
               if 0 < comment_id <= placette.MAX_ID else None)
    if comment is None or (space is not None and comment.space_id != space.id):
        raise not_found()
    return comment


def comments_on(resource, actor: Any, limit: int = 200, offset: int = 0) -> list[Comment]:
    return list(gated_comments(actor).where(Comment.resource == resource.id)
                .order_by(Comment.created_at, Comment.id).limit(limit).offset(offset))


# --- mentions ---------------------------------------------------------------------------------

MENTION = re.compile(r"(?<![\w@])@(\w[\w'’.-]*(?:[ \u00a0]\w[\w'’-]*){0,2})", re.UNICODE)


@dataclass
class Mentions:
    told: list[Any]        # people mentioned who may see the item
    unseen: list[Any]      # people mentioned who may not: nobody tells them


def mentions_in(body: str, resource: placette.Resource | None, sees=None) -> Mentions:
    """Resolve ``@Name`` in a body without JavaScript: the longest run of one to three words
    after ``@`` that is someone's display name.  One query for the names, then the gate:
    :func:`may_see` on ``resource``, or ``sees(user)`` (a topic: may read one of its spaces)."""
    sees = sees or (lambda user: may_see(user, resource))
    wanted: dict[str, list[str]] = {}
    for match in MENTION.finditer(body or ""):
        words = match.group(1).replace("\u00a0", " ").split(" ")
        wanted[match.group(0)] = [" ".join(words[:n]).lower() for n in range(len(words), 0, -1)]
    if not wanted:
        return Mentions([], [])
    names = {n for options in wanted.values() for n in options}
    people = {}
    User = placette.User
    for user in User.select().where(fn.LOWER(User.display_name).in_(sorted(names))
                                    & User.suspended_at.is_null()).order_by(User.id):
        people.setdefault(user.display_name.lower(), user)
    told, unseen, seen_ids = [], [], set()
    for options in wanted.values():
        user = next((people[n] for n in options if n in people), None)
        if user is None or user.id in seen_ids:
            continue
        seen_ids.add(user.id)
        (told if sees(user) else unseen).append(user)
    return Mentions(told, unseen)


MAX_SUGGESTIONS = 8
_PREFIX = re.compile(r"^[^\W\d_][^\W_]*(?:['’. -][^\W_]*){0,4}$", re.UNICODE)


def mention_suggestions(actor: Any, resource: placette.Resource | None, prefix: Any,
                        sees=None) -> list[Any]:
    """People whose name (or one of its words) starts with ``prefix`` and who may see
    ``resource`` -- the JavaScript suggestions after ``@``; at most :data:`MAX_SUGGESTIONS`.
    Candidates come in name order from one query (bounded), then pass the same gate as
    :func:`mentions_in`, so nobody is ever suggested who could not be told (``sees(user)``
    instead of :func:`may_see` on ``resource``: a topic)."""
    sees = sees or (lambda user: may_see(user, resource))
    if not isinstance(prefix, str) or len(prefix) > 50 or not _PREFIX.match(prefix.strip()):
        raise DiscussionError(422, "invalid_prefix",
                              _("Type the first letters of a name after @."))
    prefix = prefix.strip().lower()
    User = placette.User
    name = fn.LOWER(User.display_name)
    query = (User.select().where((name.startswith(prefix) | name.contains(" " + prefix))
                                 & User.suspended_at.is_null()
                                 & (User.id != getattr(actor, "id", 0)))
             .order_by(User.display_name, User.id))
    found: list[Any] = []
    for page in range(1, 5):                       # at most 200 candidates looked at
        batch = list(query.paginate(page, 50))
        found += [u for u in batch if sees(u)][:MAX_SUGGESTIONS - len(found)]
        if len(found) >= MAX_SUGGESTIONS or len(batch) < 50:
            break
    return found


# --- following --------------------------------------------------------------------------------

def follow(user, resource, following: bool = True, default: bool = False) -> None:
    """Follow or unfollow; ``default=True`` (an author commenting) never undoes an unfollow.

    Following on purpose also lifts the kernel's mute of the item (the mail's "Stop news of
    this item"): the two say the same thing, so they must never disagree."""
    row = Follow.get_or_none((Follow.user == user.id) & (Follow.resource == resource.id))
    if row is None:
        Follow.create(user=user.id, resource=resource.id, following=following)
    elif not default and row.following != following:
        row.following = following
        row.save()
    if following and not default:
        placette.unmute(user, resource)


def is_following(user, resource) -> bool:
    """Following, and not muted from a mail (a mute reads as "not following")."""
    if not getattr(user, "is_authenticated", False):
        return False
    # asked under every thread and topic: SQL written once
    rows = placette.prepared("discussions.following", lambda uid, rid: (
        Follow.select(Follow.following).where((Follow.user == uid) & (Follow.resource == rid))),
        uid=user.id, rid=resource.id).tuples()
    on = rows[0][0] if rows else resource.author_id == user.id
    muted = placette.is_muted(user, resource)      # asked always: one query whoever looks
    return on and not muted


def followers(resource) -> set[int]:
    """Who follows the item: everyone who chose to, plus its author unless they unfollowed --
    less whoever stopped its news from a mail (the kernel's item mute)."""
    rows = {r.user_id: r.following for r in
            Follow.select(Follow.user, Follow.following).where(Follow.resource == resource.id)}
    ids = {uid for uid, on in rows.items() if on}
    if resource.author_id is not None and rows.get(resource.author_id, True):
        ids.add(resource.author_id)
    return ids - placette.muted_by(resource, ids)


# --- writing ----------------------------------------------------------------------------------

def comment_path(slug: str, comment_id: int) -> str:
    """A comment's own address: it redirects to the page of its item's thread that shows it
    (:func:`comment_url`), however many conversations came before."""
    return f"/s/{slug}/discussions/comments/{comment_id}"


def _publish_own(comment: Comment, resource, author) -> placette.Resource:
    """The comment's own registry row: reports, pre-moderation, search (its text)."""
    return placette.publish_resource(
        PLUGIN, "comment", comment.id, space=resource.space_id,
        title=_comment_title(resource), url=comment_path(resource.space.slug, comment.id),
        author=author, visibility=resource.visibility,
        summary=placette.plain_text(comment.body)[:1000])


def _comment_title(resource) -> str:
    return f"💬 {resource.title}"[:300]


def post_comment(actor: Any, resource: placette.Resource, body: Any, parent: Any = None,
                 stance: Any = None, notify: bool = True) -> tuple[Comment, Mentions]:
    """Add a comment (or a reply).  Every check comes first; then one transaction writes the
    comment, its registry row, the follow, and the events (``notify=False``: the demo seed,
    which emits none)."""
    if not getattr(actor, "is_authenticated", False):
        raise DiscussionError(401, "unauthorized", _("Sign in to comment."))
    space = resource.space
    if not placette.can(actor, "discussions.comment", space):
        raise DiscussionError(403, "forbidden", _("You may not comment here."))
    body = clean_body(body)
    if stance in ("", None):
        stance = None
    elif not stances_on(space):
        raise DiscussionError(422, "stances_off",
                              _("This space does not use stances (for, against, neutral)."))
    elif stance not in STANCES:
        raise DiscussionError(422, "invalid_stance", _("A stance is for, against or neutral."))
    parent_row = None
    if parent not in (None, ""):
        parent_id = parent if isinstance(parent, int) else placette.parse_id(str(parent))
        if parent_id is None:
            raise DiscussionError(422, "invalid_parent", _("Unknown comment to reply to."))
        parent_row = (gated_comments(actor).where(Comment.id == parent_id).first()
                      if 0 < parent_id <= placette.MAX_ID else None)
        if parent_row is None or parent_row.resource_id != resource.id:
            raise DiscussionError(422, "invalid_parent",
                                  _("The comment you answer is not in this conversation."))
        if stance is not None:
            raise DiscussionError(422, "stance_on_reply",
                                  _("A stance is taken in a comment, not in a reply."))
    mentions = mentions_in(body, resource)
    with placette.atomic():
        depth = 0 if parent_row is None else min(parent_row.depth + 1, MAX_DEPTH)
        thread = None
        if parent_row is not None:
            thread = parent_row.id if parent_row.depth < MAX_DEPTH else parent_row.thread_id
        root = None if parent_row is None else (parent_row.root_id or parent_row.id)
        comment = Comment.create(resource=resource.id, space=resource.space_id,
                                 parent=parent_row.id if parent_row else None, thread=thread,
                                 root=root, depth=depth, author=actor.id, body=body,
                                 body_html=rendered(body), stance=stance)
        own = _publish_own(comment, resource, actor)
        comment.own = own.id
        comment.save()
        audience = followers(resource)
        follow(actor, resource, default=True)
        if notify and own.state == "visible":
            _notify(comment, resource, actor, audience, mentions)
    return comment, mentions


def _notify(comment, resource, actor, audience: set[int], mentions: Mentions) -> None:
    """A mentioned person is told once (the mention), never again as a follower."""
    mentioned = {u.id for u in mentions.told} - {actor.id}
    data = {"url": comment_url(comment, resource, actor), "comment": comment.id}
    if mentioned:
        placette.emit("discussions.comment.mentioned", space=resource.space_id,
                      resource=resource, actor=actor, data=data, recipients=sorted(mentioned))
    rest = audience - mentioned - {actor.id}
    if rest:
        placette.emit("discussions.comment.created", space=resource.space_id,
                      resource=resource, actor=actor, data=data, recipients=sorted(rest))


def notify_approved(own: placette.Resource) -> None:
    """Tell followers and mentioned people about a comment that waited for review (its own
    registry row ``own`` has just been approved), as :func:`post_comment` would have."""
    comment = Comment.get_or_none((Comment.own == own.id) & Comment.removed_at.is_null())
    if comment is None or comment.author_id is None:
        return
    resource = placette.Resource.get_or_none(placette.Resource.id == comment.resource_id)
    if resource is None:
        return
    author = placette.User.get_by_id(comment.author_id)
    _notify(comment, resource, author, followers(resource), mentions_in(comment.body, resource))


def may_edit(actor: Any, comment: Comment) -> bool:
    return (getattr(actor, "is_authenticated", False) and comment.author_id == actor.id
            and comment.removed_at is None)


def edit_comment(actor: Any, comment: Comment, body: Any) -> Comment:
    if not may_edit(actor, comment):
        raise DiscussionError(403, "forbidden", _("Only its author may change a comment."))
    body = clean_body(body)
    if body == comment.body:
        return comment
    resource = placette.Resource.get_by_id(comment.resource_id)
    with placette.atomic():
        CommentVersion.create(comment=comment.id, body=comment.body,
                              written_at=comment.edited_at or comment.created_at)
        comment.body = body
        comment.body_html = rendered(body)
        comment.edited_at = placette.utcnow()
        comment.save()
        _publish_own(comment, resource, comment.author_id)
    return comment


def remove_comment(actor: Any, comment: Comment) -> Comment:
    """Its author deletes it, or a moderator removes it: "comment removed" stays in the thread
    with its replies; the text is kept as a version for the animators."""
    own = getattr(actor, "is_authenticated", False) and comment.author_id == actor.id
    if not own and not may_moderate(actor, comment.space):
        raise DiscussionError(403, "forbidden", _("Only its author or an animator may remove "
                                                  "a comment."))
    if comment.removed_at is not None:
        return comment
    with placette.atomic():
        comment.removed_at = placette.utcnow()
        comment.removed_by = actor.id
        comment.save()
        placette.record_audit(actor, "discussions.comment.remove", target=f"comment:{comment.id}",
                              space=comment.space_id)
    return comment


def versions_of(comment: Comment) -> list[CommentVersion]:
    return list(CommentVersion.select().where(CommentVersion.comment == comment.id)
                .order_by(CommentVersion.replaced_at.desc()))
