"""One-line text: titles, names, places -- what ends up in a mail subject, a page title, a
calendar's SUMMARY, a CSV cell.

A line break in a title is never meant, and it breaks what expects one line: a mail header
refuses it ("Header values may not contain linefeed"), so every e-mail about that item fails.
The rule is therefore kept at the two doors -- forms and API bodies refuse control characters
in one-line fields with a clear message -- and at the mail's own door, where :func:`one_line`
flattens any subject whatever its source (a value stored before the rule, a plugin that forgot
it).  Plugins use the same three names through the facade: ``placette.OneLine`` (a WTForms
validator), ``placette.OneLineStr`` (a pydantic type) and ``placette.one_line``.
"""
from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator

# C0 controls (line feed, carriage return, tab, NUL...), DEL and C1 controls, and Unicode's own
# line and paragraph separators: none belongs on one line.
CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u0085]")
MESSAGE = "must be written on one line, without line breaks or invisible control characters"


def has_line_breaks(text: str | None) -> bool:
    """Does ``text`` hold a line break or another control character?"""
    return bool(text) and CONTROL_RE.search(text) is not None


_RUN_RE = re.compile(r"(?:[\x00-\x1f\x7f-\x9f\u2028\u2029\u0085 ])+")


def one_line(text: str | None) -> str:
    """``text`` flattened: each run of control characters and plain spaces becomes one space.

    No-break spaces (U+00A0, U+202F) are kept: French typography puts one before ":" and « »,
    and ``str.split()`` would have turned them into breakable ones.
    """
    return _RUN_RE.sub(" ", text or "").strip(" ")


class OneLine:
    """WTForms validator for one-line fields: refuses line breaks and control characters with
    a translated message (the field's label says which field)."""

    field_flags = {}

    def __init__(self, message: str | None = None):
        self.message = message

    def __call__(self, form, field) -> None:
        from wtforms.validators import ValidationError
        if isinstance(field.data, str) and has_line_breaks(field.data):
            from .i18n import _
            raise ValidationError(self.message or _(
                "Write it on one line, without line breaks or invisible control characters."))


def _check(value: str | None) -> str | None:
    if value is not None and has_line_breaks(value):
        raise ValueError(MESSAGE)
    return value


#: A pydantic string for one-line fields of API bodies: ``title: placette.OneLineStr``
#: (constraints still go in ``Field(max_length=...)``).  Refused values answer the API's usual
#: 422 ``invalid_body`` naming the field.
OneLineStr = Annotated[str, AfterValidator(_check)]

__all__ = ["OneLine", "OneLineStr", "one_line", "has_line_breaks", "CONTROL_RE"]
