"""The drafting pages, under ``/s/<space>/drafting/``."""
from __future__ import annotations

import placette

bp = placette.space_blueprint("drafting", __name__)

from . import pages  # noqa: E402,F401  (routes register on bp)
