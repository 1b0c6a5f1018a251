"""The moderation queue: what awaits a moderator's review, in their spaces only.

A page of the queue costs a fixed number of queries whatever its length: count, cases (with
resource, space and author joined), and the open reports of the cases on the page.

The open cases are counted and ordered from an index of the cases alone: each keeps its
resource's space, plugin and place in the queue (``ModerationCase.rank``: hidden first), so a
busy city's queue reads the 25 resources of its page, not the resources of all its open cases.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from peewee import JOIN

from .. import request_cache
from ..kernel import registry
from ..models import Module, ModerationCase, Report, Resource, Space, User
from ..plugin_manager import KERNEL
from ..query_memo import prepared
from .visibility import moderated_space_ids

PER_PAGE = 25
SHOWN_REASONS = 3


@dataclass
class QueueItem:
    case: ModerationCase
    resource: Resource
    space: Space
    author: User | None
    kind_label: str
    reports: list[Report] = field(default_factory=list)


def _scope(query, space_ids: tuple[int, ...] | list[int] | None):
    active = [KERNEL, *registry().names]
    query = query.where(Resource.plugin.in_(active)
                        & ((Resource.plugin == KERNEL) | (Module.enabled == True)))  # noqa: E712
    if space_ids is not None:
        query = query.where(Resource.space.in_(space_ids or [0]))
    return query


def _shown(query, show: str):
    if show == "hidden":
        return query.where((ModerationCase.open == False)  # noqa: E712
                           & (Resource.state == "hidden"))
    return query.where(ModerationCase.open == True)  # noqa: E712


def _with_module(query):
    return query.switch(Resource).join(Module, JOIN.LEFT_OUTER,
                                       on=((Module.space == Resource.space)
                                           & (Module.plugin == Resource.plugin)))


def _open_cases(space_ids: tuple[int, ...] | list[int] | None):
    """Ids of the open cases in scope, from the cases' own copies of their resource's plugin
    and space (and the module, for the scope): what counting and paging the queue need."""
    active = [KERNEL, *registry().names]
    query = (ModerationCase.select(ModerationCase.id)
             .join(Module, JOIN.LEFT_OUTER, on=((Module.space == ModerationCase.space_id)
                                                & (Module.plugin == ModerationCase.plugin)))
             .where((ModerationCase.open == True)  # noqa: E712
                    & ModerationCase.plugin.in_(active)
                    & ((ModerationCase.plugin == KERNEL) | (Module.enabled == True))))  # noqa: E712
    if space_ids is not None:
        query = query.where(ModerationCase.space_id.in_(space_ids or [0]))
    return query


def _narrow(show: str):
    """Case ids with their resource (and module, for the scope): what counting and sorting need."""
    return _shown(_with_module(ModerationCase.select(ModerationCase.id).join(Resource)), show)


def _order(query, show: str):
    if show == "hidden":
        return query.order_by(ModerationCase.decided_at.desc(), ModerationCase.id.desc())
    # Hidden-by-reports first (someone's words are off the site), then oldest first: the order
    # of the index on (open, rank, opened_at, id).
    return query.order_by(ModerationCase.rank, ModerationCase.opened_at, ModerationCase.id)


def scope_for(actor: Any, space: Space | None) -> list[int] | None:
    """Space ids the queue covers: one space, or every space the actor moderates (None: all)."""
    if space is not None:
        return [space.id]
    return moderated_space_ids(actor)


def count_open(space_ids: list[int] | None) -> int:
    """How many cases await review (the queue's tab and pager; the menu shows :func:`badge`):
    cases and resources only (no space, author or columns to join and carry), from the
    ``open`` index."""
    def build(space_ids):
        return _open_cases(space_ids)

    # SQL written once per list of spaces (see placette.prepared); counted once per request
    # (the queue's own total then gives the menu's badge).
    key = None if space_ids is None else tuple(space_ids)
    return request_cache.cached(("moderation_open", key), lambda: prepared(
        "moderation.count_open", build, key).count())


BADGE_CAP = 99


def badge(space_ids: list[int] | None) -> int | str | None:
    """The menu's count of cases to review, on every page a moderator opens: exact up to
    ``BADGE_CAP``, then ``"99+"`` -- a city with 1,200 open cases must not count them all on
    every page its administrators open (the queue's own tab and pager count them exactly, and
    when the queue page has counted, the badge reuses that count)."""
    key = None if space_ids is None else tuple(space_ids)
    found = request_cache.get(("moderation_open", key))
    if found is None:
        def build(space_ids):
            return _open_cases(space_ids).limit(BADGE_CAP + 1)

        found = request_cache.cached(("moderation_open_capped", key), lambda: prepared(
            "moderation.count_open_capped", build, key).count())
    if found > BADGE_CAP:
        return f"{BADGE_CAP}+"
    return found or None


def count(space_ids: list[int] | None, show: str = "open") -> int:
    """How many cases a tab of the queue holds: ``open`` (the badge's count) or ``hidden``."""
    if show != "hidden":
        return count_open(space_ids)
    key = None if space_ids is None else tuple(space_ids)

    def build(space_ids):
        return _scope(_narrow("hidden"), space_ids)

    return prepared("moderation.count_hidden", build, key).count()


_CASE_COLUMNS = (ModerationCase.id, ModerationCase.resource, ModerationCase.open,
                 ModerationCase.trigger, ModerationCase.report_count, ModerationCase.opened_at,
                 ModerationCase.author_reason, ModerationCase.decided_at)
_RESOURCE_COLUMNS = (Resource.id, Resource.plugin, Resource.kind, Resource.object_id,
                     Resource.space, Resource.visibility, Resource.author, Resource.title,
                     Resource.url, Resource.state)


def page_of(space_ids: list[int] | None, show: str = "open", page: int = 1,
            per_page: int = PER_PAGE) -> tuple[list[QueueItem], int]:
    def build(space_ids, show, page, per_page):
        # The page's ids are found on narrow rows (open ones: the cases' index alone), then
        # the page's cases are read with their resource, space and author.
        ids = _order(_scope(_narrow(show), space_ids) if show == "hidden"
                     else _open_cases(space_ids), show)
        # What the queue's rows show, and no more: of the space its name and a link to its
        # queue, of the author their name (not the whole account, password hash included), of
        # the resource not its summary -- every column is a field set on 25 instances.
        query = (ModerationCase.select(*_CASE_COLUMNS, *_RESOURCE_COLUMNS, Space.id, Space.slug,
                                       Space.name, User.id, User.display_name)
                 .join(Resource).join(Space)
                 .switch(Resource).join(User, JOIN.LEFT_OUTER, on=(Resource.author == User.id))
                 .where(ModerationCase.id.in_(ids.paginate(page, per_page))))
        return _order(query, show)

    key = None if space_ids is None else tuple(space_ids)
    total = count(space_ids, show)
    cases = prepared("moderation.page", build, key, show, page, per_page).rows()
    kinds = registry().resource_kinds
    items = []
    for case in cases:
        resource = case.resource
        kind = kinds.get(f"{resource.plugin}.{resource.kind}")
        items.append(QueueItem(case, resource, resource.space,
                               resource.author if resource.author_id else None,
                               str(kind.label) if kind else resource.kind))
    attach_reports(items, open_only=(show != "hidden"))
    return items, total


def attach_reports(items: list[QueueItem], open_only: bool = True) -> None:
    """Give each item its reports, newest first (one query for the whole page)."""
    ids = [item.resource.id for item in items]
    if not ids:
        return
    def build(count, open_only, **late):
        # What the queue and a case's page show of a report, never who wrote it (the join
        # only keeps the reports of existing accounts, as before).
        query = (Report.select(Report.id, Report.resource, Report.category, Report.reason,
                               Report.created_at, Report.closed_at)
                 .join(User, on=(Report.reporter == User.id))
                 .where(Report.resource.in_([late[f"i{n}"] for n in range(count)]))
                 .order_by(Report.created_at.desc(), Report.id.desc()))
        return query.where(Report.closed_at.is_null()) if open_only else query

    by_resource: dict[int, list[Report]] = {}
    # The page's ids are late values: the SQL is written once per page size, not once per
    # set of cases (which changes with every report and decision).
    for report in prepared("moderation.reports", build, len(ids), open_only,
                           **{f"i{n}": rid for n, rid in enumerate(ids)}).rows():
        by_resource.setdefault(report.resource_id, []).append(report)
    for item in items:
        item.reports = by_resource.get(item.resource.id, [])
