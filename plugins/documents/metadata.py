"""Strip metadata from an uploaded photo's ORIGINAL, losslessly, before it is stored.

Phones write the place a photo was taken (GPS), the device and often a preview into the file.
Re-encoding would lose quality and take time, so this works at the container level: JPEG
segments, PNG chunks and WebP RIFF chunks that carry metadata are dropped, pixel data is copied
byte for byte.  A JPEG's orientation is kept (as a minimal EXIF block holding only that tag) so
the original still shows upright; thumbnails and web copies (made by a task with Pillow) have
the orientation applied and carry no metadata at all.

No maintained Python library does lossless stripping (piexif is unmaintained), and the formats'
framing is simple and stable, hence this small module.
"""
from __future__ import annotations

import struct

from PIL import Image

# JPEG: keep JFIF (APP0), ICC profiles (APP2 "ICC_PROFILE"), Adobe colour transform (APP14).
_JPEG_STANDALONE = {0x01, *range(0xD0, 0xD8)}
_PNG_KEEP = {b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"gAMA", b"cHRM", b"sRGB", b"iCCP",
             b"sBIT", b"pHYs", b"bKGD", b"acTL", b"fcTL", b"fdAT", b"hIST", b"sPLT"}
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


class NotClean(ValueError):
    """The file's framing is not what its format says (the caller refuses it as damaged)."""


def _orientation_block(orientation: int | None) -> bytes:
    if not orientation or orientation == 1:
        return b""
    exif = Image.Exif()
    exif[0x0112] = int(orientation)
    payload = exif.tobytes()
    return b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload


def strip_jpeg(data: bytes, orientation: int | None = None) -> bytes:
    if not data.startswith(b"\xff\xd8"):
        raise NotClean("not a JPEG")
    out = [b"\xff\xd8"]
    inserted = False
    position = 2
    length = len(data)
    while position < length:
        if data[position] != 0xFF:
            raise NotClean("bad JPEG marker")
        marker = data[position + 1] if position + 1 < length else None
        if marker is None:
            raise NotClean("truncated JPEG")
        if marker == 0xFF:  # fill byte
            position += 1
            continue
        if marker in _JPEG_STANDALONE:
            out.append(data[position:position + 2])
            position += 2
            continue
        if marker == 0xD9:
            out.append(b"\xff\xd9")
            break
        if position + 4 > length:
            raise NotClean("truncated JPEG")
        size = struct.unpack(">H", data[position + 2:position + 4])[0]
        segment = data[position:position + 2 + size]
        if len(segment) < 2 + size or size < 2:
            raise NotClean("truncated JPEG segment")
        if marker == 0xDA:  # start of scan: entropy-coded data runs to the end of image
            end = data.find(b"\xff\xd9", position + 2 + size)
            if not inserted:
                out.append(_orientation_block(orientation))
                inserted = True
            out.append(data[position:] if end < 0 else data[position:end + 2])
            break  # anything after the end of image (appended previews, trailers) is dropped
        keep = (marker == 0xE0 or (marker == 0xE2 and segment[4:16] == b"ICC_PROFILE\x00")
                or marker == 0xEE or not (0xE0 <= marker <= 0xEF or marker == 0xFE))
        if not (0xE0 <= marker <= 0xEF) and marker != 0xFE and not inserted:
            out.append(_orientation_block(orientation))
            inserted = True
        if keep:
            out.append(segment)
        position += 2 + size
    return b"".join(out)


def strip_png(data: bytes) -> bytes:
    if not data.startswith(_PNG_SIGNATURE):
        raise NotClean("not a PNG")
    out = [_PNG_SIGNATURE]
    position = len(_PNG_SIGNATURE)
    while position + 8 <= len(data):
        size = struct.unpack(">I", data[position:position + 4])[0]
        kind = data[position + 4:position + 8]
        end = position + 12 + size
        if end > len(data):
            raise NotClean("truncated PNG chunk")
        if kind in _PNG_KEEP:
            out.append(data[position:end])
        position = end
        if kind == b"IEND":
            break
    return b"".join(out)


def strip_webp(data: bytes) -> bytes:
    if data[:4] != b"RIFF" or data[8:12] != b"WEBP":
        raise NotClean("not a WebP")
    chunks = []
    position = 12
    while position + 8 <= len(data):
        kind = data[position:position + 4]
        size = struct.unpack("<I", data[position + 4:position + 8])[0]
        end = position + 8 + size + (size & 1)
        if end > len(data) + 1:
            raise NotClean("truncated WebP chunk")
        chunk = data[position:min(end, len(data))]
        if kind == b"VP8X":
            flags = chunk[8] & ~0x0C  # no EXIF (0x08), no XMP (0x04)
            chunk = chunk[:8] + bytes([flags]) + chunk[9:]
        if kind not in (b"EXIF", b"XMP "):
            chunks.append(chunk)
        position = end
    body = b"WEBP" + b"".join(chunks)
    return b"RIFF" + struct.pack("<I", len(body)) + body


def strip(data: bytes, file_type: str, orientation: int | None = None) -> bytes:
    """The file without metadata, or unchanged for formats without any to strip."""
    if file_type == "jpeg":
        return strip_jpeg(data, orientation)
    if file_type == "png":
        return strip_png(data)
    if file_type == "webp":
        return strip_webp(data)
    return data
