"""Report floods: one account may send only so many reports (``report_rate_limit`` in
placette.toml, default "10 per 10 minutes;50 per day"), counted in Flask-Limiter's storage --
in memory, or Redis when ``redis_url`` is set, so every web process shares the count."""
from __future__ import annotations

from typing import Any

from limits import parse_many

from ..kernel import config

SCOPE = "placette-reports"


def report_allowed(actor: Any) -> bool:
    """Count one report for ``actor``; ``False`` when a limit is already reached."""
    from ..web.limits import limiter
    strategy = limiter.limiter
    items = parse_many(config().report_rate_limit)
    key = f"user:{getattr(actor, 'id', None)}"
    if not all(strategy.test(item, SCOPE, key) for item in items):
        return False
    for item in items:
        strategy.hit(item, SCOPE, key)
    return True
