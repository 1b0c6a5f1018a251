"""The text machinery of a draft, with no database: paragraphs and their ids, the three-way
merge of two saves, the word-level diff, and re-anchoring a comment after an edit.

Why ids: a paragraph keeps its id across versions while its text is recognisably the same, so
comments, ratings and amendments hang on the paragraph, not on its position -- a reorder or a
light edit moves nothing.  The merge works on those ids (``merge3`` orders them, the texts are
merged id by id), so only a paragraph both sides changed is a conflict; the diff and the fuzzy
re-anchoring use ``diff-match-patch``.  Both are well-kept libraries (see docs/drafting.md).

What a paragraph is: the text cut on blank lines, except a blank line *inside* a Markdown block
-- a fenced or indented code block, a list whose items are apart, a block quote, a table --
which stays one paragraph.  The blocks are read by ``markdown-it-py``, the parser that renders
the text (``placette.render_markdown``), with the same rules, so a paragraph renders alone as
it renders in the whole text.
"""
from __future__ import annotations

import difflib
import re
import secrets
from collections import Counter
from dataclasses import dataclass, field

import merge3
from diff_match_patch import diff_match_patch
from markdown_it import MarkdownIt

#: A paragraph whose words are at least this similar to an old one keeps its id.
SAME_PARAGRAPH = 0.5
#: A lightly changed quote is still "its passage" at this similarity (0..1), else outdated.
MIN_MATCH_SCORE = 0.6
#: Quotes shorter than this only move to another paragraph when their context matches too.
SHORT_QUOTE = 30
#: Characters of a quote's context that must be found around it again for it to move.
CONTEXT_FIT = 8
CONTEXT = 32  # characters of prefix and suffix kept around a quote

_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_TOKEN = re.compile(r"\w+|\s+|[^\w\s]", re.UNICODE)


@dataclass
class Paragraph:
    id: str
    text: str

    def as_dict(self) -> dict:
        return {"id": self.id, "text": self.text}


# The rules placette.render_markdown renders with (core/markup.py): CommonMark, tables,
# strikethrough, raw HTML off.  Only the block structure is read here, so the inline pass
# (emphasis, links: 95 % of the parse, 10 ms for a 60-paragraph text) is switched off -- the
# blocks are found before it and do not depend on it.
_blocks = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}) \
    .enable("table").enable("strikethrough").disable("inline")


def _kept_blank_lines(lines: list[str], body: str) -> set[int]:
    """The blank lines inside a top-level Markdown block (between its first and its last
    non-blank line): a paragraph is never cut there."""
    kept: set[int] = set()
    for token in _blocks.parse(body):
        if token.level != 0 or token.nesting < 0 or not token.map:
            continue
        start, end = token.map
        last = end - 1
        while last > start and not lines[last].strip(" \t"):
            last -= 1
        kept.update(n for n in range(start + 1, last) if not lines[n].strip(" \t"))
    return kept


def split(body: str) -> list[str]:
    """A Markdown body's paragraphs, trimmed, none empty: the text cut on its blank lines,
    save those inside a Markdown block (a fenced code block, a list whose items are apart, a
    block quote, a table stay one paragraph).  Nothing is dropped: the paragraphs joined again
    (:func:`join`) are the text, blank-line runs aside."""
    body = (body or "").replace("\r\n", "\n").replace("\r", "\n")
    if not body.strip():
        return []
    lines = body.split("\n")
    kept = _kept_blank_lines(lines, body) if _BLANK_LINE.search(body) else set()
    out: list[str] = []
    block: list[str] = []
    for n, line in enumerate(lines):
        if not line.strip(" \t") and n not in kept:
            if block:
                out.append(block)
                block = []
            continue
        block.append(line)
    if block:
        out.append(block)
    return [text for text in ("\n".join(b).strip("\n").rstrip() for b in out) if text.strip()]


def is_one_paragraph(text: str) -> bool:
    """``text`` makes exactly one paragraph (an amendment rewrites one)."""
    return len(split(text)) == 1


def join(paragraphs) -> str:
    return "\n\n".join(p.text if isinstance(p, Paragraph) else p for p in paragraphs)


def new_id(taken: set[str]) -> str:
    while True:
        pid = "p" + secrets.token_hex(4)
        if pid not in taken:
            taken.add(pid)
            return pid


_likeness = diff_match_patch()
_likeness.Diff_Timeout = 0.005   # per pair: a paragraph rewritten wholesale is simply unlike


def _encode_tokens(*texts: str) -> list[str]:
    """Each token (word, space run, punctuation) as one character, the same map for all."""
    index: dict[str, int] = {}
    out = []
    for text in texts:
        out.append("".join(chr(0xE000 + index.setdefault(t, len(index)) % 6400)
                           for t in _TOKEN.findall(text)))
    return out


def similarity(a: str, b: str) -> float:
    """Likeness of two paragraphs (0..1), token by token (words, spaces, punctuation: a short
    paragraph with one word added stays alike): one minus the token-level edit distance over
    the longer length.  A bag-of-tokens bound first, so unlike paragraphs cost next to
    nothing; diff-match-patch then trims the common start and end, so a touched paragraph is
    linear, and its timeout bounds a wholesale rewrite."""
    if a == b:
        return 1.0
    ea, eb = _encode_tokens(a, b)
    if not ea or not eb:
        return 0.0
    common = sum((Counter(ea) & Counter(eb)).values())
    if 2 * common / (len(ea) + len(eb)) < SAME_PARAGRAPH:
        return 0.0
    distance = _likeness.diff_levenshtein(_likeness.diff_main(ea, eb, False))
    return 1.0 - distance / max(len(ea), len(eb))


#: At most this many (old, new) pairs are compared for paragraphs that moved *and* changed;
#: beyond (the text was rewritten wholesale), the leftovers are new paragraphs.
MAX_PAIRS = 400


def assign_ids(old: list[Paragraph], texts: list[str], taken: set[str] | None = None
               ) -> list[Paragraph]:
    """Ids for the paragraphs ``texts`` of a new version written from ``old``.

    Unchanged runs keep their ids (difflib's alignment of the paragraphs), then a paragraph
    found word for word elsewhere (a move), then, where a run of paragraphs was replaced by
    another, each keeps the id of the one at the same place when at least
    :data:`SAME_PARAGRAPH` alike (an edit in place), then the most similar remaining one (an
    edit and a move); anything else is a new paragraph.  Linear in the usual edits; the
    all-pairs step is bounded by :data:`MAX_PAIRS`.
    """
    taken = set(taken or ()) | {p.id for p in old}
    ids: list[str | None] = [None] * len(texts)
    used: set[int] = set()
    matcher = difflib.SequenceMatcher(None, [p.text for p in old], texts, autojunk=False)
    opcodes = matcher.get_opcodes()
    for tag, i1, i2, j1, _j2 in opcodes:
        if tag == "equal":
            for k in range(i2 - i1):
                ids[j1 + k] = old[i1 + k].id
                used.add(i1 + k)
    by_text: dict[str, list[int]] = {}
    for i, p in enumerate(old):
        if i not in used:
            by_text.setdefault(p.text, []).append(i)
    for j, text in enumerate(texts):
        if ids[j] is None and by_text.get(text):
            i = by_text[text].pop(0)
            ids[j], _ = old[i].id, used.add(i)
    for tag, i1, i2, j1, j2 in opcodes:
        if tag != "replace":
            continue
        for i, j in zip(range(i1, i2), range(j1, j2)):
            if i not in used and ids[j] is None \
                    and similarity(old[i].text, texts[j]) >= SAME_PARAGRAPH:
                ids[j] = old[i].id
                used.add(i)
    for tag, i1, i2, j1, j2 in opcodes:
        if tag == "replace":
            _join_pieces(old, texts, ids, used, range(i1, i2), range(j1, j2))
    free_old = [i for i in range(len(old)) if i not in used]
    free_new = [j for j in range(len(texts)) if ids[j] is None]
    if free_old and free_new and len(free_old) * len(free_new) <= MAX_PAIRS:
        pairs = sorted(((similarity(old[i].text, texts[j]), -abs(i - j), i, j)
                        for i in free_old for j in free_new), reverse=True)
        for score, _distance, i, j in pairs:
            if score < SAME_PARAGRAPH:
                break
            if i in used or ids[j] is not None:
                continue
            ids[j] = old[i].id
            used.add(i)
    return [Paragraph(pid if pid is not None else new_id(taken), text)
            for pid, text in zip(ids, texts)]


def _join_pieces(old: list[Paragraph], texts: list[str], ids: list, used: set[int],
                 olds: range, news: range) -> None:
    """A new paragraph made of several old ones in a row, word for word (a code block, a list
    or a table that the former splitting cut at its blank lines, or two paragraphs joined),
    keeps the id of the first: its comments, ratings and amendments follow it, and the
    comments on the other pieces find their passage in it (:func:`reanchor`)."""
    for j in news:
        if ids[j] is not None:
            continue
        text, run, at = texts[j], [], 0
        for i in olds:
            found = text.find(old[i].text, at) if i not in used and old[i].text else -1
            if found >= 0:
                run.append(i)
                at = found + len(old[i].text)
            elif run:
                break
        if len(run) >= 2 and sum(len(old[i].text) for i in run) >= SAME_PARAGRAPH * len(text):
            ids[j] = old[run[0]].id
            used.update(run)


# --- three-way merge --------------------------------------------------------------------------

@dataclass
class Conflict:
    paragraph: str
    base: str | None
    current: str | None   # the text of the save that landed first (None: it deleted it)
    yours: str | None     # the text being saved (None: it deletes it)

    def as_dict(self) -> dict:
        return {"paragraph": self.paragraph, "base": self.base, "current": self.current,
                "yours": self.yours}


@dataclass
class Merged:
    paragraphs: list[Paragraph]
    conflicts: list[Conflict] = field(default_factory=list)
    merged: bool = False   # True when another save's changes were folded in


def merge(base: list[Paragraph], current: list[Paragraph], yours: list[Paragraph]) -> Merged:
    """Fold ``yours`` (written from ``base``) into ``current`` (saved since), paragraph by
    paragraph.  A paragraph changed on one side only takes that side; added paragraphs are
    kept from both; a paragraph changed differently on both sides, or deleted on one side and
    changed on the other, is a :class:`Conflict` (``yours`` is kept there, in the result, so
    the author can settle it from their own text)."""
    b = {p.id: p.text for p in base}
    c = {p.id: p.text for p in current}
    y = {p.id: p.text for p in yours}
    conflicts: list[Conflict] = []
    keep: set[str] = set()
    for pid in list(c) + [pid for pid in y if pid not in c] + [pid for pid in b if
                                                              pid not in c and pid not in y]:
        in_b, in_c, in_y = pid in b, pid in c, pid in y
        if not in_b:
            keep.add(pid)                  # new on one side (ids are never shared by chance)
        elif in_c and in_y:
            keep.add(pid)
            if c[pid] != b[pid] and y[pid] != b[pid] and c[pid] != y[pid]:
                conflicts.append(Conflict(pid, b[pid], c[pid], y[pid]))
        elif in_c and c[pid] != b[pid]:    # you deleted what they changed
            keep.add(pid)
            conflicts.append(Conflict(pid, b[pid], c[pid], None))
        elif in_y and y[pid] != b[pid]:    # they deleted what you changed
            keep.add(pid)
            conflicts.append(Conflict(pid, b[pid], None, y[pid]))
    order: list[str] = []
    m = merge3.Merge3([p.id for p in base], [p.id for p in current], [p.id for p in yours])
    for group in m.merge_groups():
        if group[0] == "conflict":
            _tag, g_base, g_cur, g_yours = group
            order += list(g_cur) + [pid for pid in g_yours if pid not in g_cur]
            order += [pid for pid in g_base if pid not in g_cur and pid not in g_yours]
        else:
            order += list(group[1])
    # Deleted-and-changed paragraphs missing from the order (merge3 dropped them): put them
    # after the paragraph that preceded them in the base.
    seen: set[str] = set()
    result: list[str] = []
    for pid in order:
        if pid in keep and pid not in seen:
            seen.add(pid)
            result.append(pid)
    for pid in [p.id for p in base]:
        if pid in keep and pid not in seen:
            before = [p.id for p in base][: [p.id for p in base].index(pid)]
            at = max((result.index(q) + 1 for q in before if q in seen), default=0)
            result.insert(at, pid)
            seen.add(pid)
    texts = {**b, **c, **{pid: text for pid, text in y.items()
                          if pid not in c or c[pid] == b.get(pid)}}
    for conflict in conflicts:
        texts[conflict.paragraph] = conflict.yours if conflict.yours is not None \
            else conflict.current
    return Merged([Paragraph(pid, texts[pid]) for pid in result], conflicts,
                  merged=[p.id for p in current] != [p.id for p in base]
                  or any(c[pid] != b.get(pid) for pid in c))


# --- diff -------------------------------------------------------------------------------------

_dmp = diff_match_patch()
_dmp.Diff_Timeout = 0.5


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """``[(op, text)]`` with op ``=``, ``-`` or ``+``: whole words inserted and deleted.

    Words are mapped to single characters (as diff-match-patch does for lines), diffed, mapped
    back, then ``diff_cleanupSemantic`` merges the small equalities that make a diff noisy."""
    tokens: list[str] = []
    index: dict[str, int] = {}

    def encode(text: str) -> str:
        out = []
        for token in _TOKEN.findall(text):
            if token not in index:
                index[token] = len(tokens)
                tokens.append(token)
            out.append(chr(0xE000 + index[token]) if index[token] < 6400
                       else chr(0xF0000 + index[token]))
        return "".join(out)

    def decode(chars: str) -> str:
        return "".join(tokens[(ord(ch) - 0xE000) if ord(ch) < 0xF0000 else
                              (ord(ch) - 0xF0000)] for ch in chars)

    diffs = _dmp.diff_main(encode(old), encode(new), False)
    diffs = [(op, decode(text)) for op, text in diffs]
    _dmp.diff_cleanupSemantic(diffs)
    symbol = {0: "=", -1: "-", 1: "+"}
    return [(symbol[op], text) for op, text in diffs if text]


def version_diff(old: list[Paragraph], new: list[Paragraph]) -> list[dict]:
    """Paragraph by paragraph, in the new order, then the paragraphs that went away:
    ``{"id", "status": same|changed|inserted|deleted, "ops": [[op, text], ...]}``."""
    before = {p.id: p.text for p in old}
    out = []
    for p in new:
        if p.id not in before:
            out.append({"id": p.id, "status": "inserted", "ops": [["+", p.text]]})
        elif before[p.id] == p.text:
            out.append({"id": p.id, "status": "same", "ops": [["=", p.text]]})
        else:
            out.append({"id": p.id, "status": "changed",
                        "ops": [list(op) for op in word_diff(before[p.id], p.text)]})
    now = {p.id for p in new}
    out += [{"id": p.id, "status": "deleted", "ops": [["-", p.text]]}
            for p in old if p.id not in now]
    return out


# --- anchors ----------------------------------------------------------------------------------

@dataclass
class Anchor:
    """Where a comment stands: ``paragraph`` (its original id), ``quote`` with ``prefix`` and
    ``suffix`` (empty quote: the whole paragraph), and where it was last found."""
    paragraph: str
    quote: str
    prefix: str
    suffix: str
    at_paragraph: str
    at_text: str
    at_start: int
    at_end: int
    state: str = "anchored"    # anchored | moved | changed | outdated


def make_anchor(paragraph: Paragraph, quote: str, near: int | None = None) -> Anchor | None:
    """An anchor on ``quote`` in ``paragraph`` (the occurrence nearest ``near``), or ``None``
    when the quote is not in the paragraph."""
    text = paragraph.text
    if not quote:
        return Anchor(paragraph.id, "", "", "", paragraph.id, text, 0, len(text))
    # A passage selected in the page reads line breaks as spaces: any run of white space in
    # the quote matches any run in the text, and the quote kept is the text's own.
    pattern = r"\s+".join(re.escape(word) for word in quote.split())
    spans = [(m.start(), m.end()) for m in re.finditer(pattern, text)]
    if not spans:
        return None
    start, end = min(spans, key=lambda s: abs(s[0] - near)) if near is not None else spans[0]
    quote = text[start:end]
    return Anchor(paragraph.id, quote, text[max(0, start - CONTEXT):start],
                  text[end:end + CONTEXT], paragraph.id, text, start, end)


def _score(a: str, b: str) -> float:
    if not a and not b:
        return 1.0
    distance = _dmp.diff_levenshtein(_dmp.diff_main(a, b, False))
    return 1.0 - distance / max(len(a), len(b))


def _context_fits(anchor: Anchor, text: str, start: int) -> bool:
    """At least :data:`CONTEXT_FIT` characters around the found quote are those that were
    around it (the end of its prefix, the start of its suffix)."""
    end = start + len(anchor.quote)
    before = text[max(0, start - len(anchor.prefix)):start]
    after = text[end:end + len(anchor.suffix)]
    same = 0
    for a, b in zip(reversed(before), reversed(anchor.prefix)):
        if a != b:
            break
        same += 1
    for a, b in zip(after, anchor.suffix):
        if a != b:
            break
        same += 1
    return same >= min(CONTEXT_FIT, len(anchor.prefix) + len(anchor.suffix)) and same > 0


def reanchor(anchor: Anchor, paragraphs: dict[str, str]) -> Anchor:
    """Find the anchor's passage in a new version (``{id: text}``, in order).

    Where its paragraph is still there, the old span is carried through a diff of the old and
    new text; an exact quote is "anchored", a lightly changed one (score at least
    :data:`MIN_MATCH_SCORE`) "text changed".  Elsewhere only the exact quote counts, and only
    when one place fits (a short quote must keep its context too): "moved".  Otherwise the
    comment is "outdated" and keeps its quote -- never moved to a look-alike."""
    a = anchor
    cur = paragraphs.get(a.at_paragraph)
    if a.state != "outdated" and cur is not None and cur == a.at_text:
        return a
    if not a.quote:
        if cur is None:
            return _whole_moved(a, paragraphs)
        state = "anchored" if a.at_paragraph == a.paragraph and cur == a.at_text else "changed"
        return Anchor(a.paragraph, "", "", "", a.at_paragraph, cur, 0, len(cur), state)
    if cur is not None:
        if a.state == "outdated":
            found = _find_exact(a, cur)
            if found is not None:
                return _at(a, a.at_paragraph, cur, found, "anchored")
        else:
            diffs = _dmp.diff_main(a.at_text, cur, False)
            start = _dmp.diff_xIndex(diffs, a.at_start)
            end = max(start, _dmp.diff_xIndex(diffs, a.at_end))
            span = cur[start:end]
            exact = _find_exact(a, cur, near=start)
            if exact is not None:
                same = a.at_paragraph == a.paragraph
                return _at(a, a.at_paragraph, cur, exact, "anchored" if same else "moved")
            if span.strip() and _score(a.quote, span) >= MIN_MATCH_SCORE:
                return Anchor(a.paragraph, a.quote, a.prefix, a.suffix, a.at_paragraph, cur,
                              start, end, "changed")
    fits = []
    for pid, text in paragraphs.items():
        if pid == a.at_paragraph and cur is not None:
            continue
        for m in re.finditer(re.escape(a.quote), text):
            fits.append((pid, text, m.start(), _context_fits(a, text, m.start())))
    with_context = [f for f in fits if f[3]]
    chosen = None
    if len(with_context) == 1:
        chosen = with_context[0]
    elif len(fits) == 1 and len(a.quote) >= SHORT_QUOTE:
        chosen = fits[0]
    if chosen is None:
        return _outdated(a)
    pid, text, start, _ctx = chosen
    return _at(a, pid, text, start, "anchored" if pid == a.paragraph else "moved")


def _whole_moved(a: Anchor, paragraphs: dict[str, str]) -> Anchor:
    """A comment on a whole paragraph that went away: where that paragraph's text is now part
    of one other paragraph (joined to its neighbours), the comment follows it ("moved");
    otherwise it is outdated."""
    if a.at_text.strip():
        found = [(pid, text, text.find(a.at_text)) for pid, text in paragraphs.items()
                 if a.at_text in text]
        if len(found) == 1:
            pid, text, start = found[0]
            return Anchor(a.paragraph, "", "", "", pid, text, start, start + len(a.at_text),
                          "moved")
    return _outdated(a)


def _find_exact(a: Anchor, text: str, near: int | None = None) -> int | None:
    starts = [m.start() for m in re.finditer(re.escape(a.quote), text)]
    if not starts:
        return None
    if len(starts) > 1:
        fitting = [s for s in starts if _context_fits(a, text, s)]
        starts = fitting or starts
    return min(starts, key=lambda s: abs(s - (near if near is not None else a.at_start)))


def _at(a: Anchor, pid: str, text: str, start: int, state: str) -> Anchor:
    return Anchor(a.paragraph, a.quote, a.prefix, a.suffix, pid, text, start,
                  start + len(a.quote), state)


def _outdated(a: Anchor) -> Anchor:
    return Anchor(a.paragraph, a.quote, a.prefix, a.suffix, a.at_paragraph, a.at_text,
                  a.at_start, a.at_end, "outdated")
