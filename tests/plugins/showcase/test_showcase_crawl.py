"""The anonymous crawl of the whole public window of the demo city -- every page, feed, export,
embed, oEmbed answer and file -- never reaches the title of a resource that is not in the window,
nor names a space that shows nothing."""
from __future__ import annotations

import html
import re
from urllib.parse import urljoin, urlsplit

import pytest

import placette


@pytest.fixture
def placette_plugins():
    return ["agenda", "discussions", "documents", "pages", "voting", "showcase"]


@pytest.fixture
def placette_language():
    return "fr"


LINK = re.compile(r'(?:href|src)="([^"]+)"')


def crawl(client, start: list[str], limit: int = 400) -> dict[str, tuple[int, str]]:
    seen: dict[str, tuple[int, str]] = {}
    queue = list(start)
    while queue and len(seen) < limit:
        path = queue.pop(0)
        if path in seen:
            continue
        response = client.get(path)
        text = response.get_data(as_text=True) if response.mimetype.startswith(
            ("text/", "application/")) else ""
        seen[path] = (response.status_code, text)
        for found in LINK.findall(text) + re.findall(r"<(?:id|link)[^>]*href=\"([^\"]+)\"", text):
            url = urlsplit(urljoin("http://localhost" + path, html.unescape(found)))
            if url.netloc not in ("localhost", "") or not url.path.startswith(
                    ("/vitrine", "/oembed")):
                continue
            target = url.path + (f"?{url.query}" if url.query else "")
            if target not in seen:
                queue.append(target)
    return seen


def test_the_anonymous_crawl_reaches_only_what_is_shown(app, client, demo_city):
    from placette_plugins.showcase.models import File, Item
    shown = list(Item.select().where(Item.state == "shown"))
    assert len({i.space_id for i in shown}) >= 3  # several councils
    group = demo_city.spaces["avis-budget"]
    assert any(i.space_id == group.id for i in shown)  # the group's text, on purpose
    in_window = {i.resource_key for i in shown}
    # A gallery's photos are shown under their captions (their documents' titles).
    shown_titles = {i.title for i in shown} | {f.caption for f in File.select().where(
        File.item.in_([i.id for i in shown]) & (File.caption != ""))}
    assert any(i.category == "gallery" for i in shown)
    anonymous = app.login_manager.anonymous_user()
    # Titles of resources an anonymous visitor may not read and that are not in the window
    # (public ones, such as the city's legal notice in every footer, may appear anywhere).
    private = {r.title for r in placette.Resource.select()
               if f"{r.plugin}.{r.kind}:{r.object_id}" not in in_window
               and not placette.can_read(anonymous, r.space, r.visibility)
               and r.title not in shown_titles and len(r.title) >= 8}
    assert len(private) > 20
    # ...and the text of private pages, meetings and documents (a sentence of each).
    from placette_plugins.pages.models import Page
    shown_text = " ".join(" ".join(html.unescape(re.sub(r"<[^>]+>", " ", i.body_html)).split())
                          + " " + i.summary for i in shown)
    texts = set()
    for r in placette.Resource.select():
        if f"{r.plugin}.{r.kind}:{r.object_id}" in in_window or placette.can_read(
                anonymous, r.space, r.visibility):
            continue
        body = r.summary
        if r.plugin == "pages":
            body = Page.get_by_id(int(r.object_id)).body
        sentence = " ".join(placette.plain_text(body or "").split())[:60]
        if len(sentence) >= 30 and sentence not in shown_text:
            texts.add(sentence)
    assert len(texts) > 10
    silent_spaces = {s.name for s in placette.Space.select()
                     if s.id not in {i.space_id for i in shown} and s.visibility != "public"}
    start = ["/vitrine/", "/vitrine/feed.atom", "/vitrine/data/", "/vitrine/data/catalog.jsonld",
             *(f"/vitrine/data/{d}.{ext}" for d in placette.SHOWCASE_DATASETS
               for ext in ("csv", "json", "schema.json"))]
    start += [f"/vitrine/embed/{s.slug}" for s in placette.Space.select()
              if s.id in {i.space_id for i in shown}]
    start += [f"/oembed?url=http://localhost/vitrine/{i.space.slug}/{i.id}" for i in shown]
    pages = crawl(client, start)
    assert len(pages) > 25
    assert all(status in (200, 304) for status, _text in pages.values()), {
        p: s for p, (s, _t) in pages.items() if s not in (200, 304)}
    everything = "\n".join(html.unescape(text) for _status, text in pages.values())
    leaked = sorted(t for t in private if t in everything)
    assert not leaked, leaked[:10]
    flat = " ".join(everything.split())
    leaked_text = sorted(t for t in texts if t in flat)
    assert not leaked_text, leaked_text[:10]
    named = sorted(n for n in silent_spaces if n in everything)
    assert not named, named
    for item in shown[:3]:
        assert item.title in everything
