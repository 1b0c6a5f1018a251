"""The words of each text, in the reader's language (called inside the kernel's
``force_locale``), kept to one segment where the words allow (see :mod:`.text`)."""
from __future__ import annotations

import datetime as dt

import placette

from . import links, text

_ = placette._


def _when(iso: str | None) -> str:
    if not iso:
        return ""
    try:
        moment = dt.datetime.fromisoformat(iso)
    except ValueError:
        return ""
    return placette.format_datetime(moment, "EEE d MMM HH:mm")


def notification(item, person_links, plain: bool) -> str:
    """One text for one notification item (a reminder, a meeting moved or cancelled, a seat)."""
    two_way = placette.current_config().sms.two_way
    link = links.short(item.url)
    data = item.data or {}
    when = _when(data.get("starts_at"))
    if item.event == "agenda.meeting.reminder":
        tail = (_("Coming? Reply YES, NO or MAYBE.") if two_way
                else _("Answer on the site. Stop: %(url)s",
                       url=links.short(person_links.unsubscribe)))
    else:
        tail = (_("STOP to stop texts.") if two_way
                else _("Stop: %(url)s", url=links.short(person_links.unsubscribe)))
    title = f"{item.title}," if when else f"{item.title}."
    parts = [_("%(label)s:", label=item.label), title, f"{when}." if when else "", link, tail]
    return text.fit(parts, 1, plain)


def code(value: str) -> str:
    return _("%(code)s is your confirmation code for %(city)s. It expires in 10 minutes.",
             code=value, city=placette.current_config().city)


def rsvp_recorded(answer: str, title: str, plain: bool = True) -> str:
    words = {"yes": _("YES"), "no": _("NO"), "maybe": _("MAYBE")}
    return text.fit([_("Answer recorded: %(answer)s for", answer=words[answer]), f"{title}.",
                     _("Thank you!")], 1, plain)


def rsvp_waiting(title: str, plain: bool = True) -> str:
    return text.fit([_("The meeting is full: you are on the waiting list for"), f"{title}.",
                     _("You will be told if a seat frees up.")], 1, plain)


def rsvp_refused(title: str, plain: bool = True) -> str:
    return text.fit([_("Your answer could not be recorded for"), f"{title}.",
                     _("See the meeting's page.")], 1, plain)


def help_text() -> str:
    return text.normalise(_("Reply YES, NO or MAYBE to the latest reminder, STOP to stop "
                            "texts, START to receive them again."))

