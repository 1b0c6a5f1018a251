"""User-written text to safe HTML: Markdown (CommonMark) rendered, then sanitised by nh3.

Raw HTML in the source is not rendered (it shows as text); links get ``rel="nofollow noopener"``.
Plugins call :func:`render_markdown` for descriptions, minutes, comments.
"""
from __future__ import annotations

import html as html_lib

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}) \
    .enable("table").enable("strikethrough")

ALLOWED_TAGS = {"p", "br", "strong", "em", "del", "s", "ul", "ol", "li", "blockquote", "code",
                "pre", "h2", "h3", "h4", "h5", "h6", "a", "hr", "table", "thead", "tbody", "tr",
                "th", "td"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}


def render_markdown(text: str | None) -> Markup:
    if not text:
        return Markup("")
    html = _md.render(text)
    # Headings start at h2: the page title is the only h1 (accessibility: one h1 per page).
    for level in (5, 4, 3, 2, 1):
        html = html.replace(f"<h{level}>", f"<h{level + 1}>").replace(f"</h{level}>",
                                                                     f"</h{level + 1}>")
    clean = nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                      url_schemes={"http", "https", "mailto", "tel"},
                      link_rel="nofollow noopener noreferrer")
    return Markup(clean)


def plain_text(text: str | None, limit: int | None = None) -> str:
    """Strip every tag (for summaries, e-mails' text part, search)."""
    cleaned = html_lib.unescape(nh3.clean(_md.render(text or ""), tags=set())).strip()
    cleaned = " ".join(cleaned.split())
    if limit and len(cleaned) > limit:
        cleaned = cleaned[: limit - 1].rstrip() + "…"
    return cleaned
