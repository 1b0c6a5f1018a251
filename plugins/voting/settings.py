"""Per-space settings of voting: who proposes, until when, how many supports count."""
from __future__ import annotations

import datetime as dt
from typing import Literal

import placette
from pydantic import Field

_l = placette.lazy_gettext


class VotingSettings(placette.SettingsSchema):
    who_proposes: Literal["guests", "members", "animators"] = Field(
        "members", title=_l("Who may add proposals"),
        description=_l("guests: guests and members; members: members; animators: animators only."))
    proposals_until: dt.date | None = Field(
        None, title=_l("Proposals accepted until (date, optional)"),
        description=_l("Empty: the call for proposals stays open."))
    support_threshold: int = Field(
        10, ge=1, le=100000, title=_l("Supports needed for an answer"),
        description=_l("A proposal with this many supports is marked for the animators' answer."))
