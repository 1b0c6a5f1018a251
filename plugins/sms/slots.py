"""The profile page's section: where one's number stands, and the way to ``/me/sms``."""
from __future__ import annotations

from flask import render_template

import placette

from . import phones


def profile_section(actor):
    if not getattr(actor, "is_authenticated", False):
        return None
    phone = phones.phone_of(actor)
    return placette.Markup(render_template(
        "sms/_profile_section.html", phone=phone,
        number=phones.display(phone.number if phone else None),
        wanted=(actor.notification_prefs or {}).get("sms") == "immediate"))
