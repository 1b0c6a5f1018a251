"""``placette._`` and ``placette.ngettext`` read the request's catalogue themselves (faster than
Flask-Babel's): the text must be the same -- French by default, the recipient's language under
``force_locale``, the source text outside any application."""
from __future__ import annotations

import flask_babel
from flask_babel import force_locale

import placette
from placette.i18n import format_time


def test_translations_follow_the_request_and_forced_locale(app):
    with app.test_request_context("/", headers={"Accept-Language": "fr"}):
        assert placette._("Moderation") == "Modération" == flask_babel.gettext("Moderation")
        assert placette._("%(n)s KB", n=3) == flask_babel.gettext("%(n)s KB", n=3)
        with force_locale("en"):  # a mail to someone who reads English
            assert placette._("Moderation") == "Moderation"


def test_lazy_strings_are_translated_when_shown(app):
    label = placette.lazy_gettext("Moderation")  # declared once, outside any request
    sized = placette.lazy_gettext("%(n)s KB", n=3)
    with app.test_request_context("/", headers={"Accept-Language": "fr"}):
        assert str(label) == "Modération" == str(flask_babel.lazy_gettext("Moderation"))
        assert str(sized) == flask_babel.gettext("%(n)s KB", n=3)
        assert sorted([label, placette.lazy_gettext("Agenda")])[0] == "Agenda"
        with force_locale("en"):
            assert str(label) == "Moderation"


def test_lazy_strings_outside_an_application_are_the_source_text():
    assert str(placette.lazy_gettext("Moderation")) == "Moderation"


def test_plural_forms_match_flask_babel(app):
    with app.test_request_context("/", headers={"Accept-Language": "fr"}):
        for n in (0, 1, 2, 15):
            args = ("%(num)d unread notification", "%(num)d unread notifications", n)
            assert placette.ngettext(*args) == flask_babel.ngettext(*args)


def test_outside_an_application_the_source_text_is_used():
    assert placette._("Moderation %(n)s", n=2) == "Moderation 2"
    assert placette.ngettext("%(num)d item", "%(num)d items", 2) == "2 items"


def test_template_labels_are_the_texts_jinja_would_give(app):
    """``_('...')`` without variables in a template is memoised per catalogue: the text Jinja's
    new-style gettext gives (the translation trusted as Markup, ``%%`` formatted to ``%``), in
    each language, the first time and from the memo, escaped or not."""
    source = "{{ _('Moderation') }}|{{ _('100%% sure') }}|{{ _('<b>') }}|{{ _('Moderation') }}"
    for autoescape in (True, False):
        template = app.jinja_env.overlay(autoescape=autoescape).from_string(source)
        with app.test_request_context("/", headers={"Accept-Language": "fr"}):
            for _round in range(2):  # the second time from the memo
                assert template.render() == "Modération|100% sure|<b>|Modération"
                with force_locale("en"):  # another catalogue, its own memo
                    assert template.render() == "Moderation|100% sure|<b>|Moderation"


def test_stored_dates_print_as_babel_prints_them_in_the_city_zone(app):
    """Stored (naive UTC) datetimes take the memoised path: the text must be Babel's for the
    same instant in the city's zone -- either side of both clock changes, in each language."""
    import datetime as dt
    from zoneinfo import ZoneInfo

    from babel import dates

    zone = ZoneInfo(app.config["BABEL_DEFAULT_TIMEZONE"])
    instants = [dt.datetime(2026, 3, 29, 0, 30), dt.datetime(2026, 3, 29, 1, 30),
                dt.datetime(2026, 10, 25, 0, 30), dt.datetime(2026, 10, 25, 1, 30),
                dt.datetime(2026, 12, 31, 23, 59, 59)]
    with app.test_request_context("/", headers={"Accept-Language": "fr"}):
        for language in ("fr", "en"):
            with force_locale(language):
                for stored in instants:
                    local = stored.replace(tzinfo=dt.timezone.utc).astimezone(zone)
                    for _round in range(2):  # computed, then from the memo
                        assert placette.format_datetime(stored) == \
                            dates.format_datetime(local, "medium", locale=language)
                        assert placette.format_date(stored, "long") == \
                            dates.format_date(local, "long", locale=language)
                        assert format_time(stored, "short") == \
                            dates.format_time(local, "short", locale=language)
