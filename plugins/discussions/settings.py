"""Per-space settings of the discussions; the kernel builds the admin form from this schema."""
from __future__ import annotations

import placette
from pydantic import Field

_l = placette.lazy_gettext


class DiscussionsSettings(placette.SettingsSchema):
    stances: bool = Field(False, title=_l("Comments may take a stance (for, against, neutral)"),
                          description=_l("The counts are shown above the comments, as in a "
                                         "consultation."))
    comments: bool = Field(True, title=_l("Comments under meetings, documents and pages"))
