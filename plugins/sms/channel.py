"""The kernel's notification channel ``sms``: who gets a text, for which news.

The kernel decides who is told and when, and records each delivery once; this channel only
turns an item into a text and queues it.  It is offered (``available_for``) to people with a
verified number that was not stopped, and is off until they switch it on (opt-in).  It sends
only what the space chose (``events`` setting: reminders, meetings moved or cancelled, a seat
freed up) where the module is on -- every other piece of news stays in e-mail and the bell.
"""
from __future__ import annotations

import placette

from . import compose, sending
from .models import Phone
from .settings import EVENT_CHOICES

_l = placette.lazy_gettext


class SmsChannel(placette.NotificationChannel):
    name = "sms"
    label = _l("Text messages (reminders and urgent changes)")
    modes = ("immediate", "off")
    default_mode = "off"

    def available_for(self, user) -> bool:
        return (Phone.select().where((Phone.user == user.id) & Phone.verified_at.is_null(False)
                                     & Phone.stopped_at.is_null()).exists())

    def send(self, user, items, links) -> None:
        phone = Phone.get_or_none(Phone.user == user.id)
        if phone is None or not phone.reachable:
            return
        for item in items:
            space = placette.Space.get_or_none(placette.Space.slug == item.space_slug)
            if space is None or not placette.is_enabled(space, "sms"):
                continue
            settings = placette.settings_of(space, "sms")
            wanted = {EVENT_CHOICES[e] for e in settings.events}
            if item.event not in wanted:
                continue
            data = item.data or {}
            sending.queue_text(
                key=f"notification:{item.id}:{user.id}", number=phone.number,
                body=compose.notification(item, links, settings.plain_letters),
                kind="notification", user_id=user.id, space=space, event=item.event,
                meeting=data.get("meeting") if isinstance(data.get("meeting"), int) else None,
                occurrence=str(data.get("occurrence") or ""), plain=settings.plain_letters)
