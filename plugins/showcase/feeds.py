"""Atom 1.0 feeds of the window (feedgen), from :mod:`.public` only.

Ids are stable: the feed's is a ``tag:`` URI made of the site's host and the path, an entry's
the item's ``urn:uuid`` (kept across republishing, so a reader updates the entry rather than
showing it twice)."""
from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

import placette
from feedgen.feed import FeedGenerator

from . import public
from .exports import base_url


def _aware(value: dt.datetime) -> dt.datetime:
    return value.replace(tzinfo=dt.timezone.utc) if value.tzinfo is None else value


def atom(space: public.PublicSpace | None, language: str) -> tuple[bytes, dt.datetime | None]:
    items = public.items(space.slug if space else None, newest=True, limit=50,
                         with_files=False)  # entries carry no files
    base = base_url()
    host = urlsplit(base).hostname or "localhost"
    city = placette.current_config().city
    path = f"/vitrine/{space.slug}/" if space else "/vitrine/"
    fg = FeedGenerator()
    fg.id(f"tag:{host},2026:{path}")
    fg.title(f"{space.name} -- {city}" if space else city)
    fg.subtitle(placette._("What the councils choose to show the city"))
    fg.author({"name": space.name if space else city})
    fg.link(href=base + path, rel="alternate", type="text/html")
    fg.link(href=base + path + "feed.atom", rel="self", type="application/atom+xml")
    fg.language(language)
    newest = max((i.updated_at for i in items), default=None)
    fg.updated(_aware(newest) if newest else dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc))
    for item in reversed(items):  # feedgen puts the last added first
        entry = fg.add_entry()
        entry.id(item.atom_id)
        entry.title(item.title)
        entry.updated(_aware(item.updated_at))
        entry.published(_aware(item.published_at))
        entry.author({"name": item.space_name})
        entry.link(href=base + item.path, rel="alternate", type="text/html")
        entry.category(term=item.category)
        summary = item.introduction or item.summary
        if summary:
            entry.summary(summary)
        if item.body_html:
            entry.content(item.body_html, type="html")
    return fg.atom_str(pretty=False), newest
