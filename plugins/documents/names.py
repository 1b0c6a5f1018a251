"""Clean the names people's devices send, so a name can never reach the file system or a header
as anything but text.

Stored files are named by random keys (see :mod:`.storage`); the cleaned name is only shown and
used in ``Content-Disposition``.  Cleaning keeps what a person recognises (accents, spaces) and
drops what they never meant: folders (``../``), control and invisible characters, characters
that some systems forbid, leading dots.
"""
from __future__ import annotations

import re
import unicodedata
from pathlib import PurePath

MAX_NAME = 150
_FORBIDDEN = re.compile(r'[<>:"/\\|?*]')
_SPACES = re.compile(r"\s+")


def clean_filename(raw: str | None) -> str:
    """The last path component of ``raw``, without control characters; ``""`` if nothing is left."""
    text = unicodedata.normalize("NFC", raw or "")
    text = text.replace("\\", "/").split("/")[-1]
    text = "".join(c for c in text if unicodedata.category(c) not in ("Cc", "Cf", "Cs", "Co",
                                                                        "Cn"))
    text = _FORBIDDEN.sub("_", text)
    text = _SPACES.sub(" ", text).strip().lstrip(".").strip()
    if len(text) > MAX_NAME:
        path = PurePath(text)
        suffix = path.suffix[:16]
        text = path.stem[:MAX_NAME - len(suffix)].rstrip() + suffix
    stem = PurePath(text).stem if text else ""
    return text if stem.strip(" ._") else ""


def title_from_filename(name: str) -> str:
    """A readable default title: the name without its extension, underscores as spaces."""
    stem = PurePath(name).stem if "." in name else name
    return _SPACES.sub(" ", stem.replace("_", " ")).strip()[:300] or name


def clean_tags(raw: str | list[str] | None) -> list[str]:
    """Tags from "a, b, c" or a list: lower-cased, trimmed, unique, at most 20 of 50 chars."""
    items = raw.split(",") if isinstance(raw, str) else list(raw or [])
    seen: list[str] = []
    for item in items:
        tag = _SPACES.sub(" ", "".join(c for c in str(item) if unicodedata.category(c)[0] != "C"))
        tag = tag.strip().lower()[:50]
        if tag and tag not in seen:
            seen.append(tag)
    return seen[:20]
