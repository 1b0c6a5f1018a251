"""The ``footer`` slot: links to the city's pages (charter, legal notice, accessibility
statement...) at the bottom of every page of the site.

The footer is on every page -- error pages and the sign-in page included -- so it costs one query
whatever the number of pages, and never raises: a failure is logged and the footer is left
without the links, the page still renders.

Its markup is kept per application, keyed on everything it is made of: the links as just read,
the language, the site's root and, on a page of the pages plugin only, the address (the link
to the page one is on says so).  The query runs on every page -- an edited title or a page
taken out of the footer shows at once, in every process -- but rendering the template (a
fifth of a millisecond, on every page of the site) happens once per set of links and language.
"""
from __future__ import annotations

import logging

from flask import current_app, render_template, request
from markupsafe import Markup

import placette

from . import service

log = logging.getLogger("placette_plugins.pages")


def footer(context) -> Markup | None:
    try:
        links = service.footer_links(context.actor)
        if not links:
            return None
        return _footer_markup(links)
    except Exception:
        log.exception("pages: the footer links could not be rendered")
        return None


_KEPT_FOOTERS = 256  # sets of links x languages x pages of the plugin: a few in practice


def _footer_markup(links: list[dict[str, str]]) -> Markup:
    """The footer's markup for these links, rendered once per set of links, language, site
    root and (on a page of this plugin) address; see the module's docstring."""
    here = request.path if request.blueprint == "pages" else ""
    key = (placette.current_locale(), request.script_root, here,
           tuple((link["slug"], link["title"], link["space_slug"]) for link in links))
    kept = current_app.extensions.setdefault("pages_footer_markup", {})
    markup = kept.get(key)
    if markup is None:
        if len(kept) >= _KEPT_FOOTERS:
            kept.clear()  # a bound, not a policy: the next pages fill it again
        markup = kept[key] = Markup(render_template("pages/_footer.html", links=links,
                                                    here=here))
    return markup
