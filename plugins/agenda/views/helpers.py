"""Shared by the agenda's pages: rendering with date helpers, month grids, calendar answers."""
from __future__ import annotations

import calendar
import datetime as dt

import placette
from babel.dates import get_day_names, get_month_names
from flask import Response, render_template

from .. import ical, timing
from ..models import MeetingException


def instance_tz() -> str:
    return placette.current_config().timezone


def local(value: dt.datetime | None) -> dt.datetime | None:
    """Naive UTC to naive wall-clock time of the city (form fields, grouping by day)."""
    if value is None:
        return None
    return timing.to_local(value, instance_tz()).replace(tzinfo=None)


def fmt_day(value) -> str:
    return placette.format_date(value, "full") if value else ""


def fmt_time(value) -> str:
    return placette.format_datetime(value, "HH:mm") if value else ""


def fmt_when(value) -> str:
    return placette.format_datetime(value, "EEEE d MMMM y, HH:mm") if value else ""


def place_text(meeting) -> placette.Markup:
    """Where the meeting takes place, as the ``place`` macro writes it: its room and address
    (each escaped, joined by a comma), else "Online" for an online meeting, else nothing.

    A function, not only a macro: a list of thirty meetings called the macro (and Jinja's
    ``select`` and ``join`` filters) for each row, a tenth of the city agenda's time."""
    if meeting.room or meeting.address:
        return placette.Markup(", ").join(part for part in (meeting.room, meeting.address)
                                          if part)
    if meeting.online_url:
        return placette.Markup(placette._("Online"))  # a translation: trusted, as a template's _()
    return placette.Markup("")


def render(template: str, **context):
    context.setdefault("place_text", place_text)
    context.setdefault("fmt_day", fmt_day)
    context.setdefault("fmt_time", fmt_time)
    context.setdefault("fmt_when", fmt_when)
    context.setdefault("local", local)
    context.setdefault("config_timezone", instance_tz())
    return render_template(template, **context)


def parse_month(raw: str | None) -> tuple[int, int]:
    today = local(placette.utcnow())
    try:
        year, month = (int(p) for p in (raw or "").split("-"))
        if timing.MIN_YEAR <= year <= timing.MAX_YEAR and 1 <= month <= 12:
            return year, month
    except ValueError:
        pass
    return today.year, today.month


def month_bounds(year: int, month: int) -> tuple[dt.datetime, dt.datetime]:
    """The month's first and next month's first instant, in UTC."""
    first = dt.datetime(year, month, 1)
    following = dt.datetime(year + (month == 12), month % 12 + 1, 1)
    return timing.to_utc(first, instance_tz()), timing.to_utc(following, instance_tz())


def month_grid(year: int, month: int, occurrences) -> dict:
    """Weeks of days (Monday first) with their occurrences, for a real accessible table."""
    by_day: dict[dt.date, list] = {}
    for occ in occurrences:
        by_day.setdefault(local(occ.starts_at).date(), []).append(occ)
    locale = placette.current_locale()
    weeks = [[{"date": day, "in_month": day.month == month,
               "occurrences": by_day.get(day, [])} for day in week]
             for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)]
    names = get_day_names("wide", locale=locale)
    short = get_day_names("abbreviated", locale=locale)
    previous = (year - 1, 12) if month == 1 else (year, month - 1)
    following = (year + 1, 1) if month == 12 else (year, month + 1)
    return {"weeks": weeks, "day_names": [(names[i], short[i]) for i in range(7)],
            "title": f"{get_month_names('wide', locale=locale)[month].capitalize()} {year}",
            "previous": f"{previous[0]:04d}-{previous[1]:02d}",
            "next": f"{following[0]:04d}-{following[1]:02d}",
            "today": local(placette.utcnow()).date()}


def ics_response(name: str, meetings, slugs: dict[int, str], filename: str) -> Response:
    ids = [m.id for m in meetings if m.rrule]
    exceptions: dict[int, list] = {}
    if ids:
        for row in MeetingException.select().where(MeetingException.meeting.in_(ids)):
            exceptions.setdefault(row.meeting_id, []).append(row)
    body = ical.render(name, meetings, exceptions, placette.current_config().base_url
                       .rstrip("/"), slugs)
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.headers["Cache-Control"] = "private, max-age=300"
    return response
