"""The public pages: the city's window, a council's window, an item, its files, the view counter.

Everything here reads :mod:`..public` only, and is the same for everyone (so the anonymous page
cache keeps it).  Views are counted by a 1-pixel image each item page loads: the page itself may
come from the cache, the image never does (``no-store``); no cookie, no address is kept.
"""
from __future__ import annotations

import base64

import placette
from flask import abort, current_app, render_template, send_file

from .. import maps, public, stats, store
from . import public_bp

INLINE_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp"})
_PIXEL = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")


def gone():
    return render_template("showcase/gone.html"), 410


@public_bp.route("/")
def index():
    spaces = public.spaces()
    # "12 items" beside each of a hundred councils: translated once per distinct number
    counts = {n: placette.ngettext("%(num)s item", "%(num)s items", n)
              for n in {s.items for s in spaces}}
    return render_template(
        "showcase/index.html", spaces=spaces, map=maps.svg_map(spaces),
        councils=maps.council_list(spaces, counts, placette._("on the map")),
        # cards show no files
        upcoming=public.upcoming(5, with_files=False),
        decisions=public.items(categories=("results", "opinion"), limit=6, with_files=False),
        latest=public.items(limit=10, with_files=False))


@public_bp.route("/<space>/")
def council(space):
    found = public.space_named(space)
    if found is None:
        abort(404)
    return render_template("showcase/council.html", council=found,
                           items=public.items(found.slug, with_files=False))  # cards


@public_bp.route("/<space>/<int:item_id>")
def item(space, item_id):
    found = public.one(space, item_id)
    if found == "gone":
        return gone()
    if found is None:
        abort(404)
    return render_template("showcase/item.html", item=found)


@public_bp.route("/<space>/<int:item_id>/files/<int:file_id>")
def file(space, item_id, file_id):
    found = public.file_of(space, item_id, file_id)
    if found == "gone":
        return gone()
    if found is None:
        abort(404)
    meta, key = found
    path = store.path_of(key)
    if not path.exists():
        abort(404)
    # Only raster images are shown in the page; anything else (an SVG, HTML...) is a download,
    # so a copied file can never run as a page of this site.
    response = send_file(path, mimetype=meta.content_type, download_name=meta.name,
                         as_attachment=meta.content_type not in INLINE_TYPES, conditional=True)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@public_bp.route("/seen/<int:item_id>.gif")
def seen(item_id):
    """Count one view of a shown item (kept in memory, written in batches)."""
    stats.count(item_id)
    response = current_app.response_class(_PIXEL, mimetype="image/gif")
    response.headers["Cache-Control"] = "no-store"
    return response


_l = placette.lazy_gettext
CATEGORY_LABELS = {"meeting": _l("Meeting"), "minutes": _l("Minutes"), "opinion": _l("Opinion"),
                   "results": _l("Results"), "document": _l("Document"),
                   "gallery": _l("Gallery"), "page": _l("Page")}


@public_bp.app_template_filter("showcase_category")
def category_label(category: str) -> str:
    """The category's name in the page's language (only that one is translated: a page of
    twenty cards asked for all seven at every card)."""
    label = CATEGORY_LABELS.get(category)
    return str(label) if label is not None else category


@public_bp.app_template_global("showcase_absolute")
def absolute(path: str) -> str:
    return placette.current_config().base_url.rstrip("/") + path


