"""The showcase's blueprints: the animators' pages inside a space (``/s/<space>/showcase/``), the
public window (``/vitrine/``), and the oEmbed endpoint (``/oembed``)."""
from __future__ import annotations

import placette
from flask import Blueprint

manage_bp = placette.space_blueprint("showcase", __name__)
public_bp = Blueprint("showcase_public", __name__, url_prefix="/vitrine")
oembed_bp = Blueprint("showcase_oembed", __name__)

from . import data, embed, manage, pages  # noqa: E402,F401  (routes register on the blueprints)
