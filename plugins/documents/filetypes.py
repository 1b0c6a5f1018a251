"""What may be uploaded, judged on the file's CONTENT, not its name.

Each allowed type is identified by its magic bytes with ``puremagic`` (pure Python, actively
maintained, a large signature base that also recognises SVG and executables, so refusals can say
what the file really is).  Containers get a structural check on top: ODF and OOXML files are zip
archives whose inner parts name the real type, and whose decompressed size is bounded here (zip
bombs); images are opened by Pillow, whose ``MAX_IMAGE_PIXELS`` guard refuses decompression bombs.

SVG is refused outright rather than sanitised: an SVG can carry scripts and external references,
and a sanitiser that must keep up with browsers is a liability for a council's library.
"""
from __future__ import annotations

import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path
import puremagic
from PIL import Image, UnidentifiedImageError

from placette import lazy_gettext as _l


@dataclass(frozen=True)
class FileType:
    key: str
    label: str  # translated when shown (a lazy string)
    extensions: tuple[str, ...]
    mime: str
    kind: str  # pdf | text | spreadsheet | presentation | image
    check: str  # magic | odf | ooxml | image | plain
    ooxml_part: str = ""


TYPES: dict[str, FileType] = {t.key: t for t in [
    FileType("pdf", "PDF", (".pdf",), "application/pdf", "pdf", "magic"),
    FileType("odt", _l("OpenDocument text"), (".odt",),
             "application/vnd.oasis.opendocument.text", "text", "odf"),
    FileType("ods", _l("OpenDocument spreadsheet"), (".ods",),
             "application/vnd.oasis.opendocument.spreadsheet", "spreadsheet", "odf"),
    FileType("odp", _l("OpenDocument presentation"), (".odp",),
             "application/vnd.oasis.opendocument.presentation", "presentation", "odf"),
    FileType("docx", _l("Word document"), (".docx",),
             "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "text",
             "ooxml", "word/document.xml"),
    FileType("xlsx", _l("Excel spreadsheet"), (".xlsx",),
             "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "spreadsheet",
             "ooxml", "xl/workbook.xml"),
    FileType("pptx", _l("PowerPoint presentation"), (".pptx",),
             "application/vnd.openxmlformats-officedocument.presentationml.presentation",
             "presentation", "ooxml", "ppt/presentation.xml"),
    FileType("jpeg", _l("JPEG image"), (".jpg", ".jpeg"), "image/jpeg", "image", "image"),
    FileType("png", _l("PNG image"), (".png",), "image/png", "image", "image"),
    FileType("gif", _l("GIF image"), (".gif",), "image/gif", "image", "image"),
    FileType("webp", _l("WebP image"), (".webp",), "image/webp", "image", "image"),
    FileType("txt", _l("Text"), (".txt",), "text/plain; charset=utf-8", "text", "plain"),
    FileType("csv", _l("CSV table"), (".csv",), "text/csv; charset=utf-8", "spreadsheet",
             "plain"),
    FileType("md", _l("Markdown text"), (".md",), "text/markdown; charset=utf-8", "text",
             "plain"),
]}
BY_EXTENSION = {ext: t for t in TYPES.values() for ext in t.extensions}
DEFAULT_ALLOWED = list(TYPES)
KINDS = {"pdf": _l("PDF"), "text": _l("Text documents"), "spreadsheet": _l("Spreadsheets"),
         "presentation": _l("Presentations"), "image": _l("Images")}
PILLOW_FORMATS = {"jpeg": "JPEG", "png": "PNG", "gif": "GIF", "webp": "WEBP"}
ODF_MIMES = {t.mime for t in TYPES.values() if t.check == "odf"}


class Refused(Exception):
    """The file may not be stored; ``message`` is shown to the person as is."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = str(message)


@dataclass
class Identified:
    type: FileType
    width: int | None = None
    height: int | None = None


def _magic(path: Path, min_confidence: float = 0.3) -> list[tuple[str, str]]:
    """``(extension, mime)`` candidates from the magic bytes (no hint from any name)."""
    try:
        found = puremagic.magic_file(str(path))
    except (puremagic.PureError, ValueError, OSError):
        return []
    return [(m.extension.lower(), m.mime_type.lower()) for m in found
            if m.confidence >= min_confidence]


def describe(candidates: list[tuple[str, str]]) -> str:
    for ext, mime in candidates:
        if ext or mime:
            return (ext.lstrip(".") or mime).upper()
    return "?"


def _looks_executable(candidates: list[tuple[str, str]], head: bytes) -> bool:
    if head.startswith((b"MZ", b"\x7fELF", b"#!", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe",
                        b"\xce\xfa\xed\xfe")):
        return True
    return any(ext in (".exe", ".dll", ".elf", ".so", ".msi", ".com", ".bat") or
               "executable" in mime or "x-msdownload" in mime for ext, mime in candidates)


def check_zip(path: Path, max_uncompressed: int, max_entries: int = 10_000) -> zipfile.ZipFile:
    """Open an archive and make sure it cannot blow up: bounded entries, bounded declared size,
    and every member read through once (Python's zipfile never inflates past a member's
    declared size, and a member that lies about it fails its CRC here)."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise Refused("damaged", _l("The file is damaged: it is not a readable archive.")) from None
    members = archive.infolist()
    total = sum(m.file_size for m in members)
    if len(members) > max_entries or total > max_uncompressed:
        archive.close()
        raise Refused("archive_too_large", _l(
            "The file expands to more than %(mb)s MB once unpacked: it was refused.",
            mb=max_uncompressed // (1024 * 1024)))
    try:
        for member in members:
            with archive.open(member) as stream:
                while stream.read(1 << 20):
                    pass
    # RuntimeError also stands for its subclass NotImplementedError (a compression method
    # zipfile does not know) and for an encrypted member ("password required").
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError):
        archive.close()
        raise Refused("damaged", _l("The file is damaged: its archive does not unpack.")) \
            from None
    return archive


def _check_container(path: Path, wanted: FileType, max_uncompressed: int) -> None:
    archive = check_zip(path, max_uncompressed)
    with archive:
        names = set(archive.namelist())
        if wanted.check == "odf":
            mimetype = archive.read("mimetype").decode("ascii", "replace").strip() \
                if "mimetype" in names and archive.getinfo("mimetype").file_size < 200 else ""
            ok = mimetype == wanted.mime
        else:
            ok = "[Content_Types].xml" in names and wanted.ooxml_part in names
    if not ok:
        raise Refused("content_mismatch", _l(
            "The file's content is not a %(type)s document, whatever its name says.",
            type=wanted.label))


def _check_image(path: Path, wanted: FileType) -> tuple[int, int]:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                fmt, size = image.format, image.size
                image.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise Refused("image_too_large", _l(
            "The image has too many pixels (more than %(mp)s million): it was refused.",
            mp=(Image.MAX_IMAGE_PIXELS or 0) // 1_000_000)) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise Refused("damaged", _l("The image is damaged or not an image.")) from None
    if fmt != PILLOW_FORMATS[wanted.key]:
        raise Refused("content_mismatch", _l(
            "The file's content is not a %(type)s, whatever its name says.", type=wanted.label))
    return size


def _check_plain(path: Path, wanted: FileType) -> None:
    with open(path, "rb") as stream:
        head = stream.read(1 << 16)
    if b"\x00" in head:
        raise Refused("content_mismatch", _l(
            "The file's content is not text, whatever its name says."))
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # a cut multi-byte character at the end is fine
            raise Refused("not_utf8", _l("The text file is not encoded in UTF-8: save it as "
                                         "UTF-8 and send it again.")) from None


def identify(path: Path, file_name: str, allowed: list[str],
             max_uncompressed: int) -> Identified:
    """Decide whether the file at ``path`` (named ``file_name`` by the sender) may be stored.

    The extension says what the sender claims; the content must agree, and the type must be in
    the space's allow-list.  Raises :class:`Refused` with a message for the person.
    """
    extension = Path(file_name).suffix.lower()
    with open(path, "rb") as stream:
        head = stream.read(64)
    candidates = _magic(path)
    if extension == ".svg" or any(mime == "image/svg+xml" for _e, mime in candidates) \
            or head.lstrip().startswith(b"<svg"):
        raise Refused("svg_refused", _l(
            "SVG images are not accepted (they can carry scripts): export the image as PNG."))
    if _looks_executable(candidates, head):
        raise Refused("executable", _l(
            "This file is a program, not a document: it was refused."))
    wanted = BY_EXTENSION.get(extension)
    if wanted is None or wanted.key not in allowed:
        names = ", ".join(sorted({e for key in allowed if key in TYPES
                                  for e in TYPES[key].extensions}))
        raise Refused("type_not_allowed", _l(
            "Files of this type are not accepted here. Accepted: %(types)s.", types=names))
    if wanted.check == "magic":
        if wanted.mime not in {mime for _e, mime in candidates}:
            raise Refused("content_mismatch", _l(
                "The file's content is not a %(type)s, whatever its name says (it looks like "
                "%(seen)s).", type=wanted.label, seen=describe(candidates)))
        return Identified(wanted)
    if wanted.check in ("odf", "ooxml"):
        if not head.startswith(b"PK\x03\x04"):
            raise Refused("content_mismatch", _l(
                "The file's content is not a %(type)s document, whatever its name says.",
                type=wanted.label))
        _check_container(path, wanted, max_uncompressed)
        return Identified(wanted)
    if wanted.check == "image":
        width, height = _check_image(path, wanted)
        return Identified(wanted, width, height)
    binary = [(e, mime) for e, mime in _magic(path, 0.5)
              if mime.startswith(("image/", "audio/", "video/", "application/"))]
    if binary:
        raise Refused("content_mismatch", _l(
            "The file's content is not text, whatever its name says (it looks like %(seen)s).",
            seen=describe(binary)))
    _check_plain(path, wanted)
    return Identified(wanted)
