"""Fixtures of the documents plugin's tests: the plugin activated, and real files made in code
(PDFs with text, phone-like JPEGs with GPS data, ODF/Word files, hostile archives)."""
from __future__ import annotations

import io
import struct
import zipfile
import zlib
from types import SimpleNamespace

import pytest


@pytest.fixture
def placette_plugins():
    return ["documents"]


def pdf_bytes(text: str = "Compte rendu du conseil") -> bytes:
    from placette_plugins.documents.demo import simple_pdf
    return simple_pdf("Test", [text])


def jpeg_bytes(size=(64, 48), gps: bool = False, orientation: int | None = None,
               colour=(200, 30, 30), quality=90) -> bytes:
    from PIL import Image
    image = Image.new("RGB", size, colour)
    image.paste((20, 20, 220), (0, 0, size[0] // 2, size[1] // 4))  # a marker in the top-left
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[0x0110] = "Phone X"
    if orientation:
        exif[0x0112] = orientation
    if gps:
        exif[0x8825] = {1: "N", 2: (48.0, 51.0, 29.0), 3: "E", 4: (2.0, 17.0, 40.0)}
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes(), quality=quality, comment=b"secret comment")
    return out.getvalue()


def png_bytes(size=(40, 30), text_chunk: bool = True) -> bytes:
    from PIL import Image
    from PIL.PngImagePlugin import PngInfo
    info = PngInfo()
    if text_chunk:
        info.add_text("Location", "48.8566,2.3522")
    out = io.BytesIO()
    Image.new("RGB", size, (10, 120, 10)).save(out, "PNG", pnginfo=info)
    return out.getvalue()


def odt_bytes(text: str = "Texte du document ODF") -> bytes:
    from odf.opendocument import OpenDocumentText
    from odf.text import P
    document = OpenDocumentText()
    document.text.addElement(P(text=text))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def docx_bytes(text: str = "Texte du document Word") -> bytes:
    import docx
    document = docx.Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def elf_bytes() -> bytes:
    return b"\x7fELF\x02\x01\x01" + b"\x00" * 9 + b"\x02\x00\x3e\x00" + b"\x00" * 200


def exe_bytes() -> bytes:
    return b"MZ\x90\x00\x03" + b"\x00" * 55 + b"\x40\x00\x00\x00" + b"PE\x00\x00" + b"\x00" * 300


def svg_bytes() -> bytes:
    return (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg">'
            b'<script>alert(document.cookie)</script></svg>')


def zip_bomb_docx(uncompressed_mb: int = 300) -> bytes:
    """A .docx whose one member inflates to ``uncompressed_mb`` MB of zeros (a few hundred KB)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        chunk = b"\x00" * (1 << 20)
        with archive.open("word/padding.bin", "w", force_zip64=True) as member:
            for _ in range(uncompressed_mb):
                member.write(chunk)
    return out.getvalue()


def lying_zip_docx() -> bytes:
    """A .docx whose member declares 10 bytes but inflates to 50 MB (its headers lie)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        archive.writestr("word/bomb.xml", b"\x00" * (50 << 20))
    # The uncompressed size: at +22 in the local header, +24 in the central directory.
    return _rewrite_member(out.getvalue(), b"word/bomb.xml", "<I", 22, 24, 10)


def unknown_method_docx() -> bytes:
    """A .docx one member of which claims a compression method no unpacker knows (id 99):
    Python's zipfile raises NotImplementedError for it, which must become a clear refusal."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    # The compression method: at +8 in the local header, +10 in the central directory.
    return _rewrite_member(out.getvalue(), b"word/document.xml", "<H", 8, 10, 99)


def _rewrite_member(archive: bytes, name: bytes, fmt: str, local_at: int, central_at: int,
                    value: int) -> bytes:
    """Overwrite one field of member ``name`` in both its local header and its central
    directory entry (a consistent lie: zipfile reads the field from either)."""
    data = bytearray(archive)
    struct.pack_into(fmt, data, data.find(name) - 30 + local_at, value)
    central = data.find(b"PK\x01\x02")
    while central >= 0:
        if data[central + 46:central + 46 + len(name)] == name:
            struct.pack_into(fmt, data, central + central_at, value)
        central = data.find(b"PK\x01\x02", central + 4)
    return bytes(data)


def png_bomb(width: int = 100_000, height: int = 100_000) -> bytes:
    """A tiny PNG whose header claims 10 gigapixels."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(
            ">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"\x00" * 1024)) + chunk(b"IEND", b""))


@pytest.fixture
def sample():
    return SimpleNamespace(pdf=pdf_bytes, jpeg=jpeg_bytes, png=png_bytes, odt=odt_bytes,
                           docx=docx_bytes, elf=elf_bytes, exe=exe_bytes, svg=svg_bytes,
                           zip_bomb_docx=zip_bomb_docx, lying_zip_docx=lying_zip_docx,
                           unknown_method_docx=unknown_method_docx,
                           png_bomb=png_bomb)


@pytest.fixture
def uploads_dir(instance_dir):
    return instance_dir / "uploads" / "documents"


def stored_files(uploads_dir) -> list:
    """Files under real keys (not temporary ones)."""
    return sorted(p for p in uploads_dir.glob("??/*") if p.is_file())


@pytest.fixture
def stored(uploads_dir):
    return lambda: stored_files(uploads_dir)


@pytest.fixture
def upload(client):
    """``upload(space, [(name, bytes), ...], **fields)`` through the HTML form."""
    def do(space, files, folder=None, json=False, **fields):
        data = {"folder": str(folder.id) if folder is not None else "", **fields}
        data["files"] = [(io.BytesIO(content), name) for name, content in files]
        headers = {"X-Requested-With": "XMLHttpRequest"} if json else {}
        return client.post(f"/s/{space.slug}/documents/upload", data=data,
                           content_type="multipart/form-data", headers=headers)
    return do
