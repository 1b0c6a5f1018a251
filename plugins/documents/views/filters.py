"""Template filters and globals of the library's pages (sizes, type and visibility labels)."""
from __future__ import annotations

from placette import _

from .. import visibility
from ..filetypes import TYPES
from . import bp


def _size_units() -> tuple[str, str, str]:
    """The size units, translated (once per table: see :func:`label_table`)."""
    return _("%(n)s bytes"), _("%(n)s KB"), _("%(n)s MB")


def _size(value: int | None, units: tuple[str, str, str] | None = None) -> str:
    if value is None:
        return ""
    units = units or _size_units()
    if value < 1024:
        return units[0] % {"n": value}
    if value < 1024 * 1024:
        return units[1] % {"n": round(value / 1024)}
    return units[2] % {"n": round(value / (1024 * 1024), 1)}


def label_table(rows) -> None:
    """Set each row's ``type_size`` ("PDF, 2.1 MB"), what ``documents_table`` prints: the
    units translated once per table, not a gettext and two template calls per row."""
    units = _size_units()
    labels: dict[str, str] = {}  # each type's label translated once per table
    for row in rows:
        version = row.version
        label = labels.get(version.file_type)
        if label is None:
            label = labels[version.file_type] = type_label(version.file_type)
        row.type_size = f"{label}, {_size(version.size, units)}"


@bp.app_template_filter("documents_size")
def size_filter(value):
    return _size(value)


@bp.app_template_global("documents_type_label")
def type_label(key: str) -> str:
    return str(TYPES[key].label) if key in TYPES else key


@bp.app_template_global("documents_visibility_label")
def visibility_label(value: str | None) -> str:
    return str(visibility.LABELS.get(value, value))
