"""The hooks of the ``documents`` plugin -- the only module the entry point names.

Everything the plugin brings is declared here and implemented in small modules next to it:
``library`` (operations), ``queries`` (lists), ``views``/``city``/``api`` (surfaces),
``processing`` (tasks), ``slots``, ``demo``.
"""
from __future__ import annotations

from pathlib import Path

import placette
from placette import hookimpl, lazy_gettext as _l

from .settings import SpaceSettings

NAME = "documents"


@hookimpl
def register_manifest():
    return placette.PluginManifest(
        name=NAME, title=_l("Documents"), version="0.1.0",
        description=_l("The space's library: folders, documents and their versions, photo "
                       "galleries, permission-checked downloads."),
        settings=SpaceSettings, default_enabled=True)


@hookimpl
def register_models():
    from .models import MODELS
    return MODELS


@hookimpl
def register_migrations():
    return Path(__file__).parent / "migrations"


@hookimpl
def startup(app):
    """Refuse to start with a mistyped ``[plugin.documents]`` table (a clear one-line error)."""
    from .settings import InstanceSettings
    with app.app_context():
        raw = placette.current_config().settings_for(NAME)
    try:
        InstanceSettings.model_validate(raw)
    except Exception as exc:
        raise placette.ConfigError(f"[plugin.documents] in placette.toml: {exc}") from None


@hookimpl
def register_blueprints():
    from .city import bp as city_bp
    from .views import bp
    return [bp, city_bp]


@hookimpl
def register_assets():
    return {"documents/js": ["documents.js"], "documents/css": ["documents.css"]}


@hookimpl
def nav_items(space, actor):
    from flask import url_for
    if space is None:
        return [placette.NavItem(_l("Resources"), url_for("documents_city.index"), plugin=NAME,
                                 position=50)]
    return [placette.NavItem(_l("Documents"), url_for("documents.index", space=space.slug),
                             plugin=NAME, position=30)]


@hookimpl
def render_slot(slot, context):
    if slot == "resource.attachments":
        from .slots import attachments
        return attachments(context)
    return None


@hookimpl
def register_actions():
    return [
        placette.Action("documents.document.upload", "member", _l("Add documents")),
        placette.Action("documents.document.edit", "animator",
                        _l("Edit any document, add versions (authors edit their own)")),
        placette.Action("documents.document.delete", "animator",
                        _l("Delete any document (authors delete their own)")),
        placette.Action("documents.document.validate", "animator",
                        _l("Mark documents as validated by the city")),
        placette.Action("documents.folder.manage", "animator", _l("Create and edit folders")),
        placette.Action("documents.document.attach", "member",
                        _l("Attach documents to meetings and other items")),
    ]


AUTHOR_ACTIONS = {"documents.document.edit", "documents.document.delete"}


@hookimpl
def permission_check(actor, action, target, space):
    """Authors may edit and delete their own documents while they still belong to the space."""
    if action not in AUTHOR_ACTIONS or space is None:
        return None
    from .models import Document
    if not isinstance(target, Document) or not getattr(actor, "is_authenticated", False):
        return None
    if target.author_id and target.author_id == actor.id and \
            placette.role_in(actor, space) in ("guest", "member", "animator", "admin"):
        return True
    return None


@hookimpl
def register_resource_kinds():
    return [placette.ResourceKind(NAME, "document", _l("Document"), _l("Documents")),
            placette.ResourceKind(NAME, "folder", _l("Folder"), _l("Folders"))]


@hookimpl
def register_events():
    return [
        placette.EventType("documents.document.created", _l("New document")),
        placette.EventType("documents.version.created", _l("New version of a document")),
        placette.EventType("documents.document.validated", _l("Document validated by the city")),
    ]


@hookimpl
def register_tasks(queue):
    from . import processing
    queue.task("documents.make_images", retries=1, retry_delay=30)(processing.make_images)
    queue.task("documents.extract_text", retries=1, retry_delay=60)(processing.extract_text)
    queue.periodic("documents.sweep", minute="17")(processing.sweep)


@hookimpl
def search_documents(resource):
    """Tags, text alternative, file name and the file's extracted text.

    The kernel already indexes the title and the summary (the description): repeating them
    here would only repeat them in the result's passage.  A part that the title or the
    description already holds (a photo's alt text copied from its caption) is left out too."""
    if getattr(resource, "plugin", None) != NAME or getattr(resource, "kind", None) != "document":
        return None
    from .models import Document, Tag, Version
    document = Document.get_or_none(Document.id == int(resource.object_id))
    if document is None:
        return None
    version = Version.get_or_none(Version.id == document.current_version_id)
    tags = [t.name for t in Tag.select(Tag.name).where(Tag.document == document.id)]
    known = f"{document.title}\n{document.description}".casefold()
    file_name = version.file_name if version else ""
    parts = [document.alt_text, " ".join(tags),
             file_name if file_name.rsplit(".", 1)[0].casefold() not in known else "",
             (version.text or "") if version else ""]
    return "\n".join(p for p in parts if p and p.casefold() not in known)


@hookimpl
def export_user_data(user):
    from .rgpd import export
    return export(user)


@hookimpl
def erase_user_data(user):
    from .rgpd import erase
    erase(user)


@hookimpl
def seed_demo(city):
    from .demo import seed
    seed(city)


@hookimpl
def register_api(api):
    from .api import register
    register(api)


@hookimpl
def showcase_items(space, actor):
    from .showcase import items
    return items(space, actor)


@hookimpl
def showcase_item(resource, actor):
    from .showcase import item
    return item(resource, actor)
