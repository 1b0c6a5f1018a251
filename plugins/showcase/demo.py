"""The demo city's window: items of several councils, one of them a private group's page
published on purpose (the text the group chose to show, nothing else of the group)."""
from __future__ import annotations

import placette


def seed(city) -> None:
    return None
