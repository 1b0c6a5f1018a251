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
* inputs must be hashable: lists become tuples;
* values that change at every call without changing the SQL (the time) are *late* values:
  ``build`` receives a :class:`Late` placeholder for each, and each call binds its value;
* the shape of the rows is the caller's choice (``.rows()``, ``.tuples()``...), never a
  ``.tuples()`` inside ``build``.

Only peewee's documented API is used: ``query.sql()`` for the text, a ``Node`` whose
``__sql__`` adds a parameter (``Context.value``) for late values, ``Database.execute_sql`` to
run it, and :mod:`placette.db.rows` to convert the rows.  Nothing here is needed for a query to
be right -- plain peewee gives the same rows -- it only skips writing the SQL again.

Plugins use it through the facade (``placette.prepared``); ``tests/test_query_memo.py`` shows the
contract, including what goes wrong when an input is forgotten.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any, Callable, Hashable

import peewee

from .db import database
from .db.rows import RowReader
from .roles import is_city_admin, is_signed_in, roles_of

MEMO_SIZE = 20_000  # entries per app: a few KB each; about 40 MB for 20,000 people browsing


class PreparedQueryError(ValueError):
    """``build`` broke the contract of :func:`prepared` (see the message)."""


class _Slot:
    """What a late value's place holds in the memoised parameters until a call binds it."""

    __slots__ = ("name",)

    def __init__(self, name: str):
        self.name = name


class Late(peewee.Node):
    """The placeholder ``build`` receives for a late value: a query parameter named ``name``.

    It compares with a column (``Meeting.starts_at > now``), sits in ``in_([...])`` or a
    function's arguments, like the value would; arithmetic on it is refused, because the SQL
    would compute with the placeholder, not with the value: compute in Python, pass the result
    as its own late value.  Written through ``Context.value`` without a converter: each call's
    value is bound as given, as ``database.execute_sql`` would take it.
    """

    __slots__ = ("slot",)

    def __init__(self, name: str):
        self.slot = _Slot(name)

    def __sql__(self, ctx):
        return ctx.value(self.slot, converter=False)

    def _refuse(self, *_args):
        raise PreparedQueryError(f"late value {self.slot.name!r} is computed on: compute in "
                                 f"Python and pass the result as its own late value")

    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = _refuse
    __truediv__ = __rtruediv__ = __mod__ = __rmod__ = __neg__ = _refuse


class _Entry:
    """The memoised part: the query built once (placeholders for late values), its SQL and
    parameters, where each late value goes, and how to read its rows (made on first read)."""

    __slots__ = ("query", "sql", "params", "late_positions", "count_sql", "reader", "named")

    def __init__(self, query, sql: str, params: list, late_positions: dict[int, str]):
        self.query, self.sql, self.params = query, sql, params
        self.late_positions = late_positions
        self.count_sql = f'SELECT COUNT(1) FROM ({sql}) AS "_wrapped"'
        self.reader = RowReader(query)
        self.named = False  # expressions named after the first cursor's description


def _prepare(name: str, build: Callable[..., Any], inputs: tuple, late_names: tuple) -> _Entry:
    query = build(*inputs, **{k: Late(k) for k in late_names})
    sql, params = query.sql()
    positions = {i: p.name for i, p in enumerate(params) if isinstance(p, _Slot)}
    missing = set(late_names) - set(positions.values())
    if missing:
        raise PreparedQueryError(f"{name}: late value(s) {', '.join(sorted(missing))} are not "
                                 f"used as SQL parameters")
    return _Entry(query, sql, params, positions)


class PreparedQuery:
    """A prepared query bound to this call's late values, to run as many times as needed."""

    __slots__ = ("_entry", "params", "_build", "_inputs", "_late")

    def __init__(self, entry: _Entry, build, inputs: tuple, late: dict[str, Any]):
        self._entry, self._build, self._inputs, self._late = entry, build, inputs, late
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

    def cursor(self):
        return database.execute_sql(self._entry.sql, self.params)

    def _read(self, shape: str) -> list:
        entry = self._entry
        cursor = self.cursor()
        try:
            fetched = cursor.fetchall()
            if not entry.named:
                entry.reader.name_columns(cursor.description)
                entry.named = True
        finally:
            cursor.close()
        return getattr(entry.reader, shape)(fetched)

    def rows(self) -> list:
        """Model instances of the query's model, joined models set on their foreign keys
        (:mod:`placette.db.rows`).  A query whose joins the reader cannot tell apart is run by
        peewee itself (built again with this call's values): the same rows, SQL written anew."""
        if not self._entry.reader.joins_known:
            return list(self._build(*self._inputs, **self._late))
        return self._read("models")

    def tuples(self) -> list[tuple]:
        return self._read("tuples")

    def namedtuples(self) -> list:
        return self._read("namedtuples")

    def dicts(self) -> list[dict]:
        return self._read("dicts")

    def first(self):
        rows = self.rows()
        return rows[0] if rows else None

    def scalar(self):
        cursor = self.cursor()
        try:
            row = cursor.fetchone()
        finally:
            cursor.close()
        return row[0] if row else None

    def count(self) -> int:
        """How many rows the query returns (its ``LIMIT`` included), as ``query.count()``."""
        cursor = database.execute_sql(self._entry.count_sql, self.params)
        try:
            return cursor.fetchone()[0]
        finally:
            cursor.close()


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
    often) change at every call without changing the SQL: ``build`` is called once with a
    :class:`Late` placeholder for each, which becomes a parameter bound to each call's value.
    A placeholder is compared, listed or passed to a SQL function as is; arithmetic on it
    raises :class:`PreparedQueryError` (compute in Python, pass the result as its own late
    value), as does a late value ``build`` does not use.  Outside an application context
    nothing is memoised.
    """
    memo = _memo()
    late_names = tuple(sorted(late))
    key = (name, inputs, late_names)
    if memo is None:
        entry = _prepare(name, build, inputs, late_names)
    else:
        entry = memo.get(key, lambda: _prepare(name, build, inputs, late_names))
    return PreparedQuery(entry, build, inputs, late)


def viewer_key(actor: Any, *, moderation: bool = False) -> tuple:
    """What the permission gate's SQL (``visibility_clause``, ``visible``, ``listed_spaces``)
    knows of ``actor``, as a hashable input for :func:`prepared`: anonymous, city admin, or
    the person with their active roles (their expiry already applied).

    ``moderation=True`` adds the spaces they moderate, for queries that also use
    ``moderation_clause`` / ``exclude_moderated`` (one more query, memoised per request).

    Its first element says which kind of reader the gate sees, and plugins may read it (the
    documents' city page picks a kept column by it): ``("anonymous",)``, ``("admin", id)``
    for a city admin, otherwise ``(id, roles, ...)`` with the person's id first.
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

