"""Queries whose SQL is written once per shape and viewer, not on every request.

peewee writes the SQL of a query anew each time it runs: for the queries every page asks (the
bell's unread count, the moderation badge, a list filtered by the permission gate) that costs
1-2 ms of pure Python, ten times what the database then needs to answer.  Yet the text only
depends on a few inputs -- who is looking (their roles), which space, which page -- that repeat
from one request to the next as a person browses.

:func:`prepared` memoises the SQL and parameters of a query built by ``build(*inputs)``, keyed
by ``(name, inputs)``, per application (one memo per kernel, so two apps with other plugins in
one process never share text).  The memo holds SQL, never rows: the database is asked every
time, so nothing read through it is ever stale.  The contract is that ``build`` is a pure
function of ``inputs``:

* pass every value the query depends on as an input (ids, page numbers, a role summary from
  :func:`viewer_key`) -- never read the clock or the request inside ``build``;
* inputs must be hashable: lists become tuples.

Plugins use it through the facade (``placette.prepared``); ``tests/test_query_memo.py`` shows the
contract, including what goes wrong when an input is forgotten.
"""
from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from typing import Any, Callable, Hashable

from .db import database
from .db.rows import model_row_builder
from .roles import is_city_admin, is_signed_in, roles_of

MEMO_SIZE = 20_000  # entries per app: a few KB each; about 40 MB for 20,000 people browsing


class _Entry:
    """The memoised part: the query object (for its row conversion), its SQL and parameters,
    and which parameter positions take the late values of each call."""

    __slots__ = ("query", "sql", "params", "late_positions", "count_sql", "row_reader",
                 "row_builder")

    def __init__(self, query, sql: str, params: list, late_positions: dict[int, str]):
        self.query, self.sql, self.params = query, sql, params
        self.late_positions = late_positions
        self.count_sql = f'SELECT COUNT(1) FROM ({sql}) AS "_wrapped"'
        self.row_reader: dict | None = None  # see _reader_state
        self.row_builder = None  # joined model rows: see placette.db.rows


# What a peewee cursor wrapper works out from the SQL's columns before converting the first
# row -- column names, converters, the join graph of model rows, a namedtuple class.  It depends
# on the SQL alone, and building it cost more than converting a page of rows (a namedtuple
# class is compiled each time): the entry keeps it.  Only for peewee's own model wrappers,
# whose state is plain data (a namedtuple constructor is rebound below).
_PER_CURSOR = frozenset({"cursor", "count", "index", "initialized", "populated", "row_cache"})
_SHAREABLE_WRAPPERS = frozenset({"ModelCursorWrapper", "ModelObjectCursorWrapper",
                                 "ModelDictCursorWrapper", "ModelTupleCursorWrapper",
                                 "ModelNamedTupleCursorWrapper"})


def _reader_state(wrapper) -> dict | None:
    if type(wrapper).__name__ not in _SHAREABLE_WRAPPERS or type(wrapper).__module__ != "peewee":
        return None
    state = {k: v for k, v in vars(wrapper).items() if k not in _PER_CURSOR}
    if "impl" in state:  # ModelNamedTupleCursorWrapper: its constructor closes over ``self``
        state["constructor"] = state["impl"]._make
    return state


class PreparedQuery:
    """A prepared query bound to this call's late values, to run as many times as needed."""

    __slots__ = ("_entry", "params")

    def __init__(self, entry: _Entry, late: dict[str, Any]):
        self._entry = entry
        if entry.late_positions:
            params = list(entry.params)
            for index, name in entry.late_positions.items():
                params[index] = late[name]
            self.params = params
        else:
            self.params = entry.params

    @property
    def sql(self) -> str:
        return self._entry.sql

    @property
    def query(self):
        return self._entry.query

    def cursor(self):
        return database.execute_sql(self._entry.sql, self.params)

    def rows(self) -> list:
        """The rows, shaped as the query asked (model instances with their joins, tuples,
        dicts...): the query's own cursor wrapper converts them."""
        entry = self._entry
        if entry.row_builder is not None:
            cursor = self.cursor()
            try:
                return [entry.row_builder(row) for row in cursor.fetchall()]
            finally:
                cursor.close()
        cursor = self.cursor()
        wrapper = entry.query._get_cursor_wrapper(cursor)
        state = entry.row_reader
        if state is not None:
            vars(wrapper).update(state)
            wrapper.initialized = True
            # What iterating the wrapper does, minus a fetchone() and two method calls per row.
            try:
                return [wrapper.process_row(row) for row in cursor.fetchall()]
            finally:
                cursor.close()
        rows = list(wrapper)
        if wrapper.initialized:  # peewee initialises on the first row only
            entry.row_reader = _reader_state(wrapper)
            entry.row_builder = model_row_builder(wrapper)
        return rows

    def first(self):
        rows = self.rows()
        return rows[0] if rows else None

    def scalar(self):
        row = self.cursor().fetchone()
        return row[0] if row else None

    def count(self) -> int:
        """How many rows the query returns (its ``LIMIT`` included), as ``query.count()``."""
        return database.execute_sql(self._entry.count_sql, self.params).fetchone()[0]


class PreparedQueryError(ValueError):
    """``build`` broke the contract of :func:`prepared` (see the message)."""


_SENTINEL_BASE = dt.datetime(1901, 1, 1)


def _sentinel(value: Any, round_: int, index: int) -> Any:
    """A value of ``value``'s type that no real data holds, different per round and name."""
    n = round_ * 1000 + index
    if isinstance(value, dt.datetime):
        return _SENTINEL_BASE + dt.timedelta(seconds=n, microseconds=7)
    if isinstance(value, dt.date):
        return dt.date(1901, 1, 1) + dt.timedelta(days=n)
    if isinstance(value, bool):
        raise PreparedQueryError("a late value cannot be a bool: pass it as an input")
    if isinstance(value, int):
        return -(10 ** 12) - n
    if isinstance(value, float):
        return -(10.0 ** 12) - n - 0.5
    if isinstance(value, str):
        return f"\x00late-{n}\x00"
    raise PreparedQueryError(f"a late value must be a datetime, date, int, float or str, "
                             f"not {type(value).__name__}")


def _prepare(name: str, build: Callable[..., Any], inputs: tuple, late: dict) -> _Entry:
    if not late:
        query = build(*inputs)
        sql, params = query.sql()
        return _Entry(query, sql, params, {})
    names = sorted(late)
    first = {k: _sentinel(late[k], 1, i) for i, k in enumerate(names)}
    second = {k: _sentinel(late[k], 2, i) for i, k in enumerate(names)}
    query = build(*inputs, **first)
    sql, params = query.sql()
    sql_again, params_again = build(*inputs, **second).sql()
    if sql != sql_again or len(params) != len(params_again):
        raise PreparedQueryError(f"{name}: the SQL depends on a late value; make it an input")
    positions: dict[int, str] = {}
    for index, (one, two) in enumerate(zip(params, params_again)):
        if one == two:
            continue
        found = [k for k in names if one == first[k] and two == second[k]]
        if not found:  # e.g. ``now - timedelta(days=31)``: a value computed from a late one
            raise PreparedQueryError(f"{name}: parameter {index} is computed from a late value; "
                                     f"pass the computed value as its own late value")
        positions[index] = found[0]
    missing = set(names) - set(positions.values())
    if missing:
        raise PreparedQueryError(f"{name}: late value(s) {', '.join(sorted(missing))} are not "
                                 f"used as SQL parameters")
    return _Entry(query, sql, params, positions)


class _Memo:
    """A bounded, thread-safe LRU of prepared entries per key."""

    def __init__(self, size: int = MEMO_SIZE):
        self.size = size
        self.entries: OrderedDict[Hashable, _Entry] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: Hashable, make: Callable[[], _Entry]) -> _Entry:
        with self.lock:
            entry = self.entries.get(key)
            if entry is not None:
                self.entries.move_to_end(key)
                return entry
        entry = make()  # outside the lock: building runs the plugin's code
        with self.lock:
            self.entries[key] = entry
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)
        return entry


def _memo() -> _Memo | None:
    from flask import has_app_context
    if not has_app_context():
        return None
    from .kernel import current
    services = current().services
    memo = services.get("prepared_queries")
    if memo is None:
        memo = services.setdefault("prepared_queries", _Memo())
    return memo


def prepared(name: str, build: Callable[..., Any], *inputs: Hashable,
             **late: Any) -> PreparedQuery:
    """The query ``build(*inputs, **late)``, its SQL written once per ``(name, inputs)``.

    ``name`` identifies the query (``"agenda.upcoming"``); ``inputs`` are every value the shape
    of the SQL depends on, part of the memo's key.  ``late`` values (the current time, most
    often) change at every call without changing the SQL: they are bound as parameters.
    ``build`` must use each late value as is, in a comparison -- the first build checks it,
    by building twice with placeholder values, and raises :class:`PreparedQueryError` if the
    SQL or a parameter is derived from one.  Outside an application context nothing is
    memoised.
    """
    memo = _memo()
    key = (name, inputs, tuple(sorted(late)))
    if memo is None:
        entry = _prepare(name, build, inputs, late)
    else:
        entry = memo.get(key, lambda: _prepare(name, build, inputs, late))
    return PreparedQuery(entry, late)


def viewer_key(actor: Any, *, moderation: bool = False) -> tuple:
    """What the permission gate's SQL (``visibility_clause``, ``visible``, ``listed_spaces``)
    knows of ``actor``, as a hashable input for :func:`prepared`: anonymous, city admin, or
    the person with their active roles (their expiry already applied).

    ``moderation=True`` adds the spaces they moderate, for queries that also use
    ``moderation_clause`` / ``exclude_moderated`` (one more query, memoised per request).
    """
    if not is_signed_in(actor):
        return ("anonymous",)
    if is_city_admin(actor):
        return ("admin", actor.id)
    key: tuple = (actor.id, tuple(sorted(roles_of(actor).items())))
    if moderation:
        from .moderation.visibility import moderated_space_ids
        spaces = moderated_space_ids(actor)
        key += (None if spaces is None else tuple(spaces),)
    return key
