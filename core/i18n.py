"""Languages: French by default, English too, through Flask-Babel catalogues.

The kernel, each plugin and the city theme ship their own ``translations/`` folder; Flask-Babel
merges them.  The language is the signed-in person's choice, else the ``lang`` cookie (set by the
language switcher), else the browser's preference among the instance's languages, else the
instance default.
"""
from __future__ import annotations

from pathlib import Path

from flask import request
from flask_babel import Babel, format_date, format_datetime, format_time, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext, ngettext
from flask_login import current_user

CORE_TRANSLATIONS = Path(__file__).parent / "translations"


def N_(message: str) -> str:
    """Mark a string for extraction without translating it now (tables of messages chosen at
    run time, translated where they are shown)."""
    return message


def select_language() -> str:
    from .kernel import config
    cfg = config()
    chosen = request.args.get("lang")
    if chosen in cfg.languages:  # the language switcher (remembered by web.rendering)
        return chosen
    lang = getattr(current_user, "language", None) if current_user else None
    if lang in cfg.languages:
        return lang
    cookie = request.cookies.get("lang")
    if cookie in cfg.languages:
        return cookie
    return request.accept_languages.best_match(cfg.languages, default=cfg.default_language)


def init(app, translation_dirs: list[Path], default_language: str, timezone: str) -> Babel:
    dirs = [str(CORE_TRANSLATIONS)] + [str(d) for d in translation_dirs if Path(d).is_dir()]
    app.config["BABEL_DEFAULT_LOCALE"] = default_language
    app.config["BABEL_DEFAULT_TIMEZONE"] = timezone
    return Babel(app, locale_selector=select_language, default_translation_directories=";".join(dirs))


__all__ = ["N_", "_", "lazy_gettext", "ngettext", "get_locale", "format_date", "format_datetime",
           "format_time", "init", "select_language"]
