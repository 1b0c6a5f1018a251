"""The database: one peewee proxy for the kernel and every plugin, bound at start-up.

Plugins declare models on :class:`BaseModel` (through the facade) and never open connections
themselves: the web app opens one per request and the worker one per task.

Two engines are first-class: SQLite (embedded default, WAL + foreign keys, built with explicit
pragmas because a URL's query string does not reach them) and PostgreSQL (pooled connections).

Writing on SQLite never fails because someone else writes (issue 17): every transaction takes the
write lock when it begins (``BEGIN IMMEDIATE``), waiting up to ``busy_timeout`` for it, instead
of starting as a reader and upgrading at its first write -- an upgrade that fails at once, without
waiting, when another connection committed in between.  Long jobs commit in bounded batches so
nobody waits long; a lock still not granted in time is :func:`is_busy`, which the web layer answers
with 503 and ``Retry-After`` (``placette.web.errors``).
"""
from __future__ import annotations

import collections
import datetime as _dt
import threading
import time
from pathlib import Path
from urllib.parse import unquote, urlparse

import peewee
from peewee import DatabaseProxy, Model, _savepoint
from playhouse.pool import PooledPostgresqlDatabase

from .changes import is_write as _is_write

database = DatabaseProxy()

BUSY_TIMEOUT_MS = 5000
RETRY_AFTER_SECONDS = 2  # what a 503 for a lock that timed out tells the client to wait

# Prepared statements kept per SQLite connection (Python's default is 128).  One round of the
# benchmark's 35 pages, for one person each, already uses 129: the gated statements differ by
# page, by shape and by the number of a reader's spaces, so a city's traffic uses many more, and
# past the cache each of them is parsed and planned again at every run (a meeting's 4 KB
# statement: 0.13 ms kept, 0.39 ms prepared anew).  They average 11 KB (sqlite_stmt): 1,024 of
# them, some 12 MB per connection.
SQLITE_STATEMENTS = 1024

SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "synchronous": "normal",
    # How long a statement or a BEGIN IMMEDIATE waits for the write lock before giving up
    # ("database is locked": the site answers 503, retry later).  Long jobs commit in batches
    # well under this.
    "busy_timeout": BUSY_TIMEOUT_MS,
    "cache_size": -16000,
    # Read the file through the OS page cache instead of copying each page into SQLite's own
    # cache: a search or a list joining thousands of rows by id took a third less time.  The
    # size is address space, not memory; past it, reads fall back to ordinary I/O.
    "mmap_size": 256 * 1024 * 1024,
}


def utcnow() -> _dt.datetime:
    """Naive UTC 'now': every timestamp in the database is UTC; pages convert to the city's zone."""
    return _dt.datetime.now(_dt.UTC).replace(tzinfo=None)


class _RollbackAwareSavepoint(_savepoint):
    """A savepoint that forgets the after-commit callbacks registered inside it when rolled back.

    peewee clears callbacks on a full rollback only; events emitted inside a failed nested block
    must not go out when the outer transaction commits.
    """

    def _begin(self):
        self._mark = len(self.db._state.commit_callbacks)
        super()._begin()

    def rollback(self, begin=True):
        super().rollback(begin)
        del self.db._state.commit_callbacks[self._mark:]


class _SavepointMixin:
    def savepoint(self):
        return _RollbackAwareSavepoint(self)

    def create_tables(self, models, **options):
        """Name every index after its table, never after its model class.

        A migration's frozen models are plain peewee ``Model`` classes (``placette migrations
        make`` writes them so), whose index names start with the *class* name: ``item_space_id``.
        Index names are global to the database, so a second plugin with a class of the same
        name (the showcase's ``Item`` and a third party's ``Item``; discussions' and drafting's
        ``Comment``) got an index name already taken -- ``CREATE INDEX IF NOT EXISTS`` skipped it
        in silence and its table had no index.  Table names are unique by construction
        (``<plugin>_...``), so names made from them cannot clash.  Databases created before this
        keep their old names; migrations pair indexes by their columns, not their names."""
        for model in models:
            model._meta.legacy_table_names = False  # peewee's documented per-model option
        return super().create_tables(models, **options)


class _FairWriteLock:
    """First come, first served among the threads of this process that want to write.

    SQLite's own waiting (``busy_timeout``) polls, sleeping up to 100 ms between attempts: a job
    committing thousands of short transactions in a loop (mails of a big fan-out) takes the lock
    back before a sleeping web request looks again, which then waits seconds, or times out.
    Threads of one process -- the web server and the in-process worker of ``placette demo``,
    several worker threads -- queue here instead, in order, and are woken the moment the lock is
    free.  Other processes still meet at SQLite's lock.  A thread that ended while holding it
    (its connection, closed with it, rolled back) loses it to the next in line.
    """

    def __init__(self):
        self._cond = threading.Condition()
        self._owner: threading.Thread | None = None
        self._waiting: collections.deque = collections.deque()

    def held(self) -> bool:
        return self._owner is threading.current_thread()

    def acquire(self, timeout: float) -> bool:
        ticket = object()
        deadline = time.monotonic() + timeout
        with self._cond:
            self._waiting.append(ticket)
            while True:
                if self._owner is not None and not self._owner.is_alive():
                    self._owner = None
                if self._owner is None and self._waiting[0] is ticket:
                    break
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    self._waiting.remove(ticket)
                    self._cond.notify_all()
                    return False
                self._cond.wait(min(remaining, 0.5))  # wakes to notice a dead owner too
            self._waiting.popleft()
            self._owner = threading.current_thread()
            return True

    def release(self) -> None:
        with self._cond:
            if self._owner is threading.current_thread():
                self._owner = None
                self._cond.notify_all()


class PlacetteSqliteDatabase(_SavepointMixin, peewee.SqliteDatabase):
    """SQLite with the kernel's pragmas and savepoint-aware commit callbacks.

    Every top-level transaction (``atomic()``, ``transaction()``) begins ``IMMEDIATE``: it waits
    for the write lock up front (``busy_timeout``), so a transaction that reads then writes
    cannot fail half-way with "database is locked" when a concurrent writer commits between its
    read and its write.  Statements outside a transaction (autocommit) wait the same way.
    Within one process, transactions also queue in order (:class:`_FairWriteLock`).
    """

    def __init__(self, database, *args, lock_type: str = "IMMEDIATE", **kwargs):
        super().__init__(database, *args, lock_type=lock_type, **kwargs)
        self.write_lock = _FairWriteLock()

    def execute_sql(self, sql, params=None, *args, **kwargs):
        """A write outside a transaction (autocommit) queues for the lock like a transaction."""
        if self.transaction_depth() or self.write_lock.held() or not _is_write(sql):
            return super().execute_sql(sql, params, *args, **kwargs)
        if not self.write_lock.acquire(BUSY_TIMEOUT_MS / 1000):
            raise peewee.OperationalError("database is locked (waited for other writers of "
                                          "this process)")
        try:
            return super().execute_sql(sql, params, *args, **kwargs)
        finally:
            self.write_lock.release()

    def begin(self, lock_type=None):
        if self.write_lock.held():  # SQLite itself refuses a transaction inside a transaction
            return super().begin(lock_type)
        if not self.write_lock.acquire(BUSY_TIMEOUT_MS / 1000):
            raise peewee.OperationalError("database is locked (waited for other writers of "
                                          "this process)")
        try:
            return super().begin(lock_type)
        except BaseException:
            self.write_lock.release()
            raise

    bump_in_transaction = True  # the page cache's change counter: see placette.db.changes

    def commit(self):
        try:
            if getattr(self._state, "bump_before_commit", False):
                self._state.bump_before_commit = False
                if self.change_counter is not None:
                    self.change_counter.bump()
            return super().commit()
        finally:
            self.write_lock.release()

    def rollback(self):
        self._state.bump_before_commit = False
        try:
            return super().rollback()
        finally:
            self.write_lock.release()


class PlacettePostgresDatabase(_SavepointMixin, PooledPostgresqlDatabase):
    """PostgreSQL through a small connection pool (closing returns the connection)."""


class QueryCounter:
    """Counts SQL statements per thread; the benchmarks and the query-count tests read it."""

    def __init__(self):
        self._local = threading.local()

    @property
    def count(self) -> int:
        return getattr(self._local, "count", 0)

    def reset(self) -> None:
        self._local.count = 0

    def bump(self) -> None:
        self._local.count = self.count + 1


query_counter = QueryCounter()


def _count_queries(db):
    """Wrap ``execute_sql``: count every statement, and tell :mod:`.changes` about writes (the
    page cache must neither keep a page that wrote nor serve one made before a commit)."""
    from . import changes
    original = db.execute_sql

    def execute_sql(sql, params=None, *args, **kwargs):
        query_counter.bump()
        if not changes.before_statement(sql):
            return original(sql, params, *args, **kwargs)
        cursor = original(sql, params, *args, **kwargs)
        changes.after_write(db)
        return cursor

    db.execute_sql = execute_sql
    db.raw_execute_sql = original
    db.change_counter = None  # set by the page cache when it is on (see placette.page_cache)
    return db


def open_database(url: str, root: Path | None = None):
    """Build (not connect) a database object from a URL; relative SQLite paths use ``root``."""
    if url.startswith("sqlite:///"):
        raw = url[len("sqlite:///"):]
        if raw == ":memory:":
            return _count_queries(PlacetteSqliteDatabase(":memory:", pragmas=SQLITE_PRAGMAS))
        path = Path(raw).expanduser()
        if not path.is_absolute() and root is not None:
            path = Path(root) / path
        path.parent.mkdir(parents=True, exist_ok=True)
        return _count_queries(PlacetteSqliteDatabase(str(path), pragmas=SQLITE_PRAGMAS,
                                                     check_same_thread=False,
                                                     cached_statements=SQLITE_STATEMENTS))
    if url.startswith(("postgresql://", "postgres://")):
        parsed = urlparse(url)
        params = {
            "host": parsed.hostname or "127.0.0.1",
            "port": parsed.port or 5432,
            "user": unquote(parsed.username) if parsed.username else None,
            "password": unquote(parsed.password) if parsed.password else None,
        }
        params = {k: v for k, v in params.items() if v is not None}
        name = parsed.path.lstrip("/") or "placette"
        return _count_queries(PlacettePostgresDatabase(name, max_connections=32,
                                                       stale_timeout=300, **params))
    raise ValueError(f"unsupported database URL: {url}")


_SQLITE_BUSY = ("database is locked", "database is busy", "database table is locked")
# PostgreSQL: lock_timeout reached, serialization failure, deadlock -- all worth a retry.
_PG_BUSY = {"55P03", "40001", "40P01"}


def is_busy(exc: BaseException) -> bool:
    """Did ``exc`` come from a lock the database could not grant in time (retry later, 503)?"""
    if not isinstance(exc, peewee.DatabaseError):
        return False
    original = exc.args[0] if exc.args and isinstance(exc.args[0], BaseException) \
        else exc.__context__
    code = getattr(original, "pgcode", None)
    if code is not None:
        return code in _PG_BUSY
    message = str(original if original is not None else exc).lower()
    return any(text in message for text in _SQLITE_BUSY)


# PostgreSQL gone (restarted, failed over, not yet up): SQLSTATE class 08 (connection
# exception), 57P01-57P03 (shutting down, crashed, not accepting connections yet).  libpq reports
# a refused or dropped connection with no SQLSTATE at all.
_PG_UNAVAILABLE = ("57P01", "57P02", "57P03")


def is_unavailable(exc: BaseException) -> bool:
    """Did ``exc`` come from a database server that does not answer at the moment?

    Unlike a bug, this passes by itself: the web answers 503 with ``Retry-After`` (nothing was
    written: the transaction never reached the server's commit), and the next request connects
    again.  SQLite never says this: its file is always there.
    """
    if isinstance(exc, peewee.InterfaceError):  # "connection already closed"
        return True
    if not isinstance(exc, peewee.OperationalError):
        return False
    original = exc
    for _depth in range(6):  # peewee wraps the driver's error, sometimes twice (connect in
        # a cursor call): find the driver's own
        if original is None or type(original).__module__.startswith("psycopg"):
            break
        original = original.args[0] if original.args and isinstance(
            original.args[0], BaseException) else original.__context__
    if original is None or not type(original).__module__.startswith("psycopg"):
        return False
    code = getattr(original, "pgcode", None)
    if code:
        return code.startswith("08") or code in _PG_UNAVAILABLE
    return True


def forget_connections() -> None:
    """After the server went away: drop this thread's connection and every idle pooled one
    (they all point at the server that is gone), so the next request opens a fresh one."""
    db = database.obj
    if db is None or not isinstance(db, PooledPostgresqlDatabase):
        return
    # peewee's own close() refuses while a transaction is marked open and would hand a broken
    # connection back to the pool: take it out of the pool for good, then reset this thread.
    connection = None if db._state.closed else db._state.conn
    if connection is not None:
        try:
            db._close(connection, close_conn=True)
        except Exception:  # noqa: BLE001 -- best effort: the connection is broken anyway
            pass
        db._state.reset()
    try:
        db.close_idle()
    except Exception:  # noqa: BLE001
        pass


def redact_url(url: str) -> str:
    """The URL without its password, fit for an error message or a log line."""
    parsed = urlparse(url)
    if parsed.password:
        netloc = parsed.netloc.replace(f":{parsed.password}@", ":***@")
        return parsed._replace(netloc=netloc).geturl()
    return url


def unreachable(config, exc: Exception):
    """A :class:`ConfigError` saying, in one line, that the configured database does not answer."""
    from ..errors import ConfigError
    import os
    reason = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    origin = (" (set by the environment variable PLACETTE_DATABASE_URL)"
              if os.environ.get("PLACETTE_DATABASE_URL") else "")
    return ConfigError(f"{config.source}: key 'database_url': cannot use the database "
                       f"{redact_url(config.database_url)} ({reason}){origin}")


_compiled: dict[tuple, str] = {}


def compiled_sql(key: str, build) -> str:
    """The SQL text of a hot, fixed-shape query, generated once per database engine.

    peewee writes SQL anew for every query -- about 0.2 ms for a one-row lookup here, more than
    the database takes to answer it.  For the few queries every request runs (loading the
    signed-in person), build the query once with placeholder values and run the cached text
    with ``Model.raw(sql, *params)``: rows are converted by the same fields.
    """
    engine = type(database.obj)
    sql = _compiled.get((engine, key))
    if sql is None:
        sql = build().sql()[0]
        _compiled[(engine, key)] = sql
    return sql


def bind(db) -> None:
    """Point the proxy at a concrete database (called by the app factory and the worker)."""
    database.initialize(db)


def is_postgres() -> bool:
    return isinstance(database.obj, peewee.PostgresqlDatabase)


def refresh_statistics() -> None:
    """Refresh the query planner's statistics (``ANALYZE``): the periodic task
    ``placette.db.statistics`` runs it every night.

    Without statistics SQLite guesses that every index is selective: with a thousand open
    moderation cases it reads them all to count the three of one council, instead of starting
    from the council's resources (0.4 ms instead of 0.02 ms, on every page a moderator opens).
    PostgreSQL's autovacuum analyses too; an explicit pass after the day's writes costs nothing.
    """
    database.execute_sql("ANALYZE")


def after_commit(fn):
    """Run ``fn`` once the current transaction commits (at once outside a transaction).

    A rollback -- of the whole transaction or of the savepoint that registered it -- drops it.
    """
    return database.after_commit(fn)


def atomic():
    """A transaction (a savepoint when nested).  On SQLite it takes the write lock as it begins
    (``BEGIN IMMEDIATE``): keep it short -- long jobs commit in bounded batches."""
    return database.atomic()


class BaseModel(Model):
    """Base for every table, kernel or plugin.  Table names are snake_case of the class name;
    plugin models set ``Meta.table_name = "<plugin>_..."`` (checked at start-up)."""

    class Meta:
        database = database
        legacy_table_names = False


def _kernel_table_name(model_class) -> str:
    import re
    return "placette_" + re.sub(r"(?<!^)(?=[A-Z])", "_", model_class.__name__).lower()


class KernelModel(BaseModel):
    """The kernel's own tables, all named ``placette_*`` so no plugin name can clash with them."""

    class Meta:
        table_function = _kernel_table_name
