"""The sms pages: ``/me/sms`` (a person's number and consent), ``/s/<space>/sms/`` (the
animators' log, counts and settings), short links and Twilio's webhooks under ``/sms/``."""
from __future__ import annotations

from flask import Blueprint

import placette

bp = placette.space_blueprint("sms", __name__)
web = Blueprint("sms_web", __name__)

from . import manage, profile  # noqa: E402,F401  (routes register on bp and web)
from .. import webhooks  # noqa: E402

webhooks.register(web)
