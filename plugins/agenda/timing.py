"""Dates, time zones and recurrences: the one place that turns what people type into UTC.

Rules checked here (form and API alike): a meeting ends after it starts, lasts at most
:data:`MAX_DURATION`, happens between :data:`MIN_YEAR` and :data:`MAX_YEAR`; a recurrence rule
is an RFC 5545 RRULE restricted to daily-or-slower frequencies, yields at least one occurrence
and at most :data:`MAX_OCCURRENCES` when it ends.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil.rrule import rrulestr

MIN_YEAR, MAX_YEAR = 2000, 2099
MAX_DURATION = dt.timedelta(days=31)
MAX_OCCURRENCES = 1000
ALLOWED_FREQ = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")
ALLOWED_PARTS = {"FREQ", "INTERVAL", "COUNT", "UNTIL", "BYDAY", "BYMONTHDAY", "BYMONTH",
                 "BYSETPOS", "WKST", "BYYEARDAY", "BYWEEKNO"}
KEY_FORMAT = "%Y%m%dT%H%M%SZ"


class TimingError(ValueError):
    """Bad dates or recurrence; ``field`` names the input to highlight, ``code`` is stable."""

    def __init__(self, code: str, message: str, field: str):
        super().__init__(message)
        self.code, self.message, self.field = code, message, field


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise TimingError("invalid_timezone", f"unknown time zone {name!r}", "timezone") from None


def to_utc(value: dt.datetime, tz: str) -> dt.datetime:
    """A datetime typed by someone (naive: in ``tz``; aware: as given) to naive UTC."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=zone(tz))
    return value.astimezone(dt.UTC).replace(tzinfo=None)


def to_local(value: dt.datetime, tz: str) -> dt.datetime:
    """Naive UTC to an aware datetime in ``tz``."""
    return value.replace(tzinfo=dt.UTC).astimezone(zone(tz))


def occurrence_key(start_utc: dt.datetime) -> str:
    return start_utc.strftime(KEY_FORMAT)


def parse_key(key: str) -> dt.datetime | None:
    try:
        return dt.datetime.strptime(key, KEY_FORMAT)
    except (TypeError, ValueError):
        return None


def check_span(start: dt.datetime, end: dt.datetime) -> None:
    """Both naive UTC."""
    for value, field in ((start, "starts_at"), (end, "ends_at")):
        if not MIN_YEAR <= value.year <= MAX_YEAR:
            raise TimingError("date_out_of_range", f"dates must be between {MIN_YEAR} and "
                              f"{MAX_YEAR}", field)
    if end <= start:
        raise TimingError("end_before_start", "the meeting must end after it starts", "ends_at")
    if end - start > MAX_DURATION:
        raise TimingError("too_long", "a meeting lasts at most 31 days", "ends_at")


@dataclass(frozen=True)
class Rule:
    """A validated recurrence: the normalised RRULE text and the UTC end of its last occurrence
    (``None`` when the series never ends)."""

    text: str
    last_start: dt.datetime | None


def _parts(text: str) -> dict[str, str]:
    cleaned = text.strip()
    if cleaned.upper().startswith("RRULE:"):
        cleaned = cleaned[6:]
    parts: dict[str, str] = {}
    for chunk in filter(None, cleaned.replace(" ", "").split(";")):
        if "=" not in chunk:
            raise TimingError("invalid_rrule", f"'{chunk}' is not NAME=VALUE", "rrule")
        name, value = chunk.split("=", 1)
        name = name.upper()
        if name not in ALLOWED_PARTS or not value or name in parts:
            raise TimingError("invalid_rrule", f"'{chunk}' is not allowed in a recurrence "
                              "rule", "rrule")
        parts[name] = value.upper()
    return parts


def normalise_rule(text: str, start_utc: dt.datetime, tz: str) -> Rule:
    """Check an RRULE against the series start and return it normalised (UNTIL in UTC)."""
    parts = _parts(text)
    if parts.get("FREQ") not in ALLOWED_FREQ:
        raise TimingError("invalid_rrule", "FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY",
                          "rrule")
    if "COUNT" in parts and "UNTIL" in parts:
        raise TimingError("invalid_rrule", "use COUNT or UNTIL, not both", "rrule")
    if "COUNT" in parts and not (parts["COUNT"].isdigit()
                                 and 1 <= int(parts["COUNT"]) <= MAX_OCCURRENCES):
        raise TimingError("invalid_rrule", f"COUNT must be 1 to {MAX_OCCURRENCES}", "rrule")
    if "INTERVAL" in parts and not (parts["INTERVAL"].isdigit()
                                    and 1 <= int(parts["INTERVAL"]) <= 366):
        raise TimingError("invalid_rrule", "INTERVAL must be a whole number from 1 to 366",
                          "rrule")
    if "UNTIL" in parts:
        raw = parts["UNTIL"]
        try:
            if len(raw) == 8:
                local_day = dt.datetime.strptime(raw, "%Y%m%d")
                until = to_utc(local_day.replace(hour=23, minute=59, second=59), tz)
            elif raw.endswith("Z"):
                until = dt.datetime.strptime(raw, KEY_FORMAT)
            else:
                until = to_utc(dt.datetime.strptime(raw, "%Y%m%dT%H%M%S"), tz)
        except ValueError:
            raise TimingError("invalid_rrule", f"UNTIL={raw} is not a date", "rrule") from None
        if not MIN_YEAR <= until.year <= MAX_YEAR:
            raise TimingError("date_out_of_range", f"UNTIL must be between {MIN_YEAR} and "
                              f"{MAX_YEAR}", "rrule")
        parts["UNTIL"] = until.strftime(KEY_FORMAT)
    order = ["FREQ", "INTERVAL", "BYMONTH", "BYWEEKNO", "BYYEARDAY", "BYMONTHDAY", "BYDAY",
             "BYSETPOS", "WKST", "COUNT", "UNTIL"]
    normalised = ";".join(f"{name}={parts[name]}" for name in order if name in parts)
    try:
        rule = build(normalised, start_utc, tz)
        first = rule.after(to_local(start_utc, tz) - dt.timedelta(seconds=1), inc=True)
    except TimingError:
        raise
    except Exception as exc:  # dateutil's messages are precise enough to show
        raise TimingError("invalid_rrule", f"not a valid recurrence rule: {exc}",
                          "rrule") from None
    if first is None:
        raise TimingError("invalid_rrule", "this rule gives no date at all", "rrule")
    last = None
    if "COUNT" in parts or "UNTIL" in parts:
        occurrences = list(rule.xafter(to_local(start_utc, tz), count=MAX_OCCURRENCES + 1,
                                       inc=True))
        if len(occurrences) > MAX_OCCURRENCES:
            raise TimingError("invalid_rrule", f"a series has at most {MAX_OCCURRENCES} "
                              "meetings", "rrule")
        last = occurrences[-1].astimezone(dt.UTC).replace(tzinfo=None)
    return Rule(normalised, last)


def build(rule_text: str, start_utc: dt.datetime, tz: str):
    """The dateutil rule, iterating in local wall-clock time (18:00 stays 18:00 in summer)."""
    return rrulestr("RRULE:" + rule_text, dtstart=to_local(start_utc, tz))


def occurrences_between(rule_text: str, start_utc: dt.datetime, tz: str, after: dt.datetime,
                        before: dt.datetime) -> list[dt.datetime]:
    """Original starts (naive UTC) of a series within [after, before)."""
    rule = build(rule_text, start_utc, tz)
    found = rule.between(to_local(after, "UTC"), to_local(before, "UTC"), inc=True)
    result = [o.astimezone(dt.UTC).replace(tzinfo=None) for o in found]
    return [o for o in result if after <= o < before]


def is_occurrence(rule_text: str, start_utc: dt.datetime, tz: str, when: dt.datetime) -> bool:
    found = occurrences_between(rule_text, start_utc, tz, when, when + dt.timedelta(seconds=1))
    return when in found


def preset_rule(preset: str, start_local: dt.datetime) -> str | None:
    """Rules behind the form's simple choices, computed from the first meeting's date."""
    weekday = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"][start_local.weekday()]
    nth = (start_local.day - 1) // 7 + 1
    return {
        "weekly": f"FREQ=WEEKLY;BYDAY={weekday}",
        "biweekly": f"FREQ=WEEKLY;INTERVAL=2;BYDAY={weekday}",
        "monthly_weekday": f"FREQ=MONTHLY;BYDAY={'-1' if nth == 5 else nth}{weekday}",
        "monthly_day": f"FREQ=MONTHLY;BYMONTHDAY={start_local.day}",
    }.get(preset)

