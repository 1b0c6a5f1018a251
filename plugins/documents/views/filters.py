"""Template filters and globals of the library's pages (sizes, type and visibility labels)."""
from __future__ import annotations

from placette import _

from .. import visibility
from ..filetypes import TYPES
from . import bp


def _size(value: int | None) -> str:
    if value is None:
        return ""
    if value < 1024:
        return _("%(n)s bytes", n=value)
    if value < 1024 * 1024:
        return _("%(n)s KB", n=round(value / 1024))
    return _("%(n)s MB", n=round(value / (1024 * 1024), 1))


@bp.app_template_filter("documents_size")
def size_filter(value):
    return _size(value)


@bp.app_template_global("documents_type_label")
def type_label(key: str) -> str:
    return TYPES[key].label if key in TYPES else key


@bp.app_template_global("documents_visibility_label")
def visibility_label(value: str | None) -> str:
    return str(visibility.LABELS.get(value, value))
