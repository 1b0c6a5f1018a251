"""Languages: French by default, English too, through Flask-Babel catalogues.

The kernel, each plugin and the city theme ship their own ``translations/`` folder; Flask-Babel
merges them.  The language is the signed-in person's choice, else the ``lang`` cookie (set by the
language switcher), else the browser's preference among the instance's languages, else the
instance default.
"""
from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

from babel import Locale, dates, numbers
from flask import current_app, g, has_app_context, has_request_context, request
from flask_babel import Babel, get_locale
from flask_babel import get_translations as _babel_translations
from flask_babel.speaklater import LazyString
from flask_login import current_user
from jinja2 import pass_context
from markupsafe import Markup

from .articles import SpaceName, format_text

CORE_TRANSLATIONS = Path(__file__).parent / "translations"


def N_(message: str) -> str:
    """Mark a string for extraction without translating it now (tables of messages chosen at
    run time, translated where they are shown)."""
    return message


def select_language() -> str:
    """The request's language; outside a request (a command, a task, the demo seed) the
    instance's default -- a message built there must never fail for want of a request."""
    from .kernel import config
    cfg = config()
    if not has_request_context():
        return cfg.default_language
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


def request_translations():
    """The catalogue of the current locale, looked up once per request (and per forced locale).

    Flask-Babel resolves context, domain, locale and cache key on every ``gettext``: some 40 us
    each, and a list page calls it a hundred times or more -- a third of the directory's time in
    the benchmark.  The memo is keyed on the locale object Flask-Babel keeps for the request, so
    ``force_locale`` (mails in the recipient's language) gets its own catalogue.
    """
    store = g._get_current_object()  # one context lookup, not one per attribute (~1 us each)
    state = store.get("_flask_babel")
    locale = getattr(state, "babel_locale", None)
    memo = store.get("_placette_translations")
    if memo is not None and locale is not None and memo[0] is locale:
        return memo[1]
    translations = _babel_translations()
    state = store.get("_flask_babel")
    store._placette_translations = (getattr(state, "babel_locale", None), translations)
    return translations


def gettext(string: str, **variables) -> str:
    """``_()``: Flask-Babel's ``gettext`` through the request's catalogue (see
    :func:`request_translations`), the same text at a tenth of the cost -- a list formats a
    translated size or label per row."""
    text = request_translations().ugettext(string) if has_app_context() else string
    return _fill(text, variables) if variables else text


def _fill(text, variables: dict):
    """``text % variables``; a space's name passed as :func:`placette.in_text` takes its French
    article ("Agenda du Conseil ...", see :mod:`placette.articles`)."""
    if any(isinstance(value, SpaceName) for value in variables.values()):
        locale = get_locale() if has_app_context() else None
        return format_text(text, variables, getattr(locale, "language", None))
    return text % variables


_ = gettext


def lazy_gettext(string: str, **variables) -> LazyString:
    """A string translated when it is shown (menu labels, form labels declared at import time),
    through the request's catalogue like :func:`gettext`: Flask-Babel's own lazy strings call
    its slow ``gettext`` each time they are read -- a menu sorts its labels, then prints them."""
    return LazyString(gettext, string, **variables)


def ngettext(singular: str, plural: str, num: int, **variables) -> str:
    """Flask-Babel's ``ngettext`` (``num`` is available as ``%(num)s``), through the request's
    catalogue."""
    variables.setdefault("num", num)
    if has_app_context():
        text = request_translations().ungettext(singular, plural, num)
    else:
        text = singular if num == 1 else plural
    return _fill(text, variables)


@lru_cache(maxsize=16)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def _in_city_time(value):
    """A stored datetime (naive means UTC, as the database keeps them) in the city's zone."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.timezone.utc)
    return value.astimezone(_zone(current_app.config["BABEL_DEFAULT_TIMEZONE"]))


def _now():
    return dt.datetime.now(dt.timezone.utc)


# The three formatters of Flask-Babel, with its signatures and results, at a sixth of the cost:
# Flask-Babel looks up its configuration, the locale and a pytz zone on every call (some
# 40-60 us); an agenda or an activity list formats twenty dates.  The locale is still Flask-
# Babel's (``force_locale`` for mails in the recipient's language works), the zone is the
# instance's (placette has no per-person time zone), converted with zoneinfo.

_FORMATTERS = {"datetime": dates.format_datetime, "date": dates.format_date,
               "time": dates.format_time}


def _zone_key(value) -> tuple | None:
    """Part of the memo key: the zone and the offset.  Two aware datetimes of one zone compare
    equal by their wall time -- the two 02:30 of the night clocks go back included -- yet
    print different offsets."""
    tzinfo = getattr(value, "tzinfo", None)
    return None if tzinfo is None else (str(tzinfo), value.utcoffset(), getattr(value, "fold", 0))


@lru_cache(maxsize=8192)
def _formatted(kind: str, value, _zone: tuple | None, format: str, locale: str) -> str:
    """The text of one date in one locale and style: a pure function of its inputs, and the
    same meeting times and event dates are printed on page after page (Babel takes 20-50 us
    for each)."""
    return _FORMATTERS[kind](value, format, locale=locale)


@lru_cache(maxsize=8192)
def _formatted_stored(kind: str, value: dt.datetime, zone: str, format: str, locale: str) -> str:
    """The text of a stored (naive, UTC) datetime in the city's ``zone``: what
    :func:`_formatted` gives for it once taken in that zone, keyed on the stored value itself --
    a list of comments or events prints a hundred stored dates, and taking each in the zone
    and keying it by its offset cost more than the memo saved."""
    local = value.replace(tzinfo=dt.timezone.utc).astimezone(_zone(zone))
    return _FORMATTERS[kind](local, format, locale=locale)


@lru_cache(maxsize=64)
def _locale_name(locale) -> str:
    return str(locale)


def _request_locale():
    """Flask-Babel's ``get_locale()``, read from the request's state when it is already chosen
    (its ``force_locale`` sets the same state), with one context lookup instead of five."""
    if has_app_context():
        state = g._get_current_object().get("_flask_babel")
        locale = getattr(state, "babel_locale", None)
        if locale is not None:
            return locale
    return get_locale()


def _zone_and_locale() -> tuple[str, str]:
    """The city's time zone and the request locale's name, for :func:`_formatted_stored`:
    read once per request and locale (``force_locale`` gets its own), not once per date -- a
    list prints a date per row, and the zone, the locale and its name cost 3 us a date."""
    try:
        store = g._get_current_object()
    except RuntimeError:  # no app context
        return current_app.config["BABEL_DEFAULT_TIMEZONE"], _locale_name(_request_locale())
    state = store.get("_flask_babel")
    locale = getattr(state, "babel_locale", None)
    memo = store.get("_placette_date_names")
    if memo is not None and locale is not None and memo[0] is locale:
        return memo[1]
    names = (current_app.config["BABEL_DEFAULT_TIMEZONE"], _locale_name(_request_locale()))
    state = store.get("_flask_babel")
    store._placette_date_names = (getattr(state, "babel_locale", None), names)
    return names


def _format(kind: str, value, format: str | None, rebase: bool) -> str:
    """Shared by the three formatters: a datetime is taken in the city's zone (``rebase``), and
    the text is memoised -- except "now", which would only fill the memo."""
    now = value is None
    if now:
        value = _now()
    elif rebase and type(value) is dt.datetime and value.tzinfo is None:
        zone, locale_name = _zone_and_locale()
        return _formatted_stored(kind, value, zone, format or "medium", locale_name)
    if rebase and isinstance(value, dt.datetime):
        value = _in_city_time(value)
    if now:
        return _FORMATTERS[kind](value, format or "medium", locale=get_locale())
    return _formatted(kind, value, _zone_key(value), format or "medium", str(get_locale()))


def format_datetime(datetime=None, format=None, rebase=True) -> str:
    """``datetime`` (default now) in the city's time zone, as ``format`` -- ``short``,
    ``medium`` (default), ``long``, ``full`` or a Babel pattern (``"EEEE d MMMM y, HH:mm"``)."""
    return _format("datetime", datetime, format, rebase)


def format_date(date=None, format=None, rebase=True) -> str:
    """The day of ``date`` (a date, or a datetime taken in the city's time zone)."""
    return _format("date", date, format, rebase)


def format_time(time=None, format=None, rebase=True) -> str:
    """The time of day of ``time`` (a datetime, taken in the city's time zone)."""
    return _format("time", time, format, rebase)


def init(app, translation_dirs: list[Path], default_language: str, timezone: str) -> Babel:
    dirs = [str(CORE_TRANSLATIONS)] + [str(d) for d in translation_dirs if Path(d).is_dir()]
    app.config["BABEL_DEFAULT_LOCALE"] = default_language
    app.config["BABEL_DEFAULT_TIMEZONE"] = timezone
    babel = Babel(app, locale_selector=select_language,
                  default_translation_directories=";".join(dirs))
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: request_translations().ugettext(s),
        ngettext=lambda s, p, n: request_translations().ungettext(s, p, n),
        pgettext=lambda c, s: request_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: request_translations().unpgettext(c, s, p, n),
        newstyle=True)
    _templates_format_names(app.jinja_env)
    return babel


# Distinct label texts memoised per catalogue; the templates' labels are a few thousand at most.
TEMPLATE_TEXTS_MAX = 20_000


def _template_text(string: str, autoescape: bool):
    """``_('Reply')`` in a template, as Jinja's new-style ``gettext`` gives it -- the
    translation, as Markup when autoescaping, formatted with no variables (``%%`` becomes
    ``%``) -- memoised on the catalogue object: a pure function of the catalogue and the text.

    A thread of a hundred comments asks for the same six labels per comment, 600 calls, and
    Markup's ``%`` formatting of each was a sixth of the page's time.  The memo lives on the
    catalogue, so another language or a reloaded catalogue has its own."""
    translations = request_translations()
    memo = getattr(translations, "_placette_template_texts", None)
    if memo is None:
        memo = {}
        try:
            translations._placette_template_texts = memo
        except AttributeError:  # a catalogue that takes no attribute: no memo, same text
            pass
    key = (string, autoescape)
    text = memo.get(key)
    if text is None:
        text = translations.ugettext(string)
        text = (Markup(text) if autoescape else text) % {}
        if len(memo) < TEMPLATE_TEXTS_MAX:
            memo[key] = text
    return text


def _templates_format_names(env) -> None:
    """Jinja's new-style ``_``/``gettext``/``ngettext``, formatting through :func:`_fill` (a
    space's name takes its French article).  Same behaviour otherwise: the translation is Markup
    when autoescaping, so the variables are escaped."""
    plain_gettext, plain_ngettext = env.globals["gettext"], env.globals["ngettext"]

    @pass_context
    def gettext_(context, string, **variables):
        if not variables:  # most calls: a label -- the memoised text of this catalogue
            return _template_text(string, context.eval_ctx.autoescape)
        if not any(isinstance(value, SpaceName) for value in variables.values()):
            return plain_gettext(context, string, **variables)
        text = request_translations().ugettext(string)
        return _fill(Markup(text) if context.eval_ctx.autoescape else text, variables)

    @pass_context
    def ngettext_(context, singular, plural, num, **variables):
        if not any(isinstance(value, SpaceName) for value in variables.values()):
            return plain_ngettext(context, singular, plural, num, **variables)
        text = request_translations().ungettext(singular, plural, num)
        variables.setdefault("num", num)
        return _fill(Markup(text) if context.eval_ctx.autoescape else text, variables)

    env.globals.update(_=gettext_, gettext=gettext_, ngettext=ngettext_)


def format_number(value: int | float) -> str:
    """``1000`` as the person reads it: "1 000" in French, "1,000" in English.

    Whole numbers are kept by locale (:func:`_formatted_integer`): lists print a count per row
    (posts, comments, votes), and Babel takes 15-30 us for each."""
    locale = _request_locale() if has_app_context() else None
    if locale is None:
        locale = current_locale()
    if type(value) is int:
        return _formatted_integer(value, _locale_name(locale))
    return numbers.format_decimal(value, locale=locale)


@lru_cache(maxsize=4096)
def _formatted_integer(value: int, locale: str) -> str:
    """A whole number in one locale: a pure function of its inputs."""
    return numbers.format_decimal(value, locale=locale)


def current_locale():
    """The Babel ``Locale`` of this request -- the person's language -- for formatting that the
    helpers above do not cover (day and month names of a calendar grid, say).  Plugins call it
    through the facade so they need not depend on Flask-Babel themselves."""
    locale = get_locale()
    if locale is None:  # outside a request: the instance's default language
        default = current_app.config.get("BABEL_DEFAULT_LOCALE", "fr") if has_app_context() \
            else "fr"
        locale = Locale.parse(default)
    return locale


__all__ = ["N_", "_", "lazy_gettext", "ngettext", "get_locale", "current_locale", "format_number",
           "format_date", "format_datetime", "format_time", "init", "select_language"]
