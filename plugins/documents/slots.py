"""The ``resource.attachments`` slot: other plugins (an agenda's meeting minutes, a draft...)
render ``slot('resource.attachments', resource=<Resource row>)`` and get the documents attached to
that item, plus a link to attach one, without importing this plugin.

The choice of a document is a page of its own (``GET /s/<space>/documents/attach?resource=``):
the item's page, read far more often than anyone attaches, does not build a list of the space's
documents on every view."""
from __future__ import annotations

from flask import render_template, request
from flask_login import current_user

import placette

from . import queries
from .forms import ConfirmForm


def attachments(context) -> str | None:
    resource = getattr(context, "resource", None)
    if resource is None or not hasattr(resource, "space_id"):
        return None
    if not placette.is_enabled(resource.space_id, "documents"):
        return None
    actor = current_user._get_current_object()  # the person, not the proxy: asked thrice
    if not placette.can(actor, "view", resource):
        return None
    rows = queries.attachments_of(resource, actor)
    may_attach = placette.can(actor, "documents.document.attach", resource)
    if not rows and not may_attach:
        return None
    space = placette.Space.get_by_id(resource.space_id) if not (
        context.space is not None and context.space.id == resource.space_id) else context.space
    here = request.full_path.rstrip("?") if request else resource.url
    return placette.Markup(render_template(
        "documents/_attachments.html", resource=resource, rows=rows, space=space, here=here,
        confirm=ConfirmForm(formdata=None) if may_attach and rows else None,
        may_attach=may_attach))
