"""What an id may be: an integer the database can hold, in URLs and in API bodies alike.

Ids are 64-bit signed integers in PostgreSQL (``BIGINT``) and SQLite (``INTEGER``).  A larger
number cannot name anything, yet handed to a query it fails deep down (SQLite: "Python int too
large to convert to SQLite INTEGER") and the caller got a 500.  Two guards make it a plain
"not found" or "invalid" by construction, so no view or plugin has to remember:

* :class:`IdConverter` replaces Flask's ``int`` URL converter for the whole app: ``<int:id>``
  beyond :data:`MAX_ID` does not match, so the URL answers 404 (HTML or JSON) -- kernel and
  plugin blueprints alike, since they all use ``<int:...>``;
* :data:`Id` is the type of an id in a pydantic body (``folder_id: placette.Id | None``): out of
  range answers 422, and the OpenAPI document says the range;
* :func:`parse_id` reads an id typed as text (a query string, a form field).
"""
from __future__ import annotations

from typing import Annotated

from pydantic import Field
from werkzeug.routing import IntegerConverter, ValidationError

MAX_ID = 2**63 - 1
_MAX_DIGITS = len(str(MAX_ID))

#: An id in an API body: 1 ... 2^63-1.
Id = Annotated[int, Field(ge=1, le=MAX_ID)]


def _not_above(limit: int) -> str:
    """A regular expression matching the decimal numbers from 0 to ``limit`` (leading zeros
    allowed), e.g. 2^63-1: fewer digits, or as many and not above it digit by digit."""
    digits = str(limit)
    size = len(digits)
    choices = [rf"\d{{1,{size - 1}}}"] if size > 1 else []
    for i, digit in enumerate(digits):
        if digit != "0":
            choices.append(rf"{digits[:i]}[0-{int(digit) - 1}]\d{{{size - i - 1}}}")
    choices.append(digits)
    return "0*(?:" + "|".join(choices) + ")"


class IdConverter(IntegerConverter):
    """Flask's ``int`` converter, not matching values beyond :data:`MAX_ID`.

    The range is in the regular expression, not only checked after it: werkzeug picks the rule
    by its pattern first, and a converter refusing the value afterwards would make
    ``DELETE /meetings/<huge>`` answer 405 (the GET rule of the same path "matched").  A rule
    may still narrow the range (``<int(max=99):n>``); it cannot widen it."""

    regex = _not_above(MAX_ID)

    def __init__(self, map, fixed_digits: int = 0, min: int | None = None,  # noqa: A002
                 max: int | None = None, signed: bool = False) -> None:  # noqa: A002
        super().__init__(map, fixed_digits, min, MAX_ID if max is None else
                         _lower(max, MAX_ID), signed)


def _lower(a: int, b: int) -> int:
    return a if a < b else b


def install(app) -> None:
    """Before any route is added: rules look their converters up when they are bound."""
    app.url_map.converters["int"] = IdConverter


def parse_id(raw: str | None) -> int | None:
    """An id typed as text (``?folder_id=12``, a form field): the integer, or None when it is
    not one (not digits, 0, beyond :data:`MAX_ID`) -- so a lookup never overflows the database."""
    if raw is None or not (raw.isascii() and raw.isdigit()) or len(raw.lstrip("0")) > _MAX_DIGITS:
        return None
    value = int(raw)
    return value if 1 <= value <= MAX_ID else None


def page_number(raw: str | None, *, last: int = 99_999) -> int:
    """The page asked for in ``?page=`` on an HTML list: 1 when absent or not a plain number.

    A page link typed or mangled by hand (``?page=²``, ``?page=-3``, a 400-digit number) shows
    the first page rather than an error: ``"²".isdigit()`` is true while ``int("²")`` fails, so
    a bare ``isdigit()`` check is not enough.  The JSON API refuses such values with a 400
    instead (a script should learn of its mistake).
    """
    if raw is None or not (raw.isascii() and raw.isdigit()) or len(raw) > len(str(last)):
        return 1
    value = int(raw)
    return value if 1 <= value <= last else 1
