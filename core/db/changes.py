"""Knowing that the data changed: which request wrote, and a counter of committed writes.

The page cache (:mod:`placette.page_cache`) may serve an anonymous visitor a kept page only
while nothing it could show has changed.  Rather than guess which page depends on which table, it relies on two facts
gathered here, for every SQL statement any code runs (kernel, plugins, tasks, CLI commands):

* the request that wrote anything is never stored (it may have shown a half-done state, or a
  flash message about it);
* every committed write bumps a **change counter** shared by all processes of the instance
  (a one-row table, or a Redis key on scale-out); an entry remembers the counter it was made
  under and is served only while the counter is unchanged.

The counter moves *after* the commit, never before: a page rendered between the two can only
be stored under the old value, which is already out of date once the bump lands.  On SQLite the
table's bump is the transaction's last statement instead (``bump_in_transaction``): it lands at
the same instant as the data, which is just as safe, and a separate write after the commit would
have to queue for the write lock again behind every other writer.

A bump that fails is not forgotten: the counter says so (``healthy`` false, and a warning in
the log), and the page cache of this process neither serves nor keeps pages until a later bump
lands -- otherwise pages kept before the write would go on being served as current.
"""
from __future__ import annotations

import logging
import re
import time
from contextvars import ContextVar
from typing import Any, Protocol

log = logging.getLogger("placette.page_cache")

# Statements that change data (or schema).  A WITH ... statement writes when its main part does.
_WRITE_HEADS = ("insert", "update", "delete", "replace", "create", "drop", "alter", "truncat")
_CTE_WRITE = re.compile(r"\)\s*(insert\s+into|update\s|delete\s+from)", re.IGNORECASE)


def is_write(sql: str) -> bool:
    head = sql[:12].lstrip().lower()
    if head.startswith(_WRITE_HEADS):
        return True
    return head.startswith("with") and _CTE_WRITE.search(sql) is not None


class ChangeCounter(Protocol):
    healthy: bool

    def read(self) -> int | None: ...

    def bump(self) -> None: ...


class _Health:
    """Whether this process's last bump landed; the change of state is logged once."""

    healthy = True

    def _landed(self) -> None:
        if not self.healthy:
            self.healthy = True
            log.warning("page cache change counter bumped again: pages are kept again")

    def _failed(self, why: str) -> None:
        if self.healthy:
            self.healthy = False
            log.warning("page cache change counter not bumped (%s): pages are neither kept "
                        "nor served by this process until a bump lands", why, exc_info=True)


class RequestState:
    """What one request did that forbids keeping its page, and until when its page holds."""

    __slots__ = ("storable", "valid_until", "reason", "streamed")

    def __init__(self, valid_until: float):
        self.storable = True
        self.valid_until = valid_until
        self.reason = ""
        self.streamed = False  # a download: its body is passed on, never gathered in memory

    def refuse(self, reason: str) -> None:
        if self.storable:
            self.storable, self.reason = False, reason


current_request: ContextVar[RequestState | None] = ContextVar("placette_page_cache_request",
                                                              default=None)


def refuse_current(reason: str) -> None:
    """The running request (if the page cache is watching it) must not be stored."""
    state = current_request.get()
    if state is not None:
        state.refuse(reason)


def before_statement(sql: str) -> bool:
    """Called for every statement before it runs; True when it writes."""
    if not is_write(sql):
        return False
    refuse_current("wrote to the database")
    return True


def after_write(db: Any) -> None:
    """A write statement ran: bump the counter now, or once the transaction commits."""
    counter = getattr(db, "change_counter", None)
    if counter is None:
        return
    if db.transaction_depth() == 0:
        counter.bump()
        return
    if getattr(db, "bump_in_transaction", False) and getattr(counter, "transactional", False):
        db._state.bump_before_commit = True  # the database bumps it just before COMMIT
        return
    callbacks = db._state.commit_callbacks
    if counter.bump not in callbacks:  # once per transaction, whatever the number of writes
        try:
            db.after_commit(counter.bump)
        except ValueError:  # a manual transaction: no callbacks; bump now (cache just misses)
            counter.bump()


class SqlChangeCounter(_Health):
    """The counter as a one-row table (``placette_change_counter``, migration 0009): every
    process using the database sees it, SQLite file or PostgreSQL server alike."""

    READ = "SELECT n FROM placette_change_counter WHERE id = 1"
    transactional = True  # may be bumped inside the writing transaction
    BUMP = "UPDATE placette_change_counter SET n = n + 1 WHERE id = 1"

    def __init__(self, db: Any, raw_execute):
        self.db = db
        self._raw_execute = raw_execute  # the unwrapped execute_sql: a bump is not a write

    def read(self) -> int | None:
        """The counter, or None when its row is missing (then nothing is cached)."""
        row = self.db.execute_sql(self.READ).fetchone()
        return row[0] if row else None

    def bump(self) -> None:
        try:
            self._raw_execute(self.BUMP)
        except Exception:
            if self._missing():  # before migration 0009 (`placette migrate`): nothing is kept
                log.debug("change counter not bumped: no counter table yet", exc_info=True)
                return
            self._failed("database error")
        else:
            self._landed()

    def _missing(self) -> bool:
        try:
            return "placette_change_counter" not in self.db.get_tables()
        except Exception:
            return False


class RedisChangeCounter(_Health):
    """The counter as a Redis key, for instances whose processes share a Redis."""

    def __init__(self, client: Any, key: str):
        self.client, self.key = client, key

    def read(self) -> int | None:
        value = self.client.get(self.key)
        return None if value is None else int(value)

    def start(self) -> None:
        """Create the key, starting from the clock in nanoseconds rather than 0: if Redis ever
        loses it (restart without persistence, eviction), the counter starts again above every
        value it had, so a page kept under an old value can never match a new one."""
        try:
            self.client.set(self.key, time.time_ns(), nx=True)
        except Exception:
            log.warning("Redis did not answer: page cache counter not started", exc_info=True)

    def bump(self) -> None:
        try:
            if not self.client.set(self.key, time.time_ns(), nx=True):  # a fresh key is a change too
                self.client.incr(self.key)
        except Exception:
            # The write has landed and kept pages do not know: stop serving them.
            self._failed("Redis did not answer")
        else:
            self._landed()
