"""What voting offers the kernel's showcase: the results pages of closed polls."""
from __future__ import annotations

import placette

from .models import Poll


def showcase(space, actor):
    """The registry rows of the space's closed polls (their results are public to readers of
    the space), newest first; none where the module is off or the space cannot be read."""
    if space is None or not placette.is_enabled(space, "voting"):
        return []
    if not placette.can(actor, "voting.view", space):
        return []
    now = placette.utcnow()
    closed = (Poll.select(Poll.id).where((Poll.space == space.id) & (
        Poll.closed_at.is_null(False) | (Poll.closes_at <= now))).order_by(Poll.id.desc())
        .limit(10))
    found = [placette.lookup_resource("voting", "poll", p.id) for p in closed]
    return [r for r in found if r is not None]
