"""The kernel's own per-space settings (moderation thresholds...), next to the plugins' ones.

They are stored like a plugin's settings, in the space's :class:`~placette.models.Module` row
named ``placette`` (the kernel's name in the plugin registry): no extra table, read in the same
query as the space's modules and cached with them for the request.  The schema below is the one
place to add a setting; the form at ``/s/<space>/moderation/settings`` is generated from it, and
values stored by an older schema fall back to the defaults.

Read them with ``space_settings(space).report_threshold``.
"""
from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, ValidationError

from . import audit, request_cache
from .declarations import SettingsSchema
from .db import utcnow
from .i18n import lazy_gettext as _l
from .models import Module, Space
from .plugin_manager import KERNEL


class ModerationSettings(SettingsSchema):
    """The moderation part, edited on ``/s/<space>/moderation/settings``."""

    report_threshold: int = Field(
        3, ge=1, le=100, title=_l("Reports before hiding"),
        description=_l("A contribution reported by this many different people is hidden until "
                       "an animator reviews it."))
    premoderation_count: int = Field(
        0, ge=0, le=100, title=_l("Contributions reviewed before publication"),
        description=_l("Each person's first contributions in this space wait for an animator's "
                       "approval before others see them; 0 publishes at once."))


class SpaceSettings(ModerationSettings):
    """Per-space settings owned by the kernel."""

    # How the name reads inside a French sentence (placette.articles): "auto" guesses it from
    # the name's first word.  Edited with the space's name (/s/<space>/manage/edit).
    article: Literal["auto", "le", "la", "l'", "les", "none"] = Field(
        "auto", title=_l("Article before the name, in French"))


def _row(space_id: int):
    from .modules import module_rows
    return module_rows(space_id).get(KERNEL)


def space_settings(space: Space | int) -> SpaceSettings:
    """The validated settings of a space (defaults when never set)."""
    space_id = space if isinstance(space, int) else space.id
    row = _row(space_id)
    try:
        return SpaceSettings.model_validate((row.settings if row is not None else None) or {})
    except ValidationError:
        return SpaceSettings()


def set_space_settings(space: Space, values: dict[str, Any], actor: Any = None) -> SpaceSettings:
    """Validate and store settings (unknown keys refused); audited with before/after."""
    unknown = sorted(set(values) - set(SpaceSettings.model_fields))
    if unknown:
        raise ValueError(f"unknown setting(s): {', '.join(unknown)}")
    before = space_settings(space)
    merged = SpaceSettings.model_validate({**before.model_dump(), **values})
    row = Module.get_or_none(space=space.id, plugin=KERNEL)
    if row is None:
        row = Module(space=space.id, plugin=KERNEL, enabled=True, position=0)
    row.settings = merged.model_dump(mode="json")
    row.updated_at = utcnow()
    row.save()
    request_cache.forget("modules")
    audit.record(actor, "space.settings", target=f"space:{space.slug}", space=space,
                 before=before.model_dump(mode="json"), after=merged.model_dump(mode="json"))
    return merged
