"""Views per shown item per month, without cookies, addresses or third parties.

A view is one request for an item's counter image.  It is added to a counter in this process's
memory and written in one batch once ``stats_flush_seconds`` have passed: every database write
empties the anonymous page cache, so writing at each view would make every public page cost a
full render.  What a process holds when it stops is lost -- a count, not a ledger.
"""
from __future__ import annotations

import threading
import time
from collections import Counter

import placette
from peewee import fn

from .models import Item, View
from .settings import instance_settings

#: At most this many (item, month) counters wait in memory: more are written at once, so
#: requests for made-up item ids cannot grow the memory of a process.
MAX_PENDING = 5000

_lock = threading.Lock()
_pending: Counter = Counter()
_last_flush = [time.monotonic()]


def month_of(moment=None) -> str:
    return (moment or placette.utcnow()).strftime("%Y-%m")


def count(item_id: int) -> None:
    with _lock:
        _pending[(item_id, month_of())] += 1
        due = (len(_pending) >= MAX_PENDING or time.monotonic() - _last_flush[0]
               >= instance_settings().stats_flush_seconds)
    if due:
        flush()


def flush() -> int:
    """Write what is pending; views of items that do not exist (any more) are dropped."""
    with _lock:
        batch = dict(_pending)
        _pending.clear()
        _last_flush[0] = time.monotonic()
    if not batch:
        return 0
    known = {i.id for i in Item.select(Item.id).where(
        Item.id.in_(list({item_id for item_id, _m in batch})) & (Item.state == "shown"))}
    with placette.atomic():
        for (item_id, month), n in batch.items():
            if item_id not in known:
                continue
            updated = (View.update(count=View.count + n)
                       .where((View.item == item_id) & (View.month == month)).execute())
            if not updated:
                View.create(item=item_id, month=month, count=n)
    return sum(batch.values())


def table(space) -> tuple[list[str], list[tuple]]:
    """(months, rows) for the animators: one row per item of the space, views per month, the
    last twelve months that have any view."""
    rows = (View.select(View.item, View.month, fn.SUM(View.count).alias("n"))
            .join(Item, on=(View.item == Item.id)).where(Item.space == space.id)
            .group_by(View.item, View.month))
    by_item: dict[int, dict[str, int]] = {}
    months: set[str] = set()
    for r in rows.objects():
        by_item.setdefault(r.item_id, {})[r.month] = int(r.n)
        months.add(r.month)
    ordered = sorted(months)[-12:]
    items = Item.select(Item.id, Item.title, Item.state).where(Item.space == space.id) \
        .order_by(Item.state, Item.position, Item.id)
    return ordered, [(i, [by_item.get(i.id, {}).get(m, 0) for m in ordered]) for i in items]
