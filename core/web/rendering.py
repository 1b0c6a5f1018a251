"""What every template can use: slots, menus, permissions, dates, Markdown, theme, assets."""
from __future__ import annotations

import logging
from typing import Any

from flask import g, request, url_for
from flask_login import current_user
from markupsafe import Markup

from ..declarations import NavItem, SlotContext
from ..articles import in_text
from ..i18n import _, format_date, format_datetime, format_number, get_locale
from ..kernel import current
from .guards import from_this_site
from ..markup import render_markdown, summary
from ..permissions import can as can_do

log = logging.getLogger("placette.web")


def enabled_in(space) -> set[str] | None:
    if space is None:
        return None
    from ..modules import enabled_plugins
    return enabled_plugins(space)


# Slots of the page frame, not of a space: every activated plugin is asked, even on a page of a
# space where the plugin is off (the city's legal pages belong in every page's footer).
SITE_WIDE_SLOTS = frozenset({"footer"})


def render_slot(name: str, space=None, **extra: Any) -> Markup:
    """Concatenate what plugins render in a slot; a failing plugin is logged and skipped.

    Space slots ask only the plugins enabled in the current space; the site-wide slots
    (:data:`SITE_WIDE_SLOTS`) ask every activated plugin, which decides for itself."""
    space = space if space is not None else getattr(g, "space", None)
    # The person, not the proxy: each plugin reads it many times, a proxy lookup each time.
    context = SlotContext(actor=current_user._get_current_object(), space=space, extra=extra)
    only = None if name in SITE_WIDE_SLOTS else enabled_in(space)
    parts = current().registry.call_each("render_slot", only=only, slot=name, context=context)
    return Markup("\n").join(Markup(html) for _plugin, html in parts if html)


def space_menu(space) -> list[NavItem]:
    """The menu of a space: its home, each enabled module's entries, members, management."""
    from flask import url_for
    actor = current_user._get_current_object()
    items = [NavItem(_("Home"), url_for("spaces.home", slug=space.slug), position=0)]
    items += [item for item in current().registry.collect("nav_items", only=enabled_in(space),
                                                          space=space, actor=actor)
              if isinstance(item, NavItem)]
    if can_do(actor, "space.members.view", space):
        items.append(NavItem(_("Members"), url_for("spaces.members", slug=space.slug),
                             position=900))
    if can_do(actor, "space.members.manage", space) or \
            can_do(actor, "space.modules.manage", space):
        items.append(NavItem(_("Manage"), url_for("manage.index", slug=space.slug),
                             position=1000))
    return sorted(items, key=lambda i: (i.position, str(i.label)))


def global_menu() -> list[NavItem]:
    """City-wide entries (the city agenda, the resources library...) from plugins."""
    items = current().registry.collect("nav_items", space=None,
                                       actor=current_user._get_current_object())
    return sorted([i for i in items if isinstance(i, NavItem)],
                  key=lambda i: (i.position, str(i.label)))


def asset_urls(kind: str) -> list[str]:
    """URLs of the site's CSS or JS bundle, worked out once per process.

    Asking webassets on every page stats every source file (to rebuild when one changed): a
    tenth of a page's time.  Bundles change at deploy time (``placette assets build``) and a
    deploy restarts the processes; in debug mode the URLs are recomputed on every page.
    """
    from flask import current_app
    kernel = current()
    memo = kernel.services.setdefault("asset_urls", {})
    if kind in memo and not current_app.debug:
        return memo[kind]
    env = kernel.services.get("assets")
    if env is None:
        return []
    try:
        urls = env["site_css" if kind == "css" else "site_js"].urls()
    except Exception:
        log.exception("asset bundle %s could not be built", kind)
        return []
    memo[kind] = urls
    return urls


def format_when(value, style: str = "medium") -> str:
    if value is None:
        return ""
    return format_datetime(value, style)


def _moderation_notice(state) -> Markup:
    """``moderation_notice(state)`` in templates (see :mod:`placette.moderation.slots`)."""
    from ..moderation.slots import moderation_notice
    return moderation_notice(state)


def is_current(url: str) -> bool:
    path = request.path
    return path == url or (url not in ("/",) and path.startswith(url.rstrip("/") + "/"))


def frame_url(endpoint: str) -> str:
    """``url_for(endpoint)`` for an endpoint without arguments (the frame's links: home, the
    directory, notifications, profile...).  Kept for templates and plugins that use it; the
    text is built once per process by the application's ``url_for`` (``placette.web.urls``),
    which keeps every plain link, not only the frame's."""
    return url_for(endpoint)


def init(app) -> None:
    app.jinja_env.globals.update(
        slot=render_slot, space_menu=space_menu, global_menu=global_menu,
        asset_urls=asset_urls, markdown=render_markdown, is_current=is_current,
        frame_url=frame_url,
    )
    app.jinja_env.filters.update(when=format_when, day=lambda v, s="long": format_date(v, s)
                                 if v else "", markdown=render_markdown, summary=summary,
                                 number=format_number, in_text=in_text)
    app.jinja_env.globals["moderation_notice"] = _moderation_notice
    from .auth import sign_in_url
    app.jinja_env.globals["sign_in_url"] = sign_in_url
    app.jinja_env.globals["search_url"] = lambda: frame_url(
        "search.results" if "search.results" in app.view_functions else "spaces.directory")
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    @app.after_request
    def remember_language(response):
        """``?lang=xx`` from the switcher: remember it (cookie; profile for signed-in people) --
        only when the site's own switcher asked, never for a link on another site."""
        chosen = request.args.get("lang")
        if chosen and chosen in current().config.languages and request.method == "GET" \
                and from_this_site():
            response.set_cookie("lang", chosen, max_age=365 * 86400, samesite="Lax",
                                httponly=True)
            if current_user.is_authenticated and current_user.language != chosen:
                from ..models import User
                User.update(language=chosen).where(User.id == current_user.id).execute()
        return response

    @app.context_processor
    def common():
        """What every template of the request shares -- worked out once per request: a page
        renders its slots' fragments with ``render_template`` too, three to six times."""
        actor = current_user._get_current_object()  # resolve the proxy once per template
        memo = g.get("_placette_template_common")
        if memo is None or memo[0] is not actor:  # a sign-in or sign-out mid-request: anew
            cfg = current().config
            memo = g._placette_template_common = (actor, {
                "can": lambda action, target=None: can_do(actor, action, target),
                "city": cfg.city,
                "theme": cfg.theme,
                "languages": cfg.languages,
                "locale": str(get_locale() or cfg.default_language),
            })
        return {**memo[1], "current_space": getattr(g, "space", None)}

