"""``/s/<space>/sms/``: the animators' page -- this month's count against the budget, the last
months, the settings, and the log of texts with status and segments (50 per page)."""
from __future__ import annotations

from flask import abort, render_template, request
from flask_login import current_user

import placette

from .. import sending, service
from . import bp

PER_PAGE = 50


@bp.route("/")
def index(space):
    if not placette.can(current_user, "sms.log.view", space):
        abort(404)
    page = placette.page_number(request.args.get("page"))
    messages, more = service.log_page(space, page, PER_PAGE)
    settings = placette.settings_of(space, "sms")
    return render_template(
        "sms/manage.html", space=space, messages=messages, more=more, page=page,
        settings=settings, used=sending.used_this_month(space.id),
        months=sending.monthly_counts(space.id), masked=service.masked_body,
        backend=placette.current_config().sms.backend,
        may_manage=placette.can(current_user, "space.modules.manage", space))
