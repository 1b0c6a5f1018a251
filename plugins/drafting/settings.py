"""Per-space settings of drafting."""
from __future__ import annotations

import placette
from pydantic import Field

_l = placette.lazy_gettext


class DraftingSettings(placette.SettingsSchema):
    ratings: bool = Field(
        True, title=_l("Members rate each paragraph"),
        description=_l("A five-level agreement scale in the margin of each paragraph during "
                       "the consultation."))
