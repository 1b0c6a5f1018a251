"""Bodies of texts are personal data: erased after ``[sms] retention_days`` (90 by default).
Statuses, segments and counts stay (the monthly budget and the log need them)."""
from __future__ import annotations

import datetime as dt

import placette

from .models import Inbound, Message


def erase_old_bodies(now: dt.datetime | None = None) -> int:
    now = now or placette.utcnow()
    limit = now - dt.timedelta(days=placette.current_config().sms.retention_days)
    erased = (Message.update(body=None).where((Message.created_at < limit)
                                              & Message.body.is_null(False)).execute())
    erased += (Inbound.update(body=None).where((Inbound.created_at < limit)
                                               & Inbound.body.is_null(False)).execute())
    return erased
