"""What people read on the site: their inbox, a space's activity, "what is new in my spaces".

Every list is one SQL query whatever its length, filtered *at reading time* through the
permission gate's SQL form (:func:`placette.visibility_clause`), plus two rules of this service:
the event's plugin must still be on in the space (disabled means gone) and its resource must not
be hidden or pending for the reader (:func:`placette.moderation_clause`: its author and the
space's animators still see it; everyone sees it again once an animator restores it).  Activity
shows the events addressed to everyone in the space; events sent to named people (a reminder, a
request to join sent to the animators) are notifications, not news -- unless their type is
declared ``EventType(..., activity=True)`` and they name a resource, whose gate then applies.
"""
from __future__ import annotations

from peewee import JOIN, SQL, Case, fn

from ..db import is_postgres, utcnow
from ..kernel import registry
from ..models import Event, Module, Notification, Resource, Space, User
from ..moderation.visibility import moderation_clause
from ..permissions import visibility_clause
from ..plugin_manager import KERNEL
from ..query_memo import prepared, viewer_key

UNREAD_CAP = 99  # the bell says "99+" beyond
# One alias object for every query: peewee builds a class per aliased column on first use.
_EVENT_ACTOR = User.alias("event_actor")
# The spaces and events of the per-space read (newest_first_per_space).
_LISTED_SPACE = Space.alias("listed_space")
_PICKED_EVENT = Event.alias("picked_event")


def module_on(plugin_column, space_column):
    """SQL: the event's plugin is the kernel, or is activated and enabled in the space."""
    enabled = (Module.select(Module.id)
               .where((Module.space == space_column) & (Module.plugin == plugin_column)
                      & (Module.enabled == True)))  # noqa: E712 (SQL)
    active = list(registry().plugins)
    return (plugin_column == KERNEL) | (plugin_column.in_(active) & fn.EXISTS(enabled))


def _readable(query, actor):
    return query.where(
        visibility_clause(actor, Space.id, Space.visibility, Resource.visibility,
                          archived=Space.archived_at)
        & module_on(Event.plugin, Event.space)
        & (Resource.id.is_null() | moderation_clause(actor)))


def _event_columns(actor_alias) -> list:
    """Only what lists show: rows of joined models are costly to build, column by column."""
    return [Event.id, Event.name, Event.plugin, Event.space, Event.resource, Event.actor,
            Event.data, Event.created_at, Space.id, Space.slug, Space.name,
            Resource.id, Resource.title, Resource.url, Resource.space, Resource.visibility,
            Resource.state, actor_alias.id, actor_alias.display_name]


def paginate(query, page: int, per_page: int) -> tuple[list, int]:
    """One page and the total, in one query (a window count), so a list page with a pager
    costs one query, not two.  (The window makes the database read every row before the
    page: fine for a space's activity, not for a long inbox -- see :func:`inbox_page`.)"""
    rows = list(query.select_extend(fn.COUNT(SQL("*")).over().alias("total_rows"))
                .paginate(page, per_page))
    if rows:
        return rows, rows[0].total_rows
    return rows, (0 if page == 1 else query.count())


def _event_joins(query, actor_alias):
    return (query.join_from(Event, Space, on=(Event.space == Space.id))
            .join_from(Event, Resource, JOIN.LEFT_OUTER, on=(Event.resource == Resource.id))
            .join_from(Event, actor_alias, JOIN.LEFT_OUTER, on=(Event.actor == actor_alias.id)))


# -- inbox ------------------------------------------------------------------------------------

def inbox(user, unread_only: bool = False):
    """The person's notifications they may still see, newest first (rows carry event, space,
    resource and actor)."""
    actor = _EVENT_ACTOR
    query = (Notification.select(Notification.id, Notification.read_at,
                                 Notification.created_at, *_event_columns(actor))
             .join(Event, on=(Notification.event == Event.id)))
    query = _event_joins(query, actor).where(Notification.user == user.id)
    if unread_only:
        query = query.where(Notification.read_at.is_null())
    return _readable(query, user).order_by(Notification.id.desc())


def _inbox_narrow(user, unread_only: bool):
    """The person's readable notifications as bare ids: what counting needs (no columns, no
    actor, no order)."""
    query = (Notification.select(Notification.id)
             .join(Event, on=(Notification.event == Event.id))
             .join_from(Event, Space, on=(Event.space == Space.id))
             .join_from(Event, Resource, JOIN.LEFT_OUTER, on=(Event.resource == Resource.id))
             .where(Notification.user == user.id))
    if unread_only:
        query = query.where(Notification.read_at.is_null())
    return _readable(query, user)


def unread_count(user, cap: int | None = UNREAD_CAP) -> int:
    """Unread notifications the person may still see, counted up to ``cap + 1`` (the bell only
    needs to know "more than 99"; ``None`` counts them all)."""
    def build(_viewer, cap):
        query = _inbox_narrow(user, unread_only=True)
        return query.limit(cap + 1) if cap is not None else query

    # On every page (the bell): its SQL is written once per person and roles.
    return prepared("notifications.unread_count", build,
                    viewer_key(user, moderation=True), cap).count()


def inbox_page(user, unread_only: bool, page: int, per_page: int) -> tuple[list, int]:
    """One page of the person's :func:`inbox` and its total, both prepared.

    Two statements, not one with a window count: ``COUNT(*) OVER ()`` made SQLite join and
    sort every notification of the person with all its columns before keeping 30; the page
    alone walks the person's index from the newest and stops (3.7 -> 0.3 ms for 800), and the
    count reads bare ids.
    """
    rows, total, _unread = inbox_page_and_unread(user, unread_only, page, per_page)
    return rows, total


def inbox_page_and_unread(user, unread_only: bool, page: int, per_page: int
                          ) -> tuple[list, int, int]:
    """:func:`inbox_page` and, from the same counting statement, how many of the person's
    readable notifications are unread (uncapped): the inbox page gives the bell its number
    without asking the database a third time."""
    viewer = viewer_key(user, moderation=True)
    rows = prepared("notifications.inbox", lambda _viewer, unread_only, page, per_page:
                    inbox(user, unread_only).paginate(page, per_page),
                    viewer, unread_only, page, per_page).rows()

    def counts(_viewer, unread_only):
        unread = fn.SUM(Case(None, [(Notification.read_at.is_null(), 1)], 0))
        return _inbox_narrow(user, unread_only).select(fn.COUNT(Notification.id), unread)

    total, unread = prepared("notifications.inbox_counts", counts, viewer,
                             unread_only).tuples()[0]
    return rows, total, int(unread or 0)


def mark_read(user, ids: list[int] | None = None) -> int:
    """Mark some (``ids``) or all of the person's notifications read; returns how many changed.
    Ids of other people's notifications are ignored."""
    query = Notification.update(read_at=utcnow()).where(
        (Notification.user == user.id) & Notification.read_at.is_null())
    if ids is not None:
        if not ids:
            return 0
        query = query.where(Notification.id.in_(ids))
    return query.execute()


# -- activity ---------------------------------------------------------------------------------

def _news():
    """SQL: the event is news of its space (see the module docstring)."""
    news = sorted(name for name, declared in registry().event_types.items()
                  if getattr(declared, "activity", False))
    shown = Event.recipients.is_null()
    if news:
        shown = shown | (Event.name.in_(news) & Event.resource.is_null(False))
    return shown


def activity(actor, space_ids: list[int] | None = None):
    """Events of the given spaces (all readable ones if ``None``) the actor may see, newest
    first."""
    who = _EVENT_ACTOR
    query = _event_joins(Event.select(*_event_columns(who)), who)
    query = query.where(_news())
    if space_ids is not None:
        query = query.where(Event.space.in_(space_ids or [0]))
    return _readable(query, actor).order_by(Event.id.desc())


def newest_first_per_space(actor, space_ids, count: int):
    """The ids of the newest readable events of the given spaces -- at least the ``count``
    newest of all -- as a subquery for ``Event.id.in_``.

    Why: "newest 10 of all my spaces" written as one ``space_id IN (...) ORDER BY id DESC``
    makes the database read and sort every event of every space to keep ten, so a dashboard
    grew slower with the city's history.  Here each space's read walks the ``(space_id, id)``
    index backwards and stops after ``count`` readable events: the work is bounded by the
    number of spaces, never by how many events they have.

    The per-space read is written once and run for each listed space -- correlated with the
    list on SQLite, a ``LATERAL`` join on PostgreSQL -- rather than as a union of one read per
    space: the union carried the whole permission gate once per space (twenty spaces, 1,321
    parameters), which SQLite bound and evaluated twenty times (1.2 -> 0.3 ms) and PostgreSQL
    planned anew on every dashboard (14 ms of planning, 20-30 ms in all -> 3-4 ms)."""
    space_ids = list(space_ids)
    if len(space_ids) < 2:  # one space, or none (space 0: no event, and the SQL stays valid)
        return _newest_readable(actor, space_ids[0] if space_ids else 0, count)
    listed = _LISTED_SPACE
    if is_postgres():
        newest = _newest_readable(actor, listed.id, count).alias("newest")
        # Only the ``count`` newest leave the subquery: PostgreSQL would otherwise join every
        # space's events to their spaces, resources and authors before keeping ten.
        return (listed.select(newest.c.id).join(newest, JOIN.LATERAL, on=SQL("TRUE"))
                .where(listed.id.in_(space_ids)).order_by(newest.c.id.desc()).limit(count))
    picked = _PICKED_EVENT
    return (listed.select(picked.id)
            .join(picked, on=picked.id.in_(_newest_readable(actor, listed.id, count)))
            .where(listed.id.in_(space_ids)))


def _newest_readable(actor, space, count: int):
    """The ids of the ``count`` newest readable events of ``space`` (an id, or a column of the
    enclosing query), newest first."""
    return (Event.select(Event.id).join_from(Event, Space, on=(Event.space == Space.id))
            .where((Event.space == space) & _news()
                   & module_on(Event.plugin, Event.space) & _readable_resource(actor))
            .order_by(Event.id.desc()).limit(count))


def _readable_resource(actor):
    """:func:`_readable`'s rule written without joining the resource: a join lets PostgreSQL
    hash it and sort afterwards (reading the whole space's history), a correlated ``EXISTS``
    keeps the index's order so the ``LIMIT`` stops the read."""
    space_only = visibility_clause(actor, Space.id, Space.visibility, None,
                                   archived=Space.archived_at)
    with_resource = (Resource.select(SQL("1"))
                     .where((Resource.id == Event.resource)
                            & visibility_clause(actor, Space.id, Space.visibility,
                                                Resource.visibility, archived=Space.archived_at)
                            & moderation_clause(actor)))
    return ((Event.resource.is_null() & space_only)
            | (Event.resource.is_null(False) & fn.EXISTS(with_resource)))


def recent_activity(actor, space_ids: list[int] | None, limit: int, offset: int = 0) -> list:
    """A page of :func:`activity`, resource spaces attached: on every dashboard and space home,
    so its SQL is written once per reader and spaces (see ``placette.prepared``).

    For named spaces the page is picked among each space's newest events
    (:func:`newest_first_per_space`), so its cost does not grow with history."""
    def build(_viewer, space_ids, limit, offset):
        if space_ids is None:
            return activity(actor, None).limit(limit).offset(offset or None)
        who = _EVENT_ACTOR
        newest = newest_first_per_space(actor, space_ids, limit + (offset or 0))
        return (_event_joins(Event.select(*_event_columns(who)), who)
                .where(Event.id.in_(newest))
                .order_by(Event.id.desc()).limit(limit).offset(offset or None))

    spaces = None if space_ids is None else tuple(space_ids)
    return attach_resource_spaces(prepared(
        "notifications.activity", build, viewer_key(actor, moderation=True), spaces, limit,
        offset).rows())


def attach_resource_spaces(events) -> list:
    """Give each loaded resource its space object (already in the row), so templates and
    permission checks need no query."""
    events = list(events)
    for event in events:
        if event.resource_id is not None and event.resource.space_id == event.space_id:
            event.resource.space = event.space
    return events
