"""The library's operations: upload, versions, edits, folders, validation, deletion, quota.

Views and the API call these; nothing here knows about HTTP.  Every write keeps the kernel's
resource registry in step (``placette.publish_resource``) and emits its events in the same
transaction, so a rolled-back upload produces neither rows nor notifications.  Files are moved
into storage before the transaction and deleted again if it fails: a failed upload leaves
nothing, and a crash between the two leaves at worst an unreferenced file (never a row pointing
at nothing).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any, BinaryIO

from flask import current_app
from peewee import fn

import placette
from placette import lazy_gettext as _l, utcnow

from . import metadata, visibility
from .filetypes import Identified, Refused, TYPES, identify
from .models import Attachment, Document, Folder, Tag, Version
from .names import clean_filename, clean_tags, title_from_filename
from .settings import MB, instance_settings, space_settings
from .storage import Staged, Storage, TooLarge, storage_for

PLUGIN = "documents"


class LibraryError(Exception):
    """A refused operation.  ``errors`` lists ``(file name, code, message)`` for uploads."""

    def __init__(self, code: str, message: str, errors: list[tuple[str, str, str]] | None = None,
                 status: int = 422):
        super().__init__(message)
        self.code = code
        self.message = str(message)
        self.errors = errors or []
        self.status = status


@dataclass
class Incoming:
    """One file as received: its stream and the name the sender's device gave it."""

    stream: BinaryIO
    name: str


@dataclass
class _Ready:
    name: str
    staged: Staged
    identified: Identified
    key: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


# -- runtime ------------------------------------------------------------------------------------

def storage() -> Storage:
    """The instance's storage, built once per app."""
    holder = current_app.extensions.setdefault("documents", {})
    if "storage" not in holder:
        holder["storage"] = storage_for(placette.current_config())
    return holder["storage"]


def document_url(document: Document, space=None) -> str:
    space = space or document.space
    return f"/s/{space.slug}/documents/files/{document.id}"


def folder_url(folder: Folder, space=None) -> str:
    space = space or folder.space
    return f"/s/{space.slug}/documents/folders/{folder.id}"


# -- quota and names ----------------------------------------------------------------------------

def usage(space) -> int:
    """Bytes used by a space: every stored file once (restored versions share their file)."""
    distinct = (Version.select(Version.storage_key, Version.size)
                .join(Document, on=(Version.document == Document.id))
                .where(Document.space == space.id)
                .distinct())
    stored = distinct.alias("stored")
    total = (Version.select(fn.COALESCE(fn.SUM(stored.c.size), 0))
             .from_(stored).scalar())
    return int(total or 0)


def _existing_names(space, folder: Folder | None) -> set[str]:
    query = (Version.select(Version.file_name)
             .join(Document, on=(Version.id == Document.current_version_id))
             .where((Document.space == space.id)
                    & (Document.folder.is_null() if folder is None
                       else Document.folder == folder.id)))
    return {name.lower() for (name,) in query.tuples()}


# -- receiving files ----------------------------------------------------------------------------

def _receive(incoming: Incoming, settings, inst) -> _Ready:
    """Stage one file and check it; raises :class:`Refused` (its staged copy removed)."""
    name = clean_filename(incoming.name)
    if not name or not PurePath(name).suffix:
        raise Refused("bad_name", _l("The file has no usable name (it needs a name and an "
                                     "extension such as .pdf)."))
    store = storage()
    try:
        staged = store.stage(incoming.stream, settings.max_file_mb * MB)
    except TooLarge:
        raise Refused("file_too_large", _l("The file is larger than %(mb)s MB, the limit here.",
                                           mb=settings.max_file_mb)) from None
    try:
        if staged.size == 0:
            raise Refused("empty_file", _l("The file is empty."))
        identified = identify(staged.path, name, settings.allowed_types,
                              inst.max_unpacked_mb * MB)
        if identified.type.key in ("jpeg", "png", "webp"):
            staged = _strip_metadata(store, staged, identified)
        return _Ready(name, staged, identified)
    except BaseException:
        store.discard(staged)
        raise


def _strip_metadata(store: Storage, staged: Staged, identified: Identified) -> Staged:
    from PIL import Image
    data = staged.path.read_bytes()
    orientation = None
    if identified.type.key == "jpeg":
        try:
            with Image.open(staged.path) as image:
                orientation = image.getexif().get(0x0112)
        except Exception:
            orientation = None
    try:
        cleaned = metadata.strip(data, identified.type.key, orientation)
    except metadata.NotClean:
        raise Refused("damaged", _l("The image is damaged or not an image.")) from None
    if cleaned == data:
        return staged
    fresh = store.stage_bytes(cleaned)
    store.discard(staged)
    return fresh


def _receive_all(items: list[Incoming], space, folder: Folder | None,
                 check_duplicates: bool = True, extra_bytes: int = 0) -> list[_Ready]:
    """Stage and check every file; if any is refused, none is kept (LibraryError lists why)."""
    settings = space_settings(space)
    inst = instance_settings()
    if not items:
        raise LibraryError("no_file", _l("Choose at least one file."))
    ready: list[_Ready] = []
    errors: list[tuple[str, str, str]] = []
    try:
        for incoming in items:
            shown = clean_filename(incoming.name) or "?"
            try:
                ready.append(_receive(incoming, settings, inst))
            except Refused as refused:
                errors.append((shown, refused.code, refused.message))
        if check_duplicates:
            existing = _existing_names(space, folder)
            batch: set[str] = set()
            for item in ready:
                lowered = item.name.lower()
                if lowered in existing or lowered in batch:
                    errors.append((item.name, "duplicate_name", str(_l(
                        "A document named %(name)s is already in this folder: upload it as a "
                        "new version of that document, or rename the file.", name=item.name))))
                batch.add(lowered)
        if not errors:
            incoming_bytes = sum(item.staged.size for item in ready) + extra_bytes
            used = usage(space)
            if used + incoming_bytes > settings.quota_mb * MB:
                left = max(0, settings.quota_mb * MB - used)
                errors.append(("", "quota_exceeded", str(_l(
                    "The space's storage quota (%(quota)s MB) would be exceeded: %(left)s MB "
                    "left. Ask an administrator, or delete old files.", quota=settings.quota_mb,
                    left=round(left / MB, 1)))))
        if errors:
            raise LibraryError(errors[0][1], _refusal_message(errors), errors,
                               status=_status_for(errors))
        return ready
    except BaseException:
        for item in ready:
            storage().discard(item.staged)
        raise


def _refusal_message(errors: list[tuple[str, str, str]]) -> str:
    if len(errors) == 1:
        name, _code, message = errors[0]
        return f"{name}: {message}" if name else message
    return str(_l("%(count)s files were refused; nothing was stored.", count=len(errors)))


def _status_for(errors: list[tuple[str, str, str]]) -> int:
    codes = {code for _n, code, _m in errors}
    if codes <= {"file_too_large", "quota_exceeded"}:
        return 413
    if codes == {"duplicate_name"}:
        return 409
    return 422


def _commit_files(ready: list[_Ready]) -> None:
    store = storage()
    for item in ready:
        item.key = store.commit(item.staged)


def _forget_files(ready: list[_Ready]) -> None:
    store = storage()
    for item in ready:
        if item.key:
            store.delete(item.key)
        else:
            store.discard(item.staged)


def _new_version(document: Document, item: _Ready, actor, number: int) -> Version:
    ident = item.identified
    return Version.create(
        document=document, number=number, storage_key=item.key, file_name=item.name,
        file_type=ident.type.key, mime=ident.type.mime, size=item.staged.size,
        sha256=item.staged.sha256, uploaded_by=_actor_id(actor), width=ident.width,
        height=ident.height,
        image_status="pending" if ident.type.kind == "image" else "none",
        text_status="pending" if wants_text(ident.type.key) else "none")


def wants_text(file_type: str) -> bool:
    return file_type in ("pdf", "odt", "ods", "odp", "docx", "txt", "csv", "md")


def _actor_id(actor) -> int | None:
    return getattr(actor, "id", None) if getattr(actor, "is_authenticated", False) else None


def _after_commit_process(version_ids: list[tuple[int, str]]) -> None:
    def run():
        for version_id, file_type in version_ids:
            if TYPES[file_type].kind == "image":
                placette.enqueue("documents.make_images", version_id)
            if wants_text(file_type):
                placette.enqueue("documents.extract_text", version_id)
    placette.after_commit(run)


# -- documents ----------------------------------------------------------------------------------

def publish(document: Document, space=None) -> Any:
    space = space or document.space
    summary = document.description[:1000]
    return placette.publish_resource(
        PLUGIN, "document", document.id, space=space, title=document.title, url=document_url(
            document, space), author=document.author_id, visibility=document.visibility,
        summary=summary)


def upload(space, actor, items: list[Incoming], folder: Folder | None = None,
           title: str = "", description: str = "", tags: list[str] | str | None = None,
           visibility_value: str | None = None, alt_text: str = "") -> list[Document]:
    """Store several files as new documents -- all of them, or none with every reason why."""
    floor = folder.visibility if folder is not None else None
    if not visibility.is_allowed(actor, space, visibility_value, floor):
        raise LibraryError("invalid_visibility", _l(
            "This visibility cannot be chosen here (it is wider than the folder's, or you could "
            "not read the document yourself)."))
    tag_names = clean_tags(tags)
    ready = _receive_all(items, space, folder)
    _commit_files(ready)
    created: list[Document] = []
    try:
        with placette.atomic():
            processing = []
            for item in ready:
                doc_title = (title.strip() if title.strip() and len(ready) == 1
                             else title_from_filename(item.name))[:300]
                document = Document.create(
                    space=space, folder=folder, title=doc_title,
                    description=(description or "").strip(),
                    alt_text=(alt_text or "").strip() if item.identified.type.kind == "image"
                    else "",
                    visibility=visibility.at_least(space, visibility_value or None, floor),
                    kind=item.identified.type.kind, author=_actor_id(actor))
                version = _new_version(document, item, actor, 1)
                document.current_version_id = version.id
                document.save()
                for name in tag_names:
                    Tag.create(document=document, name=name)
                resource = publish(document, space)
                placette.emit("documents.document.created", space=space, resource=resource,
                              actor=actor, data={"title": document.title,
                                                 "file": item.name, "kind": document.kind})
                processing.append((version.id, version.file_type))
                created.append(document)
            _after_commit_process(processing)
    except BaseException:
        _forget_files(ready)
        raise
    return created


def add_version(document: Document, actor, incoming: Incoming) -> Version:
    """A new file for a document; the old versions stay downloadable."""
    space = document.space
    ready = _receive_all([incoming], space, document.folder, check_duplicates=False)
    _commit_files(ready)
    try:
        with placette.atomic():
            item = ready[0]
            number = (Version.select(fn.MAX(Version.number))
                      .where(Version.document == document.id).scalar() or 0) + 1
            version = _new_version(document, item, actor, number)
            document.current_version_id = version.id
            document.kind = item.identified.type.kind
            document.updated_at = utcnow()
            document.save()
            resource = publish(document, space)
            placette.emit("documents.version.created", space=space, resource=resource,
                          actor=actor, data={"title": document.title, "version": number,
                                             "file": item.name})
            _after_commit_process([(version.id, version.file_type)])
    except BaseException:
        _forget_files(ready)
        raise
    return version


def restore_version(document: Document, actor, number: int) -> Version:
    """Make an old version current again, as a new version sharing the old one's file."""
    old = Version.get_or_none((Version.document == document.id) & (Version.number == number))
    if old is None:
        raise LibraryError("not_found", _l("No such version."), status=404)
    with placette.atomic():
        latest = Version.select(fn.MAX(Version.number)).where(
            Version.document == document.id).scalar() or 0
        fields = {f: getattr(old, f) for f in (
            "storage_key", "file_name", "file_type", "mime", "size", "sha256", "width",
            "height", "thumb_key", "web_key", "image_status", "text", "text_status")}
        version = Version.create(document=document, number=latest + 1,
                                 uploaded_by=_actor_id(actor), restored_from=old.number,
                                 **fields)
        document.current_version_id = version.id
        document.kind = TYPES[old.file_type].kind if old.file_type in TYPES else document.kind
        document.updated_at = utcnow()
        document.save()
        resource = publish(document)
        placette.emit("documents.version.created", space=document.space, resource=resource,
                      actor=actor, data={"title": document.title, "version": version.number,
                                         "restored_from": old.number, "file": old.file_name})
    return version


def edit(document: Document, actor, *, title: str | None = None, description: str | None = None,
         tags: list[str] | str | None = None, visibility_value: str | None | bool = False,
         folder: Folder | None | bool = False, alt_text: str | None = None) -> Document:
    """Change a document's metadata (``False`` = leave unchanged for folder and visibility)."""
    space = document.space
    before = {"title": document.title, "visibility": document.visibility,
              "folder": document.folder_id}
    target_folder = document.folder if folder is False else folder
    if target_folder is not None and target_folder.space_id != space.id:
        raise LibraryError("invalid_folder", _l("This folder is not in the same space."))
    floor = target_folder.visibility if target_folder is not None else None
    wanted = document.visibility if visibility_value is False else (visibility_value or None)
    if visibility_value is not False and not visibility.is_allowed(actor, space, wanted, floor):
        raise LibraryError("invalid_visibility", _l(
            "This visibility cannot be chosen here (it is wider than the folder's, or you could "
            "not read the document yourself)."))
    if title is not None:
        title = title.strip()
        if not title:
            raise LibraryError("invalid_title", _l("A title is required."))
        document.title = title[:300]
    if description is not None:
        document.description = description.strip()
    if alt_text is not None:
        document.alt_text = alt_text.strip()
    document.folder = target_folder
    document.visibility = visibility.at_least(space, wanted, floor)
    document.updated_at = utcnow()
    with placette.atomic():
        document.save()
        if tags is not None:
            Tag.delete().where(Tag.document == document.id).execute()
            for name in clean_tags(tags):
                Tag.create(document=document, name=name)
        publish(document, space)
        if before["visibility"] != document.visibility:
            placette.record_audit(actor, "documents.document.visibility",
                                  target=f"documents.document:{document.id}", space=space,
                                  before=before["visibility"], after=document.visibility)
    return document


def set_validated(document: Document, actor, validated: bool) -> Document:
    """The "validated by the city" mark (animators and admins)."""
    with placette.atomic():
        document.validated_at = utcnow() if validated else None
        document.validated_by = _actor_id(actor) if validated else None
        document.save()
        resource = publish(document)
        placette.record_audit(actor, "documents.document.validate" if validated
                              else "documents.document.unvalidate",
                              target=f"documents.document:{document.id}", space=document.space)
        if validated:
            placette.emit("documents.document.validated", space=document.space,
                          resource=resource, actor=actor, data={"title": document.title})
    return document


def delete(document: Document, actor) -> None:
    """Delete a document, its versions and files (after the transaction commits)."""
    keys = set()
    for version in Version.select().where(Version.document == document.id):
        keys.update(k for k in (version.storage_key, version.thumb_key, version.web_key) if k)
    with placette.atomic():
        placette.withdraw_resource(PLUGIN, "document", document.id)
        placette.record_audit(actor, "documents.document.delete",
                              target=f"documents.document:{document.id}", space=document.space,
                              before={"title": document.title})
        document.delete_instance(recursive=True)
        placette.after_commit(lambda: _delete_unreferenced(keys))


def _delete_unreferenced(keys: set[str]) -> None:
    if not keys:
        return
    still = {k for (k,) in Version.select(Version.storage_key)
             .where(Version.storage_key.in_(list(keys))).tuples()}
    store = storage()
    for key in keys - still:
        store.delete(key)


# -- folders ------------------------------------------------------------------------------------

def publish_folder(folder: Folder, space=None) -> Any:
    """Keep the folder's registry row in step: a folder can then be found by its name and picked
    for the public window, where its described photos are shown as a gallery.  A folder is
    structure, not a contribution: it has no author in the registry, so it is never held for
    pre-moderation."""
    space = space or folder.space
    return placette.publish_resource(PLUGIN, "folder", folder.id, space=space, title=folder.name,
                                     url=folder_url(folder, space), visibility=folder.visibility)


def create_folder(space, actor, name: str, parent: Folder | None = None,
                  visibility_value: str | None = None) -> Folder:
    name = clean_filename(name) if name else ""
    name = (name or "").strip()[:150]
    if not name:
        raise LibraryError("invalid_name", _l("A folder name is required."))
    floor = parent.visibility if parent is not None else None
    if not visibility.is_allowed(actor, space, visibility_value or None, floor):
        raise LibraryError("invalid_visibility", _l(
            "This visibility cannot be chosen here (it is wider than the parent folder's, or "
            "you could not read the folder yourself)."))
    siblings = Folder.select().where((Folder.space == space.id) & (
        Folder.parent.is_null() if parent is None else Folder.parent == parent.id))
    if any(f.name.lower() == name.lower() for f in siblings):
        raise LibraryError("duplicate_name", _l("A folder named %(name)s already exists here.",
                                                name=name), status=409)
    with placette.atomic():
        folder = Folder.create(space=space, parent=parent, name=name,
                               visibility=visibility.at_least(space, visibility_value or None,
                                                              floor),
                               created_by=_actor_id(actor))
        publish_folder(folder, space)
    return folder


def descendant_folder_ids(folder: Folder) -> list[int]:
    found: list[int] = []
    frontier = [folder.id]
    while frontier:
        frontier = [fid for (fid,) in Folder.select(Folder.id)
                    .where(Folder.parent.in_(frontier)).tuples()]
        found.extend(frontier)
    return found


def edit_folder(folder: Folder, actor, name: str | None = None,
                visibility_value: str | None | bool = False) -> Folder:
    """Rename a folder or change its visibility; narrowing cascades to what it contains."""
    space = folder.space
    if name is not None:
        cleaned = (clean_filename(name) or "").strip()[:150]
        if not cleaned:
            raise LibraryError("invalid_name", _l("A folder name is required."))
        folder.name = cleaned
    if visibility_value is not False:
        floor = folder.parent.visibility if folder.parent_id else None
        if not visibility.is_allowed(actor, space, visibility_value or None, floor):
            raise LibraryError("invalid_visibility", _l(
                "This visibility cannot be chosen here (it is wider than the parent folder's, "
                "or you could not read the folder yourself)."))
        folder.visibility = visibility.at_least(space, visibility_value or None, floor)
    with placette.atomic():
        folder.save()
        publish_folder(folder, space)
        if visibility_value is not False:
            _narrow_contents(folder)
    return folder


def _narrow_contents(folder: Folder) -> None:
    space = folder.space
    floor_level = visibility.level(space, folder.visibility)
    folder_ids = [folder.id] + descendant_folder_ids(folder)
    for child in Folder.select().where(Folder.id.in_(folder_ids[1:])):
        if visibility.level(space, child.visibility) < floor_level:
            child.visibility = visibility.normalise(space, folder.visibility)
            child.save()
            publish_folder(child, space)
    for document in Document.select().where(Document.folder.in_(folder_ids)):
        if visibility.level(space, document.visibility) < floor_level:
            document.visibility = visibility.normalise(space, folder.visibility)
            document.save()
            publish(document, space)


def delete_folder(folder: Folder, actor) -> None:
    has_docs = Document.select().where(Document.folder == folder.id).exists()
    has_children = Folder.select().where(Folder.parent == folder.id).exists()
    if has_docs or has_children:
        raise LibraryError("folder_not_empty", _l(
            "The folder is not empty: move or delete what it contains first."), status=409)
    with placette.atomic():
        placette.record_audit(actor, "documents.folder.delete",
                              target=f"documents.folder:{folder.id}", space=folder.space,
                              before={"name": folder.name})
        placette.withdraw_resource(PLUGIN, "folder", folder.id)
        folder.delete_instance()


# -- attachments --------------------------------------------------------------------------------

def attach(document: Document, resource, actor) -> Attachment:
    if resource.space_id != document.space_id:
        raise LibraryError("other_space", _l(
            "Only documents of the same space can be attached."))
    existing = Attachment.get_or_none((Attachment.document == document.id)
                                      & (Attachment.resource == resource.id))
    if existing is not None:
        return existing
    return Attachment.create(document=document, resource=resource, created_by=_actor_id(actor))


def detach(attachment: Attachment) -> None:
    attachment.delete_instance()
