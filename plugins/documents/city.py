"""The city-wide "resources" view: every document the visitor may see, in every space where the
library is on, filterable by space, tag and type (``/documents/``, in the main menu)."""
from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import current_user

import placette

from . import queries
from .filetypes import KINDS
from .views.filters import label_table

bp = Blueprint("documents_city", __name__, url_prefix="/documents")


@bp.route("/")
def index():
    page = placette.page_number(request.args.get("page"))
    space_slug = (request.args.get("space") or "").strip()[:64] or None
    tag = (request.args.get("tag") or "").strip().lower()[:50] or None
    kind = request.args.get("type") or None
    if kind not in KINDS:
        kind = None
    text = (request.args.get("q") or "").strip()[:100] or None
    actor = current_user._get_current_object()  # the person, not the proxy: asked often
    rows, total, spaces = queries.city_documents(actor, space_slug, tag, kind, text, page)
    label_table(rows)
    if space_slug and all(slug != space_slug for slug, _name, _n in spaces):
        # Filtered on a space with no match: keep it selected in the filter, named.
        chosen = placette.Space.get_or_none(placette.Space.slug == space_slug)
        if chosen is not None and placette.can_read(actor, chosen):
            spaces = [(chosen.slug, chosen.name, 0), *spaces]
    return render_template("documents/city.html", rows=rows, total=total, page=page,
                           per_page=queries.CITY_PER_PAGE, spaces=spaces, space_slug=space_slug,
                           tag=tag, kind=kind, q=text, kinds=KINDS)
