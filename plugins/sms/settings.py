"""Per-space settings of the sms plugin: which news goes by text, quiet hours, the budget."""
from __future__ import annotations

from typing import Literal

import placette
from pydantic import Field

_l = placette.lazy_gettext

# The news a text may carry, and the events (the agenda's) that make it.
EVENT_CHOICES = {
    "reminder": "agenda.meeting.reminder",
    "moved": "agenda.meeting.moved",
    "cancelled": "agenda.meeting.cancelled",
    "seat": "agenda.rsvp.promoted",
}


class SmsSettings(placette.SettingsSchema):
    events: list[Literal["reminder", "moved", "cancelled", "seat"]] = Field(
        ["reminder", "moved", "cancelled", "seat"], title=_l("News sent by text"),
        description=_l("Among: reminder, moved, cancelled, seat (a seat freed up)."))
    quiet_from: int = Field(21, ge=0, le=23, title=_l("Quiet hours from (hour)"),
                            description=_l("No text is sent from this hour..."))
    quiet_until: int = Field(8, ge=0, le=23, title=_l("Quiet hours until (hour)"),
                             description=_l("...until this hour; texts wait until then. "
                                            "Same hour twice: no quiet hours."))
    monthly_budget: int = Field(500, ge=0, le=1_000_000, title=_l("Texts per month"),
                                description=_l("Animators are warned at 80 percent; nothing is "
                                               "sent beyond."))
    plain_letters: bool = Field(True, title=_l("Write ê, â, î, ô, û, œ as plain letters"),
                                description=_l("Keeps a text in one segment (160 characters "
                                               "instead of 70)."))
