"""Per-space settings of the agenda; the kernel builds the admin form from this schema."""
from __future__ import annotations

from typing import Literal

import placette
from pydantic import Field, field_validator

_l = placette.lazy_gettext

DEFAULT_REMINDER_HOURS = [48, 2]
MAX_REMINDER_HOURS = 336  # two weeks


class AgendaSettings(placette.SettingsSchema):
    who_creates: Literal["animators", "members"] = Field(
        "animators", title=_l("Who may publish meetings"),
        description=_l("animators: the space's animators only; members: every member too."))
    rsvp_enabled: bool = Field(True, title=_l("People answer whether they come (RSVP)"))
    reminder_hours: list[int] = Field(
        default_factory=lambda: list(DEFAULT_REMINDER_HOURS),
        title=_l("Default reminders (hours before the meeting)"),
        description=_l("Comma-separated, e.g. 48, 2 for two days and two hours before."))
    default_visibility: Literal["space", "public", "network", "members", "animators"] = Field(
        "space", title=_l("Default visibility of new meetings"),
        description=_l("space: the same as the space; or narrower."))

    @field_validator("reminder_hours")
    @classmethod
    def _offsets(cls, value: list[int]) -> list[int]:
        return check_reminder_hours(value)


def check_reminder_hours(value: list[int]) -> list[int]:
    """At most 5 reminders, each 1 to 336 hours before; sorted, without repeats."""
    cleaned = sorted({int(v) for v in value}, reverse=True)
    if len(cleaned) > 5:
        raise ValueError("at most 5 reminders")
    for hours in cleaned:
        if not 1 <= hours <= MAX_REMINDER_HOURS:
            raise ValueError(f"each reminder is 1 to {MAX_REMINDER_HOURS} hours before")
    return cleaned
