"""Attaching documents to another plugin's resource (the ``resource.attachments`` slot posts
here) and detaching them."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request
from wtforms.fields.choices import SelectChoice

import placette
from placette import _

from .. import library, queries
from ..forms import AttachForm, ConfirmForm
from ..models import Attachment
from . import bp
from .common import _actor, _document_or_404, _incoming, _require


def _safe_next(default: str) -> str:
    """The form's ``next`` if the kernel's rule says it stays on this site, else ``default``."""
    return placette.safe_next(request.form.get("next"), default)


def _resource_or_404(space, raw_id: str):
    resource_id = placette.parse_id(raw_id)
    if resource_id is None:
        abort(404)
    resource = placette.Resource.get_or_none((placette.Resource.id == resource_id)
                                             & (placette.Resource.space == space.id)
                                             & placette.moderation_clause(_actor()))
    if resource is None or not placette.can(_actor(), "view", resource):
        abort(404)
    return resource


@bp.route("/attach", methods=["GET", "POST"])
def attach(space):
    if request.method == "GET":
        return _attach_page(space)
    form = AttachForm()
    resource = _resource_or_404(space, form.resource_id.data)
    _require("documents.document.attach", resource)
    back = _safe_next(resource.url)
    if not form.validate_on_submit():
        abort(400)
    try:
        items = _incoming("files")
        if items:
            _require("documents.document.upload", space)
            documents = library.upload(space, _actor(), items)
        elif form.document.data and placette.parse_id(str(form.document.data)):
            documents = [_document_or_404(space, placette.parse_id(str(form.document.data)))]
        else:
            raise library.LibraryError("no_file", _("Choose a document or a file."))
        for doc in documents:
            library.attach(doc, resource, _actor())
    except library.LibraryError as exc:
        flash(exc.message, "error")
    else:
        flash(placette.ngettext("%(num)s document attached.", "%(num)s documents attached.",
                                len(documents)), "success")
    return redirect(back)


def _attach_page(space):
    """The form the item's "Attach a document" link opens: one of the space's newest documents
    the person may see (those already attached left out), or new files.  It posts to the same
    address and goes back to the item (``next``, kept on this site)."""
    resource = _resource_or_404(space, request.args.get("resource", ""))
    _require("documents.document.attach", resource)
    back = placette.safe_next(request.args.get("next"), resource.url)
    attached = {row.document.id for row in queries.attachments_of(resource, _actor())}
    form = AttachForm(formdata=None, resource_id=str(resource.id), next=back)
    form.document.choices = [SelectChoice("", "—")] + [
        SelectChoice(str(document_id), title)
        for document_id, title in queries.attach_candidates(space.id, _actor())
        if document_id not in attached]
    return render_template("documents/attach.html", space=space, resource=resource, form=form,
                           back=back, may_upload=placette.can(_actor(),
                                                              "documents.document.upload", space))


@bp.route("/attachments/<int:attachment_id>/remove", methods=["POST"])
def detach(space, attachment_id):
    attachment = Attachment.get_or_none(Attachment.id == attachment_id)
    if attachment is None:
        abort(404)
    resource = placette.Resource.get_or_none((placette.Resource.id == attachment.resource_id)
                                             & placette.moderation_clause(_actor()))
    _document_or_404(space, attachment.document_id)
    if resource is None or not placette.can(_actor(), "view", resource):
        abort(404)
    _require("documents.document.attach", resource)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    library.detach(attachment)
    flash(_("The document was detached."), "success")
    return redirect(_safe_next(resource.url))
