"""Pydantic shapes of the kernel's API: validation in, documentation out."""
from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Strict(BaseModel):
    """Request bodies refuse unknown fields: a typo must not be silently ignored."""

    model_config = ConfigDict(extra="forbid")


class MembershipOut(BaseModel):
    space: str
    space_name: str
    role: str
    expires_at: dt.datetime | None


class MeOut(BaseModel):
    id: int
    email: str
    display_name: str
    language: str
    phone: str | None
    is_admin: bool
    memberships: list[MembershipOut]


class SpaceOut(BaseModel):
    slug: str
    name: str
    kind: str
    visibility: str
    description: str
    parents: list[str]
    modules: list[str]
    url: str
    role: str | None = Field(description="the caller's role, if a member")


class MemberOut(BaseModel):
    id: int
    display_name: str
    role: str
    expires_at: dt.datetime | None
    since: dt.datetime
    email: str | None = Field(None, description="shown to the space's animators and admins")


class ModuleIn(Strict):
    # Strict types: "yes" or 1 is not a boolean here (a typo must not switch a module).
    model_config = ConfigDict(extra="forbid", strict=True)

    enabled: bool
    settings: dict[str, Any] | None = None
    cascade: bool = False


class ModuleOut(BaseModel):
    plugin: str
    enabled: bool
    settings: dict[str, Any]
    changes: dict[str, list[str]]
