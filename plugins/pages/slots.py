"""The ``footer`` slot: links to the city's pages (charter, legal notice, accessibility
statement...) at the bottom of every page of the site.

The footer is on every page -- error pages and the sign-in page included -- so it costs one query
whatever the number of pages, and never raises: a failure is logged and the footer is left
without the links, the page still renders.
"""
from __future__ import annotations

import logging

from flask import render_template
from markupsafe import Markup

from . import service

log = logging.getLogger("placette_plugins.pages")


def footer(context) -> Markup | None:
    try:
        links = service.footer_links(context.actor)
        if not links:
            return None
        return Markup(render_template("pages/_footer.html", links=links))
    except Exception:
        log.exception("pages: the footer links could not be rendered")
        return None
