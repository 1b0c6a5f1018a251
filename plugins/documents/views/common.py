"""The 404 lookups and request helpers the library's views share: a folder or document that
may not be seen answers 404 here, once for every view."""
from __future__ import annotations

from flask import abort, request
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

import placette
from placette import _

from .. import library, queries
from ..models import Document, Folder


def _folder_or_404(space, folder_id: int | None) -> Folder | None:
    if folder_id is None:
        return None

    def build(**late):  # every folder of every library: one SQL text, the ids late values
        return Folder.select().where((Folder.id == late["folder_id"])
                                     & (Folder.space == late["space_id"]))

    folder = placette.prepared("documents.folder_or_404", build, folder_id=folder_id,
                               space_id=space.id).first()
    if folder is None:
        abort(404)
    folder.space = space  # already loaded: no query for the permission check
    if not placette.can(_actor(), "view", folder):
        abort(404)
    return folder


def _document_or_404(space, document_id: int) -> Document:
    document = queries.not_moderated(
        Document.select().where((Document.id == document_id) & (Document.space == space.id)),
        _actor()).first()
    if document is None or not placette.can(_actor(), "view", document):
        abort(404)
    document.space = space  # already loaded: no query per permission check
    return document


def _actor():
    """The signed-in person (or the anonymous one) itself, not Flask-Login's proxy: the
    permission checks and the queries' viewer keys read it many times a page (~30 us each
    through the proxy)."""
    return current_user._get_current_object()


def _allowed(action: str, target) -> bool:
    return placette.can(_actor(), action, target)


def _require(action: str, target) -> None:
    placette.require(_actor(), action, target)


def _page() -> int:
    return placette.page_number(request.args.get("page"))


def _folder_choices(space, folders, include_root=True) -> list[SelectChoice]:
    paths = queries.folder_paths(folders)
    options = [SelectChoice("", _("Library (top level)"))] if include_root else []
    for folder in sorted(folders, key=lambda f: [p.name.lower() for p in paths[f.id]]):
        options.append(SelectChoice(str(folder.id), " / ".join(p.name for p in paths[folder.id])))
    return options


def _wants_json() -> bool:
    return request.headers.get("X-Requested-With") == "XMLHttpRequest"


def _incoming(field_name: str) -> list[library.Incoming]:
    return [library.Incoming(f.stream, f.filename or "") for f in request.files.getlist(field_name)
            if f is not None and (f.filename or "").strip() != ""]
