"""Item visibility inside a space's library: choices offered, and the "never wider than its
folder" rule that lets every list be judged row by row in SQL (see :mod:`.models`)."""
from __future__ import annotations

import placette
from placette import lazy_gettext as _l
from wtforms.fields.choices import SelectChoice

LABELS = {None: _l("Same as the space"), "public": _l("Public: anyone, even without an account"),
          "network": _l("Network: anyone signed in"), "members": _l("Members of the space"),
          "animators": _l("Animators only (e.g. drafts not yet validated by the city)")}


def level(space, visibility: str | None) -> int:
    """The reading level an item needs (the space's own, or narrower), as the kernel counts it."""
    return placette.required_level(space, visibility)


def normalise(space, visibility: str | None) -> str | None:
    """``None`` when the item is exactly as wide as the space (so it follows the space)."""
    if visibility in (None, "") or level(space, visibility) <= level(space, None):
        return None
    return visibility


def at_least(space, visibility: str | None, floor: str | None) -> str | None:
    """``visibility`` narrowed to ``floor`` when it is wider (an item inside a folder)."""
    if level(space, visibility) < level(space, floor):
        return normalise(space, floor)
    return normalise(space, visibility)


def choices(actor, space, floor: str | None = None) -> list[SelectChoice]:
    """Options (value, label) the actor may pick: the space's own or narrower, not wider than
    ``floor`` (the folder's), and never one the actor could not read themselves."""
    found: list[SelectChoice] = []
    values = [None, *placette.ITEM_VISIBILITIES]
    seen_levels = set()
    for value in values:
        lvl = level(space, value)
        if lvl < level(space, floor) or lvl in seen_levels:
            continue
        if not placette.can_read(actor, space, value):
            continue
        seen_levels.add(lvl)
        found.append(SelectChoice("" if value is None else value, str(LABELS[value])))
    return found


def is_allowed(actor, space, value: str | None, floor: str | None = None) -> bool:
    """May the actor give an item this visibility?  Nothing chosen means "as the folder"."""
    value = value or floor or None
    if value not in (None, *placette.ITEM_VISIBILITIES):
        return False
    return level(space, value) >= level(space, floor) and placette.can_read(actor, space, value)
