"""Settings: per space (the admin form generated from :class:`SpaceSettings`) and per instance
(``[plugin.documents]`` in ``placette.toml``, :class:`InstanceSettings`)."""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

import placette
from placette import lazy_gettext as _l

from .filetypes import DEFAULT_ALLOWED, TYPES

MB = 1024 * 1024


class SpaceSettings(placette.SettingsSchema):
    """What an admin sets for one space's library."""

    model_config = ConfigDict(extra="forbid")

    max_file_mb: int = Field(20, ge=1, le=2048, title=_l("Size limit per file (MB)"),
                             description=_l("Larger files are refused."))
    quota_mb: int = Field(1000, ge=1, le=1_000_000, title=_l("Quota of the space (MB)"),
                          description=_l("Total size of the files and their versions."))
    allowed_types: list[str] = Field(
        default_factory=lambda: list(DEFAULT_ALLOWED), title=_l("Accepted file types"),
        description=_l("Comma-separated: %(types)s.", types=", ".join(DEFAULT_ALLOWED)))

    @field_validator("allowed_types")
    @classmethod
    def _known(cls, value: list[str]) -> list[str]:
        cleaned = [v.strip().lower() for v in value if v.strip()]
        unknown = [v for v in cleaned if v not in TYPES]
        if unknown:
            raise ValueError(f"unknown type(s): {', '.join(unknown)}; known: "
                             f"{', '.join(TYPES)}")
        if not cleaned:
            raise ValueError("at least one type is needed")
        return cleaned


class InstanceSettings(BaseModel):
    """``[plugin.documents]`` in placette.toml (all optional).

    ``sendfile``: let the web server send file bodies -- ``x-sendfile`` (Apache, lighttpd) or
    ``x-accel-redirect`` (nginx, with an ``internal`` location at ``accel_prefix`` aliased to the
    uploads folder).  Permissions are still checked by placette before the header is set.
    """

    model_config = ConfigDict(extra="forbid")

    sendfile: Literal["none", "x-sendfile", "x-accel-redirect"] = "none"
    accel_prefix: str = "/_protected/documents/"
    max_unpacked_mb: int = Field(256, ge=1)
    max_extract_chars: int = Field(500_000, ge=1000)
    max_pdf_pages: int = Field(500, ge=1)
    thumb_px: int = Field(400, ge=64, le=2000)
    web_px: int = Field(1600, ge=320, le=6000)


def instance_settings() -> InstanceSettings:
    return InstanceSettings.model_validate(placette.current_config().settings_for("documents"))


def space_settings(space) -> SpaceSettings:
    return placette.settings_of(space, "documents")
