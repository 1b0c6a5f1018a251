"""The embed for the city's main website, and oEmbed for items.

``/vitrine/embed/<space>`` is a small standalone HTML page (no script, inline style) that a CMS
includes server-side or frames; only the origins of the ``frame_ancestors`` setting may frame
it (this route's own Content-Security-Policy; the rest of the site stays unframeable).
``/oembed?url=`` describes a shown item of this site; anything else is a 404."""
from __future__ import annotations

import re
from urllib.parse import urlsplit

import placette

from flask import abort, current_app, jsonify, render_template, request

from .. import public
from ..exports import base_url
from ..settings import instance_settings
from . import oembed_bp, public_bp

_ITEM_PATH = re.compile(r"^/vitrine/(?P<space>[^/]+)/(?P<item>[0-9]{1,18})$")


def frame_policy() -> str:
    allowed = " ".join(["'self'", *instance_settings().frame_ancestors])
    return ("default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; "
            f"frame-ancestors {allowed}; base-uri 'none'; form-action 'none'")


@public_bp.route("/embed/<space>")
def embed(space):
    found = public.space_named(space)
    if found is None:
        abort(404)
    items = public.items(found.slug, with_files=False)  # the embed shows no files
    only = request.args.get("item", type=int)
    if only is not None:
        items = [i for i in items if i.id == only]
        if not items:
            abort(404)
    response = current_app.make_response(render_template(
        "showcase/embed.html", council=found, items=items, base=base_url()))
    response.headers["Content-Security-Policy"] = frame_policy()
    return response


@oembed_bp.route("/oembed")
def oembed():
    url = request.args.get("url", "")
    fmt = request.args.get("format", "json")
    if fmt != "json":
        abort(501)  # oEmbed: a format the provider does not offer
    parts = urlsplit(url)
    ours = urlsplit(base_url())
    match = _ITEM_PATH.match(parts.path or "")
    if (parts.scheme not in ("http", "https") or parts.netloc != ours.netloc or match is None):
        abort(404)
    item = public.one(match.group("space"), int(match.group("item")))
    if not isinstance(item, public.PublicItem):
        abort(404)
    width = min(request.args.get("maxwidth", 600, type=int) or 600, 1200)
    height = min(request.args.get("maxheight", 400, type=int) or 400, 1200)
    src = f"{base_url()}/vitrine/embed/{item.space_slug}?item={item.id}"
    title = item.title.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
    return jsonify({
        "version": "1.0", "type": "rich", "title": item.title,
        "provider_name": placette.current_config().city,
        "provider_url": base_url() + "/vitrine/", "author_name": item.space_name,
        "author_url": f"{base_url()}/vitrine/{item.space_slug}/",
        "width": width, "height": height,
        "html": (f'<iframe src="{src}" title="{title}" width="{width}" height="{height}" '
                 f'loading="lazy" style="border:0"></iframe>')})
