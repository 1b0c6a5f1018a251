"""iCalendar (RFC 5545): one calendar per space, per person, and per meeting.

UIDs never change; SEQUENCE grows with every change; a cancelled meeting stays in feeds with
STATUS:CANCELLED so calendar apps remove it; a series is one VEVENT with RRULE, its cancelled
dates as EXDATE and its moved dates as extra VEVENTs carrying RECURRENCE-ID.  Times are written
with their TZID and a VTIMEZONE, so "18:00 in Paris" stays 18:00 in summer and winter.
"""
from __future__ import annotations

import calendar as calendar_lib
import datetime as dt
import threading
from collections import OrderedDict
from functools import lru_cache
from zoneinfo import ZoneInfo

from dateutil.rrule import YEARLY, rrule, weekdays
from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard, vRecur

from . import timing
from .models import Meeting, MeetingException

PRODID = "-//placette//agenda//EN"


def _calendar(name: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    return cal


def _transitions(tz: ZoneInfo, year: int) -> list[tuple[dt.datetime, dt.timedelta,
                                                            dt.timedelta, bool]]:
    """(local wall time just before, offset before, offset after, is_dst) for a year's changes."""
    found = []
    instant = dt.datetime(year, 1, 1, tzinfo=dt.UTC)
    previous = instant.astimezone(tz).utcoffset()
    while instant.year == year:
        instant += dt.timedelta(hours=1)
        local = instant.astimezone(tz)
        offset = local.utcoffset()
        if offset != previous:
            wall = (instant + previous).replace(tzinfo=None)
            found.append((wall, previous, offset, bool(local.dst())))
            previous = offset
    return found


@lru_cache(maxsize=32)
def vtimezone(tzid: str) -> Timezone:
    """A VTIMEZONE with yearly RRULEs (what most calendar producers write, and what every
    reader understands), from the zone's current rules.  Cached: it never changes in a run."""
    tz = ZoneInfo(tzid)
    year = dt.date.today().year
    comp = Timezone()
    comp.add("tzid", tzid)
    changes = _transitions(tz, year)
    if not changes:
        std = TimezoneStandard()
        offset = dt.datetime(year, 1, 1, tzinfo=tz).utcoffset()
        std.add("dtstart", dt.datetime(1970, 1, 1))
        std.add("tzoffsetfrom", offset)
        std.add("tzoffsetto", offset)
        std.add("tzname", dt.datetime(year, 1, 1, tzinfo=tz).tzname())
        comp.add_component(std)
        return comp
    for wall, before, after, is_dst in changes:
        last_day = calendar_lib.monthrange(wall.year, wall.month)[1]
        nth = -1 if wall.day + 7 > last_day else (wall.day - 1) // 7 + 1
        weekday = wall.weekday()
        names = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
        first = rrule(YEARLY, bymonth=wall.month, byweekday=weekdays[weekday](nth),
                      dtstart=dt.datetime(1970, 1, 1, wall.hour, wall.minute)).after(
            dt.datetime(1970, 1, 1), inc=True)
        sub = TimezoneDaylight() if is_dst else TimezoneStandard()
        sub.add("dtstart", first)
        sub.add("rrule", {"freq": "yearly", "bymonth": wall.month,
                          "byday": f"{nth}{names[weekday]}"})
        sub.add("tzoffsetfrom", before)
        sub.add("tzoffsetto", after)
        sub.add("tzname", (wall + dt.timedelta(hours=3)).replace(tzinfo=tz).tzname())
        comp.add_component(sub)
    return comp


def _place(meeting: Meeting) -> str:
    return ", ".join(p for p in (meeting.room, meeting.address) if p) or meeting.online_url


def _event(meeting: Meeting, base_url: str, space_slug: str) -> Event:
    event = Event()
    event.add("uid", meeting.uid)
    event.add("dtstamp", meeting.updated_at.replace(tzinfo=dt.UTC))
    event.add("created", meeting.created_at.replace(tzinfo=dt.UTC))
    event.add("last-modified", meeting.updated_at.replace(tzinfo=dt.UTC))
    event.add("sequence", meeting.sequence)
    event.add("summary", meeting.title)
    event.add("dtstart", timing.to_local(meeting.starts_at, meeting.timezone))
    event.add("dtend", timing.to_local(meeting.ends_at, meeting.timezone))
    url = f"{base_url}/s/{space_slug}/agenda/{meeting.id}"
    event.add("url", url)
    # The Markdown source reads well as plain text; rendering it for every event of a feed
    # cost a fifth of the feed's time.
    description = (meeting.description or "").strip()
    if meeting.online_url:
        description = (description + "\n\n" + meeting.online_url).strip()
    event.add("description", (description + "\n\n" + url).strip())
    if _place(meeting):
        event.add("location", _place(meeting))
    event.add("status", "CANCELLED" if meeting.is_cancelled else "CONFIRMED")
    event.add("transp", "OPAQUE")
    event.add("class", "PUBLIC" if meeting.visibility in (None, "public") else "PRIVATE")
    return event


def events_for(meeting: Meeting, exceptions: list[MeetingException], base_url: str,
               space_slug: str) -> list[Event]:
    master = _event(meeting, base_url, space_slug)
    found = [master]
    if not meeting.rrule:
        return found
    master.add("rrule", vRecur.from_ical(meeting.rrule))
    exdates = [timing.to_local(e.original_start, meeting.timezone) for e in exceptions
               if e.status == "cancelled"]
    for value in exdates:
        master.add("exdate", value)
    for exc in exceptions:
        if exc.status != "moved":
            continue
        moved = _event(meeting, base_url, space_slug)
        moved.add("recurrence-id", timing.to_local(exc.original_start, meeting.timezone))
        del moved["dtstart"]
        del moved["dtend"]
        moved.add("dtstart", timing.to_local(exc.starts_at, meeting.timezone))
        moved.add("dtend", timing.to_local(exc.ends_at, meeting.timezone))
        found.append(moved)
    return found


# A meeting's VEVENT text, memoised by everything it is written from (below): calendar apps
# poll feeds every few minutes, and serialising forty events with the icalendar library was
# nine tenths of a feed's time.  The key holds every input, so a change -- to the meeting,
# one of its dates, the space its link goes through -- is a new entry, never a stale one.
EVENT_TEXT_SIZE = 5000
_event_texts: OrderedDict[tuple, bytes] = OrderedDict()
_event_texts_lock = threading.Lock()
_END = b"END:VCALENDAR\r\n"


def _event_key(meeting: Meeting, exceptions: list[MeetingException], base_url: str,
               space_slug: str) -> tuple:
    return (meeting.id, meeting.uid, meeting.sequence, meeting.created_at, meeting.updated_at,
            meeting.title, meeting.description, meeting.starts_at, meeting.ends_at,
            meeting.timezone, meeting.rrule, meeting.room, meeting.address,
            meeting.online_url, meeting.status, meeting.visibility, base_url, space_slug,
            tuple((e.occurrence, e.status, e.original_start, e.starts_at, e.ends_at)
                  for e in exceptions))


def event_text(meeting: Meeting, exceptions: list[MeetingException], base_url: str,
               space_slug: str) -> bytes:
    """The VEVENT(s) of one meeting as iCalendar text (a series: the master and its moved
    dates)."""
    key = _event_key(meeting, exceptions, base_url, space_slug)
    with _event_texts_lock:
        text = _event_texts.get(key)
        if text is not None:
            _event_texts.move_to_end(key)
            return text
    text = b"".join(event.to_ical()
                    for event in events_for(meeting, exceptions, base_url, space_slug))
    with _event_texts_lock:
        _event_texts[key] = text
        while len(_event_texts) > EVENT_TEXT_SIZE:
            _event_texts.popitem(last=False)
    return text


@lru_cache(maxsize=256)
def _head(name: str, tzids: tuple[str, ...]) -> bytes:
    """The calendar's properties and time zones, without its closing line."""
    cal = _calendar(name)
    for tzid in tzids:
        cal.add_component(vtimezone(tzid))
    return cal.to_ical().rsplit(b"END:VCALENDAR", 1)[0]


def render(name: str, meetings: list[Meeting], exceptions: dict[int, list[MeetingException]],
           base_url: str, space_slugs: dict[int, str]) -> bytes:
    """A whole calendar; ``space_slugs`` says under which space each meeting's link points."""
    tzids = tuple(sorted({m.timezone for m in meetings} - {"UTC"}))
    events = [event_text(meeting, exceptions.get(meeting.id, []), base_url,
                         space_slugs.get(meeting.id) or meeting.space.slug)
              for meeting in meetings]
    return _head(name, tzids) + b"".join(events) + _END
