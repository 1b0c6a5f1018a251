"""The page of a note (``placette.note``): what a plugin's detail page does, in a few lines.

404 unless the visitor may read it *and* moderation lets them see it; the author and the
space's animators see a hidden or pending note with a notice saying why.
"""
from __future__ import annotations

from flask import Blueprint, abort, g, render_template
from flask_login import current_user

from ..moderation.service import ModerationError, visible_resource
from ..moderation.visibility import state_of
from ..notes import KIND
from ..plugin_manager import KERNEL
from ..spaces import visible_parents_of
from .guards import readable_space_or_404

bp = Blueprint("notes", __name__)


@bp.route("/s/<slug>/notes/<object_id>")
def show(slug, object_id):
    space = readable_space_or_404(slug)
    try:
        resource = visible_resource(current_user, KERNEL, KIND, object_id[:64])
    except ModerationError:
        abort(404)
    if resource.space_id != space.id:
        abort(404)
    g.space = space
    return render_template("notes/show.html", space=space, resource=resource,
                           moderation=state_of(resource),
                           parents=visible_parents_of(space, current_user))
