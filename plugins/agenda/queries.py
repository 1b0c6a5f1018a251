"""What a person may see of the agenda, in SQL: one gate (``placette.visibility_clause``) applied
over the link table, so a joint meeting shows wherever at least one of its spaces allows it.

A meeting is visible when one of its spaces has the agenda on and lets the actor read an item of
the meeting's visibility there, and moderation has not hidden it (hidden or pending meetings stay
visible to their author and the space's animators only: ``placette.exclude_moderated``, one
``NOT EXISTS`` in the same statement).  Every list here costs a fixed number of queries.
"""
from __future__ import annotations

import datetime as dt

import placette
from peewee import fn

from .models import Meeting, MeetingOccurrence, MeetingSpace, Rsvp
from .occurrences import Occurrence

PLUGIN = "agenda"


def _agenda_on(space_column):
    """SQL: the agenda is on in the space -- a correlated ``EXISTS`` on the module index.  (As
    ``space IN (every space where it is on)``, the planner walked those thousand spaces for
    each meeting of the city agenda: 4.6 ms instead of under one.)"""
    module = placette.Module
    return fn.EXISTS(module.select(module.id).where(
        (module.space == space_column) & (module.plugin == PLUGIN) & module.enabled))


# One alias object for every query: peewee builds a class per aliased column the first time
# it is used, and caches it on the alias object.
_LINKED_SPACE = placette.Space.alias("agenda_linked_space")


def visible_clause(actor, space=None):
    """An SQL condition on ``Meeting``: may ``actor`` see it (in ``space`` only, if given)?"""
    linked = _LINKED_SPACE
    sub = (MeetingSpace.select(MeetingSpace.id)
           .join(linked, on=(MeetingSpace.space == linked.id))
           .where((MeetingSpace.meeting == Meeting.id)
                  & placette.visibility_clause(actor, linked.id, linked.visibility,
                                               Meeting.visibility,
                                               archived=linked.archived_at)))
    if space is not None:
        sub = sub.where(MeetingSpace.space == space.id)
    else:
        sub = sub.where(_agenda_on(linked.id))
    return fn.EXISTS(sub)


def _in_space(space):
    """The space's meetings, as a list subquery the planner walks through the link index (not
    every meeting of the city filtered afterwards)."""
    return MeetingSpace.select(MeetingSpace.meeting).where(MeetingSpace.space == space.id)


def _not_moderated(query, actor):
    """Drop meetings hidden or pending for ``actor`` (their author and the animators of their
    space keep them)."""
    return placette.exclude_moderated(query, actor, PLUGIN, "meeting", id_field=Meeting.id)


def visible_meetings(actor, space=None, listing: bool = True):
    """Meetings the actor may see (in ``space`` only, if given).  ``listing=False`` for a
    query that names its meeting: the space's whole list of meetings, which leads the planner
    through a list, would be read for the one row (a third of a meeting page's SQL in a
    council with ten thousand meetings); the gate's own link to the space is enough."""
    query = (Meeting.select(Meeting, placette.Space)
             .join(placette.Space, on=(Meeting.space == placette.Space.id))
             .where(visible_clause(actor, space)))
    if space is not None and listing:
        query = query.where(Meeting.id.in_(_in_space(space)))
    return _not_moderated(query, actor)


# What a list of meetings shows (the agenda pages, "my next meetings", a space's next meetings):
# only these columns are read, as partial rows.  The description, the reminders (JSON) and the
# bookkeeping dates of every listed meeting cost more to read than the page costs to render
# (thirty meetings: some three hundred date conversions).  A list that shows more adds it here.
_LISTED = (
    MeetingOccurrence.id, MeetingOccurrence.meeting, MeetingOccurrence.key,
    MeetingOccurrence.starts_at, MeetingOccurrence.ends_at, MeetingOccurrence.status,
    Meeting.id, Meeting.space, Meeting.title, Meeting.room, Meeting.address, Meeting.online_url,
    Meeting.capacity, Meeting.visibility, Meeting.status,
    placette.Space.id, placette.Space.slug, placette.Space.name, placette.Space.kind,
    placette.Space.visibility, placette.Space.archived_at,
)


def _occurrences(actor, space=None):
    query = (MeetingOccurrence.select(*_LISTED)
             .join(Meeting).join(placette.Space, on=(Meeting.space == placette.Space.id))
             .where(visible_clause(actor, space)))
    if space is not None:
        query = query.where(MeetingOccurrence.meeting.in_(_in_space(space)))
    return _not_moderated(query, actor)


def _wrap(rows) -> list[Occurrence]:
    return [Occurrence.from_row(row, row.meeting) for row in rows]


def upcoming(actor, space=None, after: dt.datetime | None = None, limit: int = 20,
             concerning: tuple[int, tuple[int, ...]] | None = None) -> list[Occurrence]:
    """Occurrences not over yet at ``after`` (default now), soonest first.

    ``concerning=(user_id, space_ids)`` keeps the meetings of those spaces and those the person
    said they would attend.  On the dashboard and every space home: the SQL is written once
    per viewer, space and list (``placette.prepared``), the time is bound at each call."""
    after = after or placette.utcnow()

    def build(_viewer, space_id, limit, concerning, after, since):
        # Not over yet: started since ``since`` and either starting from now or ending after
        # now.  The same rows as "ends after now" (an occurrence ends after it starts), but
        # PostgreSQL's planner multiplies the selectivities of the conditions it is given,
        # and "started this month" times "ends after now" -- two dates that rise together --
        # made it expect a tenth of the rows there are: it then hashed every meeting of the
        # city before keeping twenty (the city agenda 55 ms) instead of walking the
        # occurrences from today and stopping at the limit (3.7 ms).  SQLite: same plan.
        window = (MeetingOccurrence.starts_at >= since) & (
            (MeetingOccurrence.starts_at >= after) | (MeetingOccurrence.ends_at > after))
        if space is not None:
            # A space's list is walked through its meetings: Meeting.last_end first leaves
            # the meetings that are over before their visibility and moderation are checked
            # (ten years of a council's history; SQLite 0.8 -> 0.3 ms).  Not city-wide: a
            # third rising date there made PostgreSQL's estimate worse still (dashboard 40 ms).
            window = (Meeting.last_end > after) & window
        query = _occurrences(actor, space).where(window)
        if concerning is not None:
            query = query.where(_concerning(*concerning))
        return query.order_by(MeetingOccurrence.starts_at, MeetingOccurrence.id).limit(limit)

    return _wrap(placette.prepared(
        "agenda.upcoming", build, placette.viewer_key(actor, moderation=True),
        getattr(space, "id", None), limit, concerning,
        after=after, since=after - dt.timedelta(days=31)).rows())


def _concerning(user_id: int, space_ids: tuple[int, ...]):
    """SQL on an occurrence: its meeting is linked to one of ``space_ids`` or ``user_id``
    answered other than "no".  Two correlated ``EXISTS`` on the link and answer indexes, so the
    planner walks dates from now and stops at the limit -- listing the person's meetings first
    cost 4 ms for twenty councils with ten years of history."""
    linked = (MeetingSpace.select(MeetingSpace.id)
              .where((MeetingSpace.meeting == MeetingOccurrence.meeting)
                     & MeetingSpace.space.in_(list(space_ids) or [0])))
    answered = (Rsvp.select(Rsvp.id)
                .where((Rsvp.meeting == MeetingOccurrence.meeting) & (Rsvp.user == user_id)
                       & (Rsvp.answer != "no")))
    return fn.EXISTS(linked) | fn.EXISTS(answered)


def past(actor, space=None, before: dt.datetime | None = None,
         limit: int = 20) -> list[Occurrence]:
    before = before or placette.utcnow()
    query = _occurrences(actor, space).where(MeetingOccurrence.starts_at < before)
    return _wrap(query.order_by(MeetingOccurrence.starts_at.desc(),
                                MeetingOccurrence.id.desc()).limit(limit))


def between(actor, space, start: dt.datetime, end: dt.datetime,
            limit: int = 1000) -> list[Occurrence]:
    """Occurrences starting in [start, end) (month grid)."""
    query = _occurrences(actor, space).where((MeetingOccurrence.starts_at >= start)
                                             & (MeetingOccurrence.starts_at < end))
    return _wrap(query.order_by(MeetingOccurrence.starts_at, MeetingOccurrence.id).limit(limit))


def mine_upcoming(actor, limit: int = 5) -> list[Occurrence]:
    """The next meetings of the actor's own spaces, and those they said they would attend."""
    return upcoming(actor, None, None, limit,
                    concerning=(actor.id, tuple(sorted(placette.roles_of(actor)))))


def link_spaces(actor, occurrences: list[Occurrence]) -> dict[int, str]:
    """For each meeting, the slug of a space through which the actor may open it."""
    ids = tuple(sorted({o.meeting.id for o in occurrences}))
    if not ids:
        return {}

    def build(count, **late):
        space = placette.Space  # what the permission rule reads, not the description
        return (MeetingSpace.select(MeetingSpace.id, MeetingSpace.meeting, MeetingSpace.space,
                                    space.id, space.slug, space.name, space.kind,
                                    space.visibility, space.archived_at)
                .join(space, on=(MeetingSpace.space == space.id))
                .where(MeetingSpace.meeting.in_([late[f"i{n}"] for n in range(count)]))
                .order_by(MeetingSpace.id))

    found: dict[int, str] = {}
    candidates: dict[int, list] = {}
    # The meetings' ids are late values: SQL written once per number of meetings listed.
    for link in placette.prepared("agenda.link_spaces", build, len(ids),
                                  **{f"i{n}": mid for n, mid in enumerate(ids)}).rows():
        candidates.setdefault(link.meeting_id, []).append(link.space)
    by_id = {o.meeting.id: o.meeting for o in occurrences}
    for meeting_id, spaces in candidates.items():
        meeting = by_id[meeting_id]
        readable = [s for s in spaces if placette.can_read(actor, s, meeting.visibility)]
        home = [s for s in readable if s.id == meeting.space_id]
        # Never a link through a space the actor may not know exists.
        chosen = (home or readable or placette.visible_spaces(spaces, actor) or spaces)[0]
        found[meeting_id] = chosen.slug
    return found


def answers_of(actor, occurrences: list[Occurrence]) -> dict[tuple[int, str], object]:
    """The actor's answers for listed occurrences, in one query."""
    if not getattr(actor, "is_authenticated", False) or not occurrences:
        return {}
    ids = tuple(sorted({o.meeting.id for o in occurrences}))

    def build(count, **late):
        return Rsvp.select().where((Rsvp.user == late["user_id"]) & Rsvp.meeting.in_(
            [late[f"i{n}"] for n in range(count)]))

    # The person and the meetings are late values: SQL written once per number of meetings.
    rows = placette.prepared("agenda.answers_of", build, len(ids), user_id=actor.id,
                             **{f"i{n}": mid for n, mid in enumerate(ids)}).rows()
    return {(r.meeting_id, r.occurrence): r for r in rows}


def seat_counts(occurrences: list[Occurrence]) -> dict[tuple[int, str], int]:
    """How many confirmed "yes" per listed occurrence, in one query."""
    if not occurrences:
        return {}
    ids = sorted({o.meeting.id for o in occurrences})
    keys = sorted({o.key for o in occurrences})

    def build(id_count, key_count, **late):
        return (Rsvp.select(Rsvp.meeting, Rsvp.occurrence, fn.COUNT(Rsvp.id))
                .where(Rsvp.meeting.in_([late[f"i{n}"] for n in range(id_count)])
                       & Rsvp.occurrence.in_([late[f"k{n}"] for n in range(key_count)])
                       & (Rsvp.answer == "yes") & ~Rsvp.waiting)
                .group_by(Rsvp.meeting, Rsvp.occurrence))

    # The meetings and occurrence keys are late values: SQL written once per number of each
    # (the agenda of a space asks it on every view; writing it was most of its cost).
    rows = placette.prepared("agenda.seat_counts", build, len(ids), len(keys),
                             **{f"i{n}": mid for n, mid in enumerate(ids)},
                             **{f"k{n}": key for n, key in enumerate(keys)}).tuples()
    return {(m, k): n for m, k, n in rows}


def get_visible(actor, meeting_id: int, space=None) -> Meeting | None:
    """The meeting if the actor may see it (through ``space`` when given), else ``None``.

    Every page of a meeting asks it first: its SQL (the gate, the space, moderation) is written
    once per viewer and space (``placette.prepared``), the meeting's id bound at each call."""
    def build(_viewer, _space_id, mid):
        return visible_meetings(actor, space, listing=False).where(Meeting.id == mid).limit(1)

    rows = placette.prepared("agenda.meeting", build, placette.viewer_key(actor, moderation=True),
                             getattr(space, "id", None), mid=meeting_id).rows()
    return rows[0] if rows else None
