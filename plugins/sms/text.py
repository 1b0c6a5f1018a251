"""Text building that counts what the phone network counts (GSM 03.38).

A text in the GSM-7 alphabet holds 160 characters (153 per segment when split); one character
outside it (ê, â, î, ô, û, œ, the curly apostrophe ’...) switches the *whole* text to UCS-2:
70 characters (67 per segment), so the same words cost two or three times more.  When the
space allows it, :func:`normalise` writes those letters plainly (ê -> e, œ -> oe, ’ -> ')
instead -- é, è, à, ù stay, they are GSM-7 -- and never drops a letter: what it cannot write in
GSM-7 stays as it is and the text goes out in UCS-2, accents intact.
"""
from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass

# GSM 03.38 basic table (one septet each) and extension table (escape + one septet).
GSM_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà")
GSM_EXTENDED = set("^{}\\[~]|€\f")

# What the normalisation writes instead of a letter outside GSM-7.
PLAIN = {
    "œ": "oe", "Œ": "OE", "æ": "ae", "’": "'", "‘": "'", "‚": ",", "“": '"', "”": '"',
    "«": '"', "»": '"', "„": '"', "…": "...", "–": "-", "—": "-", "‑": "-", "\u00a0": " ",
    "\u202f": " ", "\u2009": " ", "ç": "c", "•": "-",
}

SINGLE = {"GSM-7": 160, "UCS-2": 70}
PART = {"GSM-7": 153, "UCS-2": 67}


def is_gsm(text: str) -> bool:
    return all(c in GSM_BASIC or c in GSM_EXTENDED for c in text)


def normalise(text: str) -> str:
    """The same words in GSM-7 where a plain letter exists (ê -> e, Ô -> O, œ -> oe)."""
    out = []
    for char in text:
        if char in GSM_BASIC or char in GSM_EXTENDED:
            out.append(char)
        elif char in PLAIN:
            out.append(PLAIN[char])
        else:
            base = unicodedata.normalize("NFKD", char)
            stripped = "".join(c for c in base if not unicodedata.combining(c))
            out.append(stripped if stripped and is_gsm(stripped) else char)
    return "".join(out)


@dataclass(frozen=True)
class Count:
    encoding: str  # GSM-7 | UCS-2
    units: int  # septets (GSM-7, extension characters count two) or UTF-16 code units
    segments: int


def count(text: str) -> Count:
    """Encoding and number of segments the network will bill."""
    if is_gsm(text):
        encoding, units = "GSM-7", sum(2 if c in GSM_EXTENDED else 1 for c in text)
    else:
        encoding, units = "UCS-2", len(text.encode("utf-16-le")) // 2
    if units <= SINGLE[encoding]:
        return Count(encoding, units, 1)
    return Count(encoding, units, math.ceil(units / PART[encoding]))


def fit(parts: list[str], flexible: int, plain: bool) -> str:
    """Join ``parts`` with spaces, shortening ``parts[flexible]`` (a title) with "..." until the
    text fits one segment, when the other words allow; ``plain`` normalises first."""
    parts = [normalise(p) if plain else p for p in parts]
    text = " ".join(p for p in parts if p)
    if count(text).segments == 1:
        return text
    title = parts[flexible]
    encoding = count(text).encoding
    over = count(text).units - SINGLE[encoding]
    keep = len(title) - over - 3
    if keep >= 12:  # a title cut shorter than that says nothing: two segments then
        parts[flexible] = title[:keep].rstrip() + "..."
        shorter = " ".join(p for p in parts if p)
        if count(shorter).segments == 1:
            return shorter
    return text
