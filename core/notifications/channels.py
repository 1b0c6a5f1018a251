"""Notification channels: the ways of reaching a person (in-app, e-mail, and what plugins add).

A channel is an object returned by the ``notification_channels()`` hook.  The kernel owns
everything around it -- who is told (fan-out, visibility at sending time, mutes), when (the
person's mode for the channel, urgency, digests), and exactly-once bookkeeping -- and calls the
channel only to *send*, one person at a time, inside the recipient's language.  So a new channel
(the SMS plugin) is one small class and needs nothing new from the kernel::

    class SmsChannel(placette.NotificationChannel):
        name = "sms"                         # the plugin's name, or "<plugin>.<something>"
        label = placette.lazy_gettext("Text messages")
        modes = ("immediate", "off")         # what people may choose on their profile
        default_mode = "off"                 # opt-in

        def available_for(self, user):       # no verified phone: not offered, never called
            return bool(user.phone)

        def send(self, user, items, links):  # items: list[placette.NotificationItem]
            for item in items:
                send_text(user.phone, f"{item.label}: {item.title} {item.url}")
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

MODES = ("immediate", "daily", "weekly", "off")
DIGEST_MODES = ("daily", "weekly")


@dataclass
class NotificationItem:
    """One thing to tell a person, ready to show: texts are already in the recipient's language
    and every URL is absolute (``base_url``), so a channel only lays them out."""

    id: int  # the notification's id
    event: str  # the event type, e.g. "agenda.meeting.moved"
    label: str  # the event type's label, translated
    urgent: bool
    space_name: str
    space_slug: str
    space_url: str
    title: str  # the resource's title, else what the event says, else the space's name
    url: str  # where to look: the resource, the page the event names, or the space
    actor_name: str | None
    created_at: dt.datetime
    data: dict[str, Any] = field(default_factory=dict)
    mute_space_url: str = ""  # one click, no sign-in: stop news of this space
    mute_resource_url: str | None = None  # ... of this item (when the event has a resource)
    # Digests: one item stands for every notification of one item and type of news.
    group_key: str = ""  # what it is grouped on (event type + resource, or data["group"])
    count: int = 1  # how many notifications it stands for
    line: str = ""  # the one-line text: "New note: Budget" or "12 new comments on “Budget”"
    notification_ids: list[int] = field(default_factory=list)  # all of them, oldest first


@dataclass
class NotificationLinks:
    """Per-person links every message should carry."""

    preferences: str  # the profile section where modes are chosen
    unsubscribe: str  # one-click "this channel off" (signed, no sign-in), for List-Unsubscribe
    home: str


class NotificationChannel:
    """Base class of a channel.  Subclass it, set the attributes, implement what your modes need.

    Attributes
        ``name``: unique; a plugin's channel is named after the plugin (``sms``) or prefixed with
        it (``sms.whatsapp``).  ``label``: shown on the profile page.  ``modes``: a subset of
        ``immediate``, ``daily``, ``weekly``, ``off``, in display order.  ``default_mode``: for
        people who never chose.  ``pushes``: ``False`` only for the in-app inbox, which the
        kernel writes itself (the channel is then a preference, nothing is sent).

    Contract of the methods the kernel calls (inside the app context, with the recipient's
    language forced, once per person):
        * ``send(user, items, links)`` -- immediate mode, and urgent events in any mode but
          ``off``.  Called inside the database transaction that records the delivery: raise to
          have it rolled back and retried later; return normally and it will not be sent again.
        * ``send_digest(user, items, links, kind)`` -- ``kind`` is ``daily`` or ``weekly``; only
          called when the channel offers that mode.  Same transaction rule.  The items are
          already grouped: one per item and type of news, ``count`` saying how many
          notifications it stands for, ``line`` its one-line text, ``url`` the newest one's link.
        * ``available_for(user)`` -- ``False`` hides the channel for that person and skips them.
    """

    name: str = ""
    label: Any = ""
    modes: tuple[str, ...] = MODES
    default_mode: str = "daily"
    pushes: bool = True

    def available_for(self, user) -> bool:
        return True

    # The two senders below are the contract, not defaults: :func:`validate` refuses at start-up
    # a pushing channel that does not override the ones its modes need, so the kernel never
    # calls these.

    def send(self, user, items: list[NotificationItem], links: NotificationLinks) -> None:
        """Send these items now (immediate mode, and urgent news in every mode but ``off``)."""
        raise TypeError(f"channel {self.name!r} was not validated: it lacks send()")

    def send_digest(self, user, items: list[NotificationItem], links: NotificationLinks,
                    kind: str) -> None:
        """Send one ``daily`` or ``weekly`` digest of these items."""
        raise TypeError(f"channel {self.name!r} was not validated: it lacks send_digest()")

    def __repr__(self) -> str:
        return f"<NotificationChannel {self.name}>"


def mode_of(user, channel: NotificationChannel) -> str:
    """The person's mode for a channel: their choice if the channel still offers it, else the
    channel's default."""
    prefs = getattr(user, "notification_prefs", None) or {}
    chosen = prefs.get(channel.name)
    return chosen if chosen in channel.modes else channel.default_mode


def wants_now(mode: str, urgent: bool) -> bool:
    """Urgent events go out at once unless the channel is off; the rest only in immediate mode."""
    return mode != "off" if urgent else mode == "immediate"


def validate(channel: Any, plugin: str) -> NotificationChannel:
    """Refuse, at start-up, a channel that breaks the contract (names the plugin)."""
    from ..errors import PluginError
    from ..plugin_manager import KERNEL
    if not isinstance(channel, NotificationChannel):
        raise PluginError(f"plugin '{plugin}': notification_channels() must return "
                          f"placette.NotificationChannel objects, got {channel!r}")
    name = channel.name or ""
    if not name:
        raise PluginError(f"plugin '{plugin}': a notification channel needs a name")
    if plugin != KERNEL and name != plugin and not name.startswith(plugin + "."):
        raise PluginError(f"plugin '{plugin}': channel '{name}' must be named '{plugin}' or "
                          f"'{plugin}.<something>'")
    unknown = [m for m in channel.modes if m not in MODES]
    if unknown or not channel.modes:
        raise PluginError(f"plugin '{plugin}': channel '{name}' has unknown modes {unknown} "
                          f"(choose among {', '.join(MODES)})")
    if channel.default_mode not in channel.modes:
        raise PluginError(f"plugin '{plugin}': channel '{name}' default mode "
                          f"'{channel.default_mode}' is not one of its modes")
    for method in _needed_methods(channel):
        if getattr(type(channel), method) is getattr(NotificationChannel, method):
            raise PluginError(f"plugin '{plugin}': channel '{name}' must implement {method}() "
                              f"(see placette.NotificationChannel)")
    return channel


def _needed_methods(channel: NotificationChannel) -> list[str]:
    """A channel that pushes needs ``send`` (urgent news goes out at once in every mode but
    ``off``); one offering a digest mode needs ``send_digest`` too."""
    if not channel.pushes:
        return []
    needed = ["send"]
    if {"daily", "weekly"} & set(channel.modes):
        needed.append("send_digest")
    return needed


def collect(registry) -> dict[str, NotificationChannel]:
    """Every channel of the activated plugins (and the kernel), validated, by name."""
    from ..errors import PluginError
    found: dict[str, NotificationChannel] = {}
    for plugin, value in registry.call_each("notification_channels", strict=True):
        for channel in value if isinstance(value, (list, tuple)) else [value]:
            validate(channel, plugin)
            if channel.name in found:
                raise PluginError(f"plugin '{plugin}': notification channel "
                                  f"'{channel.name}' is declared twice")
            found[channel.name] = channel
    return found


def channels() -> dict[str, NotificationChannel]:
    """The app's channels (collected at start-up by the kernel's ``startup`` hook)."""
    from ..kernel import current
    kernel = current()
    found = kernel.services.get("notification_channels")
    if found is None:
        found = kernel.services["notification_channels"] = collect(kernel.registry)
    return found


def pushing_channels() -> list[NotificationChannel]:
    return [c for c in channels().values() if c.pushes]
