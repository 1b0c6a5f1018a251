"""Per-space settings: one pydantic model gives validation (admin form and API) and the form itself.

Titles and descriptions become the labels and help texts of the generated admin form; they are
lazy strings so they follow each person's language.
"""
from __future__ import annotations

from pydantic import Field

import placette
from placette import lazy_gettext as _l


class KeysSettings(placette.SettingsSchema):
    key_desk: str = Field(
        "", max_length=200, title=_l("Where keys wait"),
        description=_l("Where a key waits when nobody holds it, as people should read it, e.g. "
                       "\"at the town hall's reception\". Empty: \"at the key desk\"."))
    max_days: int = Field(
        14, ge=1, le=365, title=_l("Days before a key is overdue"),
        description=_l("After this many days the holder gets one reminder, and the key shows "
                       "as overdue."))
    notify_previous_holder: bool = Field(
        True, title=_l("Also tell the previous holder"),
        description=_l("Send a notification to the person who gave the key, not only to the "
                       "one who received it."))
