"""Short links (``/sms/l/<token>``): a text carries one address of ~40 characters instead of a
page's full path, so the words keep to one segment."""
from __future__ import annotations

import secrets
from urllib.parse import urlsplit

import placette

from .models import Link


def short(url: str) -> str:
    """An absolute short URL leading to ``url`` (a path or an absolute URL of this site)."""
    base = placette.current_config().base_url.rstrip("/")
    parts = urlsplit(url)
    path = url[len(base):] if url.startswith(base) else (
        url if not parts.scheme else parts.path + (f"?{parts.query}" if parts.query else ""))
    link = Link.get_or_none(Link.url == path)
    if link is None:
        link = Link.create(token=secrets.token_urlsafe(6), url=path[:1000])
    return f"{base}/sms/l/{link.token}"


def target(token: str) -> str | None:
    link = Link.get_or_none(Link.token == token)
    return link.url if link is not None else None
