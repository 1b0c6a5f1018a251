"""Background work on uploaded files (tasks declared in ``register_tasks``).

* ``documents.make_images``: a thumbnail and a web-sized copy of each photo, with the EXIF
  orientation applied and no metadata at all (Pillow writes none unless asked); then
  ``placette.showcase_files_ready`` names the photo, so a public gallery picked before the
  copies existed gets them.  JPEG sources are
  decoded at reduced scale (``draft``), which keeps 20 phone photos well under the 20 s target.
* ``documents.extract_text``: the text of PDF (pypdf), ODF (odfpy) and Word (python-docx) files
  for the kernel search.  Archives were bounded at upload; here extraction is bounded again (pages,
  characters) and any failure only marks the version -- the file itself stays stored.
"""
from __future__ import annotations

import io
import logging
import warnings

import placette

from .filetypes import check_zip
from .models import Document, Version
from .settings import MB, instance_settings

log = logging.getLogger("placette.documents")


def _store():
    from .library import storage
    return storage()


# -- images -------------------------------------------------------------------------------------

def _fit(size: tuple[int, int], box: int) -> tuple[int, int]:
    ratio = min(1.0, box / size[0], box / size[1])
    return max(1, int(size[0] * ratio)), max(1, int(size[1] * ratio))


def _encode(image) -> tuple[bytes, str]:
    out = io.BytesIO()
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        image.convert("RGBA").save(out, "PNG")
        return out.getvalue(), ".png"
    image.convert("RGB").save(out, "JPEG", quality=82)
    return out.getvalue(), ".jpg"


def make_images(version_id: int) -> None:
    """Web copy and thumbnail of one image version (idempotent: re-running replaces them).

    Speed matters (a phone's 20 photos should be ready in seconds): a JPEG is decoded directly
    at the smallest DCT scale that still covers the web size, the thumbnail is made from the
    web copy, and encoders run without their slow optimisation passes.
    """
    from PIL import Image, ImageOps
    version = Version.get_or_none(Version.id == version_id)
    if version is None:
        return
    inst = instance_settings()
    store = _store()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with store.open(version.storage_key) as stream, Image.open(stream) as image:
                image.seek(0)
                if image.format == "JPEG":
                    image.draft("RGB", _fit(image.size, inst.web_px))
                oriented = ImageOps.exif_transpose(image)
                oriented.load()
        width, height = oriented.size
        web = oriented.copy()
        web.thumbnail((inst.web_px, inst.web_px), Image.Resampling.BICUBIC)
        thumb = web.copy()
        thumb.thumbnail((inst.thumb_px, inst.thumb_px), Image.Resampling.LANCZOS)
        keys = {}
        for suffix, picture in (("thumb", thumb), ("web", web)):
            data, extension = _encode(picture)
            keys[suffix] = store.commit(store.stage_bytes(data),
                                        f"{version.storage_key}.{suffix}{extension}")
    except (Image.DecompressionBombError, Image.DecompressionBombWarning, OSError,
            ValueError, SyntaxError) as exc:
        log.warning("documents: no thumbnails for version %s: %s", version_id, exc)
        Version.update(image_status="failed").where(Version.id == version_id).execute()
        return
    with placette.atomic():
        (Version.update(thumb_key=keys["thumb"], web_key=keys["web"], image_status="ready",
                        width=version.width or width, height=version.height or height)
         .where(Version.storage_key == version.storage_key).execute())
        _tell_the_showcase(version.storage_key)


def _tell_the_showcase(storage_key: str) -> None:
    """A photo picked for the public window before its copies existed was frozen without them:
    say they are ready, naming each version of these bytes as the gallery offer does
    (``documents.version:<id>``, see ``showcase.py``), per space."""
    from .showcase import photo_source
    spaces: dict[int, list[str]] = {}
    for version_id, space_id in (Version.select(Version.id, Document.space)
                                 .join(Document, on=(Version.document == Document.id))
                                 .where(Version.storage_key == storage_key).tuples()):
        spaces.setdefault(space_id, []).append(photo_source(version_id))
    for space_id, sources in spaces.items():
        placette.showcase_files_ready(space_id, sources)


# -- text ---------------------------------------------------------------------------------------

def _pdf_text(stream, inst) -> str:
    from pypdf import PdfReader
    reader = PdfReader(stream)
    parts: list[str] = []
    length = 0
    for index, page in enumerate(reader.pages):
        if index >= inst.max_pdf_pages or length >= inst.max_extract_chars:
            break
        text = page.extract_text() or ""
        parts.append(text)
        length += len(text)
    return "\n".join(parts)


def _odf_text(path_or_stream) -> str:
    from odf import teletype
    from odf.opendocument import load
    from odf.text import H, P
    document = load(path_or_stream)
    lines = []
    for element_type in (H, P):
        for element in document.getElementsByType(element_type):
            lines.append(teletype.extractText(element))
    return "\n".join(line for line in lines if line.strip())


def _docx_text(path_or_stream) -> str:
    import docx
    document = docx.Document(path_or_stream)
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append(" ".join(cell.text for cell in row.cells))
    return "\n".join(line for line in lines if line.strip())


def extract(version: Version) -> str:
    """The text of one stored file (raises on damaged files; callers record the failure)."""
    inst = instance_settings()
    store = _store()
    path = store.local_path(version.storage_key)
    if version.file_type == "pdf":
        with store.open(version.storage_key) as stream:
            return _pdf_text(stream, inst)
    if version.file_type in ("odt", "ods", "odp", "docx"):
        source = path if path is not None else io.BytesIO(store.open(version.storage_key).read())
        check_zip(source, inst.max_unpacked_mb * MB).close()  # bounded again before parsing
        return _docx_text(source) if version.file_type == "docx" else _odf_text(source)
    if version.file_type in ("txt", "csv", "md"):
        with store.open(version.storage_key) as stream:
            return stream.read(inst.max_extract_chars * 4).decode("utf-8", "replace")
    return ""


def extract_text(version_id: int) -> None:
    """Store a version's text for search; a failure is recorded, never raised."""
    version = Version.get_or_none(Version.id == version_id)
    if version is None:
        return
    inst = instance_settings()
    try:
        text = extract(version)
        status = "done"
    except Exception as exc:  # damaged or hostile files: keep the file, skip the text
        log.warning("documents: no text for version %s (%s): %r", version_id,
                    version.file_name, exc)
        text, status = None, "failed"
    if text is not None:
        text = " ".join(text.replace("\x00", " ").split())[:inst.max_extract_chars]
    with placette.atomic():
        (Version.update(text=text, text_status=status)
         .where(Version.storage_key == version.storage_key).execute())
        document = Document.get_or_none(Document.id == version.document_id)
        if document is not None and document.current_version_id == version.id:
            from .library import publish
            publish(document)  # bumps the resource so search indexers pick the text up


def sweep() -> None:
    """Hourly: remove temporary files that interrupted uploads left behind."""
    removed = _store().sweep()
    if removed:
        log.info("documents: removed %s stale temporary upload(s)", removed)
