"""Dates as people read them: in the city's time zone and their language.

placette formats dates itself (``placette.format_datetime`` and friends, a sixth of Flask-
Babel's cost); these tests hold it to Flask-Babel's results, summer time changes included, and
check the language a mail is forced into.
"""
from __future__ import annotations

import datetime as dt

import flask_babel
import pytest
from flask_babel import force_locale

import placette
from placette.i18n import format_number

# Paris: summer time starts 2026-03-29 01:00 UTC and ends 2026-10-25 01:00 UTC.
MOMENTS = [dt.datetime(2026, 3, 29, 0, 59), dt.datetime(2026, 3, 29, 1, 0),
           dt.datetime(2026, 10, 25, 0, 30), dt.datetime(2026, 10, 25, 1, 30),
           dt.datetime(2026, 12, 31, 23, 30), dt.datetime(2026, 7, 1, 12, tzinfo=dt.timezone.utc)]
FORMATS = [None, "short", "medium", "long", "full", "EEEE d MMMM y, HH:mm", "HH:mm"]


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_formatters_agree_with_flask_babel(app, language):
    with app.test_request_context("/", headers={"Accept-Language": language}):
        for moment in MOMENTS:
            for fmt in FORMATS:
                assert placette.format_datetime(moment, fmt) == \
                    flask_babel.format_datetime(moment, fmt), (moment, fmt)
            for fmt in FORMATS[:5]:
                assert placette.format_date(moment, fmt) == \
                    flask_babel.format_date(moment, fmt), (moment, fmt)
                assert placette.format_date(moment.date(), fmt) == \
                    flask_babel.format_date(moment.date(), fmt)


def test_a_late_evening_meeting_is_on_the_local_day(app):
    """23:30 UTC on New Year's Eve is already 1 January in Paris."""
    with app.test_request_context("/", headers={"Accept-Language": "fr"}):
        assert placette.format_datetime(MOMENTS[4], "EEEE d MMMM y, HH:mm") == \
            "vendredi 1 janvier 2027, 00:30"
        assert placette.format_date(MOMENTS[4], "full") == "vendredi 1 janvier 2027"
        with force_locale("en"):  # a mail in the recipient's language
            assert placette.format_date(MOMENTS[4], "full") == "Friday, January 1, 2027"


def test_numbers_follow_the_language_even_when_it_changes_within_a_request(app):
    """Whole numbers are kept per locale (placette.i18n._formatted_integer): a mail forced into
    another language within the same request gets that language's grouping."""
    with app.test_request_context("/", headers={"Accept-Language": "fr"}):
        assert format_number(1234567) == "1\u202f234\u202f567"
        assert format_number(12) == "12"
        assert format_number(3.5) == "3,5"
        with force_locale("en"):
            assert format_number(1234567) == "1,234,567"
            assert format_number(3.5) == "3.5"
        assert format_number(1234567) == "1\u202f234\u202f567"
    with app.app_context():  # outside a request: the instance's default language
        assert format_number(1234567) == flask_babel.format_decimal(1234567)
