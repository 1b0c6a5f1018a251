"""The app's JSON provider: every date leaves as ISO 8601, whatever the view returned.

Flask's default provider writes a ``datetime`` as an HTTP date (``Sun, 06 Dec 2026 06:50:43
GMT``) while the OpenAPI document generated from pydantic models says ``format: date-time``
(RFC 3339).  Installing this provider on the app (``app.json``) makes the right format the only
one: a kernel or plugin view may return a dict holding ``datetime`` and ``date`` values as they
come from the database, and no author can get the format wrong.

* an aware ``datetime`` keeps its own offset (the agenda answers a meeting's times in the
  meeting's time zone, ``2026-06-11T20:30:00+02:00``);
* a naive ``datetime`` is UTC -- every timestamp placette stores is naive UTC
  (:func:`placette.utcnow`) -- and is written with ``+00:00``;
* a ``date`` is ``YYYY-MM-DD``; a ``time`` is ``HH:MM:SS`` (with its offset when aware).
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from flask.json.provider import DefaultJSONProvider


def iso(value: dt.date | dt.time) -> str:
    """``value`` as ISO 8601; a naive datetime is read as UTC (see the module's docstring)."""
    if isinstance(value, dt.datetime) and value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.isoformat()


class IsoJSONProvider(DefaultJSONProvider):
    """:class:`flask.json.provider.DefaultJSONProvider`, with ISO 8601 dates."""

    @staticmethod
    def default(o: Any) -> Any:
        # ``datetime`` is a subclass of ``date``: one test covers both, before Flask's own
        # default (which would write an HTTP date) is asked.
        if isinstance(o, (dt.date, dt.time)):
            return iso(o)
        return DefaultJSONProvider.default(o)


def install(app) -> None:
    app.json = IsoJSONProvider(app)
