"""Highlighted, escaped snippets of search results, computed for one page of hits only.

Matching words are found the way the index matches them (accent-free French stems, see
:mod:`.text`) and wrapped in ``<mark>``; everything else is escaped, so a title holding HTML shows
as text.  Only the start of a long document (:data:`SOURCE_CHARS`) is scanned for a passage.
"""
from __future__ import annotations

import functools
import re
import unicodedata

from markupsafe import Markup, escape

from .text import stem

SOURCE_CHARS = 20_000
WIDTH = 240


class _FoldTable(dict):
    """``str.translate`` table folding each character to one accent-free lower-case character,
    so positions in the folded text are positions in the original."""

    def __missing__(self, code: int) -> int:
        char = chr(code).lower()
        base = unicodedata.normalize("NFKD", char)[:1] if char else ""
        folded = ord(base) if len(base) == 1 and len(char) == 1 else code
        self[code] = folded
        return folded


_FOLD = _FoldTable()
_WORD = re.compile(r"\w+")
_WORD_CHAR = re.compile(r"\w")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


class _FoldChars(dict):
    """One non-ASCII character (already lower case) -> its folded character, as :data:`_FOLD`."""

    def __missing__(self, char: str) -> str:
        folded = self[char] = chr(_FOLD[ord(char)])
        return folded


_FOLD_CHARS = _FoldChars()


def _fold(text: str) -> str:
    """``text`` folded as :data:`_FOLD` folds it, character for character.

    ``str.lower`` does most of it in C; only the few accented characters are then looked up
    (``str.translate`` looked up every character: a third of a snippet's time).  When lower
    case changes the length ("İ" is two characters in lower case) or the context (a Greek final
    sigma), the table does it all."""
    lowered = text.lower()
    if len(lowered) != len(text) or "Σ" in text:  # a final sigma depends on its neighbours
        return text.translate(_FOLD)
    if lowered.isascii():
        return lowered
    return _NON_ASCII.sub(lambda match: _FOLD_CHARS[match.group()], lowered)


@functools.lru_cache(maxsize=256)
def _prefixes(stems: frozenset[str]) -> tuple[str, ...]:
    """The starts of the words that may have one of ``stems`` as their indexed form, worked out
    once per query (a page of results highlights some forty titles and passages with the same
    words).

    A word's stem is almost always a prefix of the word without accents ("reunion" of
    "réunions"); one letter less also catches "cheval" / "chevaux".  Only candidates are stemmed.
    """
    return tuple(sorted({s[:max(3, len(s) - 1)] for s in stems}, key=len, reverse=True))


def _hits(text: str, stems: set[str]) -> list[tuple[int, int]]:
    """(start, end) of every word of ``text`` whose indexed form is one of ``stems``.

    Candidates are the words starting with one of :func:`_prefixes`, found with ``str.find``
    (the regular expression ``\\b(?:prefix|...)\\w*`` tried a word boundary at every character,
    twice slower): an occurrence counts where a word starts, and the candidate runs to the end
    of that word."""
    if not stems or not text:
        return []
    folded = _fold(text)
    starts = set()
    for prefix in _prefixes(frozenset(stems)):
        at = folded.find(prefix)
        while at >= 0:
            if at == 0 or not _WORD_CHAR.match(folded, at - 1):
                starts.add(at)
            at = folded.find(prefix, at + 1)
    found = []
    for start in sorted(starts):
        end = _WORD.match(folded, start).end()
        if stem(text[start:end]) in stems:
            found.append((start, end))
    return found


# Where a mark opens and closes while the text is escaped (control characters: search text is
# cleaned of them, and a text holding one takes the slower path).
_OPEN, _CLOSE = "\x00", "\x01"


def _marked(text: str, hits: list[tuple[int, int]], offset: int = 0) -> Markup:
    """``text`` escaped, the ``hits`` wrapped in ``<mark>``.

    The pieces are joined with a control character where each mark opens and closes, the whole
    escaped once, then the marks written in: one ``escape`` per text instead of two per mark
    (a page of results marks some forty titles and passages)."""
    out, cursor = [], 0
    for start, end in hits:
        start, end = start - offset, end - offset
        if start < cursor or start < 0 or end > len(text):
            continue
        out += (text[cursor:start], _OPEN, text[start:end], _CLOSE)
        cursor = end
    if not out:
        return escape(text)
    if _OPEN in text or _CLOSE in text:
        return _marked_piecewise(text, out + [text[cursor:]])
    out.append(text[cursor:])
    # str.replace, not Markup.replace (which would escape "<mark>")
    escaped = str.replace(escape("".join(out)), _OPEN, "<mark>")
    return Markup(str.replace(escaped, _CLOSE, "</mark>"))


def _marked_piecewise(text: str, pieces: list[str]) -> Markup:
    """:func:`_marked` for a text holding one of its control characters: each piece escaped."""
    out = []
    for n in range(0, len(pieces) - 1, 4):
        plain_text, _o, word, _c = pieces[n:n + 4]
        out += (escape(plain_text), "<mark>", escape(word), "</mark>")
    out.append(escape(pieces[-1]))
    return Markup("".join(out))


def highlight(text: str, stems: set[str]) -> Markup:
    """The whole ``text`` (a title), escaped, its matching words marked."""
    return _marked(text or "", _hits(text or "", stems))


# How much of a text :func:`snippet` reads at a time while it looks for the first matching word.
PIECE_CHARS = 2_000


def _pieces(source: str):
    """``source`` in pieces of about :data:`PIECE_CHARS`, each cut after a space or a line
    break (so no word is cut), each with its whitespace normalised as ``" ".join(s.split())``:
    joined with one space, the non-empty pieces are the whole text normalised.  A stretch
    without a space or line break is not cut."""
    begin, size = 0, len(source)
    while begin < size:
        end = begin + PIECE_CHARS
        if end < size:
            cut = max(source.rfind(" ", begin, end), source.rfind("\n", begin, end))
            end = cut + 1 if cut > begin else size
        piece = " ".join(source[begin:end].split())
        if piece:
            yield piece
        begin = end


def snippet(text: str, stems: set[str], width: int = WIDTH) -> Markup:
    """A passage of ``text`` around the first matching word (or its start), escaped and marked.

    The text is read a piece at a time (:func:`_pieces`) until the first matching word and a
    passage's width after it are in hand: the minutes of a long meeting (up to
    :data:`SOURCE_CHARS`) cost what a short note does when the word comes early, instead of
    folding, searching and stemming all twenty thousand characters for each hit of the page
    (0.7 ms each).  Where no word matches (the title did), the whole source is read, as before.
    """
    read: list[str] = []
    length = 0  # of " ".join(read)
    first = None
    whole = True
    pieces = _pieces((text or "")[:SOURCE_CHARS])
    for piece in pieces:
        at = length + 1 if read else 0
        read.append(piece)
        length = at + len(piece)
        if first is None:
            found = _hits(piece, stems)
            if found:
                first = (at + found[0][0], at + found[0][1])
        if first is not None and length >= first[0] + width:
            # The passage is in hand; whether text follows decides the closing ellipsis.
            whole = next(pieces, None) is None
            break
    text = " ".join(read)
    if not text:
        return Markup("")
    start = max(0, first[0] - width // 3) if first else 0
    if start:
        space = text.rfind(" ", 0, start)
        start = space + 1 if space >= 0 and start - space < 30 else start
    end = min(len(text), start + width)
    more = end < len(text) or not whole
    if more:
        space = text.rfind(" ", start, end)
        end = space if space > start + width // 2 else end
    body = _marked(text[start:end], _hits_within(text, start, end, stems), offset=start)
    # Joined as text, made markup once: the ellipses need no escaping, ``body`` is markup.
    return Markup("".join(("… " if start else "", body, " …" if more else "")))


def _hits_within(text: str, start: int, end: int, stems: set[str]) -> list[tuple[int, int]]:
    """The matching words lying wholly in ``text[start:end]``, positions in ``text``: a word
    the passage's edges cut is not one (as if the whole text had been searched)."""
    found = []
    for s, e in _hits(text[start:end], stems):
        if s == 0 and start and _WORD_CHAR.match(text, start - 1):
            continue  # the end of a word that starts before the passage
        if start + e == end and end < len(text) and _WORD_CHAR.match(text, end):
            continue  # the start of a word that ends after it
        found.append((start + s, start + e))
    return found


def plain(markup: Markup) -> str:
    """The text of a snippet without its marks (for the JSON API's ``snippet``)."""
    return Markup(markup).striptags()
