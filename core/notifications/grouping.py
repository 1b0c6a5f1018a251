"""One line per item and type of news: what keeps a busy day's digest one short mail.

Twelve comments on one resource, or six minutes published for the dates of one recurring
meeting, are one line with a count and one link ("12 new comments on “Budget meeting”"), not
twelve lines repeating the same title and link.  Items are grouped on their ``group_key``
(:func:`placette.notifications.items.group_key`); the line's wording is the event type's
``grouped`` plural label, else a generic one, translated in the current (the reader's) locale.
"""
from __future__ import annotations

from dataclasses import replace

from ..i18n import gettext, ngettext
from ..kernel import registry
from .channels import NotificationItem


def group_items(items: list[NotificationItem]) -> list[NotificationItem]:
    """Merge items of one group into one, in the order their groups first appear.

    The merged item is the newest one (its link, e.g. the newest comment's anchor, its actor
    and date), with ``count``, ``notification_ids`` and ``line`` for the whole group; it is
    urgent if any of them is.  Call inside ``force_locale(reader's language)``.
    """
    groups: dict[str, list[NotificationItem]] = {}
    for item in sorted(items, key=lambda i: (i.created_at, i.id)):
        groups.setdefault(item.group_key or f"n{item.id}", []).append(item)
    return [_merge(members) if len(members) > 1 else members[0] for members in groups.values()]


def _merge(members: list[NotificationItem]) -> NotificationItem:
    newest = members[-1]
    count = len(members)
    actors = {m.actor_name for m in members}
    return replace(newest, count=count, urgent=any(m.urgent for m in members),
                   actor_name=newest.actor_name if len(actors) == 1 else None,
                   notification_ids=[i for m in members for i in m.notification_ids or [m.id]],
                   line=grouped_line(newest.event, newest.label, newest.title, count))


def grouped_line(event_name: str, label: str, title: str, count: int) -> str:
    """"12 new comments on “Budget”" as the event type words it, else
    "<label>: 12 updates on “Budget”"."""
    declared = registry().event_types.get(event_name)
    wording = getattr(declared, "grouped", None)
    if wording is not None:
        return wording.format(count, title=title)
    return gettext("%(label)s: %(title)s", label=label, title=ngettext(
        "%(num)d update on “%(title)s”", "%(num)d updates on “%(title)s”", count, title=title))
