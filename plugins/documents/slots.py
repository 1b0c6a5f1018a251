"""The ``resource.attachments`` slot: other plugins (an agenda's meeting minutes, a draft...)
render ``slot('resource.attachments', resource=<Resource row>)`` and get the documents attached to
that item, plus a form to attach one, without importing this plugin."""
from __future__ import annotations

from flask import render_template, request
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

import placette

from . import queries
from .forms import AttachForm, ConfirmForm


def attachments(context) -> str | None:
    resource = getattr(context, "resource", None)
    if resource is None or not hasattr(resource, "space_id"):
        return None
    if not placette.is_enabled(resource.space_id, "documents"):
        return None
    if not placette.can(current_user, "view", resource):
        return None
    rows = queries.attachments_of(resource, current_user)
    may_attach = placette.can(current_user, "documents.document.attach", resource)
    choices = []
    form = None
    if may_attach:
        attached = {r.document.id for r in rows}
        choices = [SelectChoice("", "—")] + [
            SelectChoice(str(document_id), title)
            for document_id, title in queries.attach_candidates(resource.space_id, current_user)
            if document_id not in attached]
        form = AttachForm(formdata=None, resource_id=str(resource.id),
                          next=request.full_path.rstrip("?") if request else resource.url)
        form.document.choices = choices
    if not rows and not may_attach:
        return None
    space = placette.Space.get_by_id(resource.space_id) if not (
        context.space is not None and context.space.id == resource.space_id) else context.space
    return placette.Markup(render_template(
        "documents/_attachments.html", resource=resource, rows=rows, form=form, space=space,
        confirm=ConfirmForm(formdata=None), may_attach=may_attach))
