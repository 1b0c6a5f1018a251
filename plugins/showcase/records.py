"""An item's open-data record, written once when the item is published, not at every download.

The CSV and JSON files of a dataset list every shown item of it (480 meetings in a medium city):
formatting each record's dates, cells and JSON at every download cost some 10 ms.  So the item's
own part of its record is written with the item -- when it is picked, republished or its
introduction changes (its ``updated_at`` is in the record) -- as the exact text both files
print, and a download joins those pieces (:mod:`.exports`).  Only what belongs to the item is
stored: its council's name and slug (a space may be renamed), the site's address and the
licence (settings) are added at download time.  Nothing here is translated.

The pieces, each a column of ``showcase_item`` (:data:`COLUMNS`):

* ``csv_head`` / ``csv_tail``: the cells ``category,title`` and ``decided_at,answer_status,
  published_at,updated_at``, CSV-quoted as the csv module quotes them;
* ``csv_keys`` / ``csv_cells``: the item's ``data`` keys (sorted, as a JSON list) and their
  cells (a CSV line): a file's ``data.<key>`` columns are every key met, so a row whose keys are
  not all of them is spread over the file's columns when it is written;
* ``json_head`` / ``json_tail`` / ``json_data``: the members ``"category":..,"title":..`` and
  ``"decided_at":..,"answer_status":..,"published_at":..,"updated_at":..``, and the ``data``
  object, as the compact JSON writer writes them.

A row without pieces (written by hand, or before the migration that added them) is built from
its columns at download time: the same file, only slower.  Whatever writes an item's exported
columns (title, dates, data...) outside ``service.py`` calls :func:`stamp` in the same save, or
the files keep printing the old record.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json

COLUMNS = ("csv_head", "csv_tail", "csv_keys", "csv_cells", "json_head", "json_tail",
           "json_data")


def iso(value: dt.datetime | None) -> str | None:
    """ISO 8601 with its offset (times are kept as naive UTC)."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.timezone.utc)
    return value.isoformat()


def scalars(data) -> dict:
    """The flat part of ``data`` the files publish: strings, numbers, booleans and nulls."""
    return {k: v for k, v in (data or {}).items()
            if isinstance(v, (str, int, float, bool)) or v is None}


def cell(value) -> str:
    """A CSV cell: empty for None, and no formula in a spreadsheet."""
    if value is None:
        return ""
    text = value if type(value) is str else str(value)
    if text[:1] in ("=", "+", "-", "@") and not _number(text):
        text = "'" + text
    return text


def _number(text: str) -> bool:
    try:
        float(text)
        return True
    except ValueError:
        return False


def line(cells) -> str:
    """``cells`` as the csv module writes them inside a longer row (quoted where needed, joined
    by commas, no line end): written after a dummy first cell, so that a lone empty cell is
    written empty as it is in a row (the module writes ``""`` for a row of one empty cell)."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(["x", *cells])
    return buffer.getvalue()[2:-2]


def split(text: str) -> list[str]:
    """The cells of a :func:`line` (``""`` is no cell at all)."""
    if not text:
        return []
    return next(csv.reader(io.StringIO("x," + text)))[1:]


def dumps(value) -> str:
    """Compact JSON, as the exports write it."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def stored(data) -> dict:
    """``data`` as it reads back from its JSON column (keys sorted, strings for keys, ``str``
    for what JSON cannot hold): the pieces are made of what the database keeps."""
    return json.loads(json.dumps(data or {}, ensure_ascii=False, sort_keys=True, default=str))


def pieces(category: str, title: str, decided_at, answer_status, published_at, updated_at,
           data) -> dict[str, str]:
    """The stored pieces of one item's record (see the module's docstring)."""
    data = scalars(stored(data))
    keys = sorted(data)
    head = {"category": category, "title": title}
    tail = {"decided_at": iso(decided_at), "answer_status": answer_status,
            "published_at": iso(published_at), "updated_at": iso(updated_at)}
    return {
        "csv_head": line([cell(category), cell(title)]),
        "csv_tail": line([iso(decided_at) or "", cell(answer_status), iso(published_at) or "",
                          iso(updated_at) or ""]),
        "csv_keys": dumps(keys),  # not a CSV line: one empty key would read as none
        "csv_cells": line([cell(data[k]) for k in keys]),
        "json_head": dumps(head)[1:-1],
        "json_tail": dumps(tail)[1:-1],
        "json_data": dumps(data),
    }


def of_item(item) -> dict[str, str]:
    """The pieces of a model row, from its current values."""
    return pieces(item.category, item.title, item.decided_at, item.answer_status,
                  item.published_at, item.updated_at, item.data)


def stamp(item) -> None:
    """Set the pieces on ``item`` (saved by the caller, in the same write)."""
    for name, value in of_item(item).items():
        setattr(item, name, value)
