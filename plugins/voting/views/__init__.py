"""The voting pages, under ``/s/<space>/voting/``."""
from __future__ import annotations

import placette

bp = placette.space_blueprint("voting", __name__)

from . import manage, pages  # noqa: E402,F401  (routes register on bp)
