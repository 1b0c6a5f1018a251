"""User-written text to safe HTML: Markdown (CommonMark) rendered, then sanitised by nh3.

Raw HTML in the source is not rendered (it shows as text); links get ``rel="nofollow noopener"``.
Plugins call :func:`render_markdown` for descriptions, minutes, comments, and
:func:`plain_text` for summaries (``summary`` filter in templates).

Both are pure functions of the source text, so short texts are memoised: a list of sixty
council descriptions (the public front page) costs a dictionary lookup per card instead of a
Markdown parse and a sanitiser pass (about 0.2 ms each).  Nothing can go stale -- the key *is*
the text -- and long texts (minutes, page bodies over :data:`MEMO_MAX_CHARS`) are not kept.
"""
from __future__ import annotations

import html as html_lib
from functools import lru_cache

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}) \
    .enable("table").enable("strikethrough")

ALLOWED_TAGS = {"p", "br", "strong", "em", "del", "s", "ul", "ol", "li", "blockquote", "code",
                "pre", "h2", "h3", "h4", "h5", "h6", "a", "hr", "table", "thead", "tbody", "tr",
                "th", "td"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}


# Texts up to this length are memoised; 2,048 of them hold a few megabytes at most.
MEMO_MAX_CHARS = 4096
MEMO_ENTRIES = 2048


def render_markdown(text: str | None) -> Markup:
    """Markdown source to sanitised HTML (memoised for short texts)."""
    if not text:
        return Markup("")
    if len(text) <= MEMO_MAX_CHARS:
        return _render_memo(text)
    return _render(text)


def _render(text: str) -> Markup:
    html = _md.render(text)
    # Headings start at h2: the page title is the only h1 (accessibility: one h1 per page).
    for level in (5, 4, 3, 2, 1):
        html = html.replace(f"<h{level}>", f"<h{level + 1}>").replace(f"</h{level}>",
                                                                     f"</h{level + 1}>")
    clean = nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                      url_schemes={"http", "https", "mailto", "tel"},
                      link_rel="nofollow noopener noreferrer")
    return Markup(clean)


_render_memo = lru_cache(maxsize=MEMO_ENTRIES)(_render)


def plain_text(text: str | None, limit: int | None = None) -> str:
    """Strip every tag (for summaries, e-mails' text part, search), memoised for short texts."""
    if not text:
        return ""
    if len(text) <= MEMO_MAX_CHARS:
        return _plain_memo(text, limit)
    return _plain(text, limit)


def summary(text: str | None, limit: int = 140) -> str:
    """``text|summary(140)`` in templates: the first ``limit`` characters of the plain text."""
    return plain_text(text, limit)


def _plain(text: str, limit: int | None) -> str:
    cleaned = html_lib.unescape(nh3.clean(_md.render(text or ""), tags=set())).strip()
    cleaned = " ".join(cleaned.split())
    if limit and len(cleaned) > limit:
        cleaned = cleaned[: limit - 1].rstrip() + "…"
    return cleaned


_plain_memo = lru_cache(maxsize=MEMO_ENTRIES)(_plain)
