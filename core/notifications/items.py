"""How an event reads to people: one description shared by the bell, the activity pages, feeds,
the API and every channel, so they can never disagree about what happened or where it points."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..i18n import gettext
from ..kernel import registry
from ..models import Event
from . import links
from .channels import NotificationItem


@dataclass
class Described:
    label: str
    title: str
    path: str  # site-relative link
    space_name: str
    space_slug: str
    actor_name: str | None


def describe(event: Event) -> Described:
    """Label (translated in the current locale), title and link of an event.

    The link is the resource's page; an event may name another page of the site in
    ``data["url"]`` (a path starting with ``/`` -- never an outside address, so a mail cannot be
    turned into a phishing relay); otherwise the space's home.
    """
    declared = registry().event_types.get(event.name)
    label = str(declared.label) if declared is not None and declared.label else event.name
    space = event.space
    resource = event.resource if event.resource_id is not None else None
    data = event.data if isinstance(event.data, dict) else {}
    named = data.get("url")
    if _site_path(named):
        path = named
    elif resource is not None and _site_path(resource.url):
        path = resource.url
    else:
        path = f"/s/{space.slug}"
    title = resource.title if resource is not None else (
        str(data["title"]) if isinstance(data.get("title"), str) and data["title"] else space.name)
    actor = event.actor if event.actor_id is not None else None
    return Described(label=label, title=title, path=path, space_name=space.name,
                     space_slug=space.slug,
                     actor_name=actor.display_name if actor is not None else None)


def _site_path(value) -> bool:
    return isinstance(value, str) and value.startswith("/") and not value.startswith("//") \
        and "\\" not in value


def group_key(notification_id: int, event: Event) -> str:
    """What makes several notifications "the same news" in a digest: the event type and the
    resource it is about (a recurring meeting's dates share the series' resource, comments the
    commented resource), or, for an event without a resource, the ``data["group"]`` string its
    plugin gave.  Anything else stands alone."""
    data = event.data if isinstance(event.data, dict) else {}
    if event.resource_id is not None:
        return f"{event.name}|r{event.resource_id}"
    if isinstance(data.get("group"), str) and data["group"]:
        return f"{event.name}|s{event.space_id}|g{data['group']}"
    return f"n{notification_id}"


def item_for(notification_id: int, event: Event, user, urgent: bool) -> NotificationItem:
    """A channel-ready item for one person (call inside ``force_locale(user.language)``)."""
    text = describe(event)
    data: dict[str, Any] = event.data if isinstance(event.data, dict) else {}
    return NotificationItem(
        id=notification_id, event=event.name, label=text.label, urgent=urgent,
        space_name=text.space_name, space_slug=text.space_slug,
        space_url=links.absolute(f"/s/{text.space_slug}"), title=text.title,
        url=links.absolute(text.path), actor_name=text.actor_name, created_at=event.created_at,
        data=dict(data),
        mute_space_url=links.mute_url(user.id, space_id=event.space_id),
        mute_resource_url=(links.mute_url(user.id, resource_id=event.resource_id)
                           if event.resource_id is not None else None),
        group_key=group_key(notification_id, event),
        line=gettext("%(label)s: %(title)s", label=text.label, title=text.title),
        notification_ids=[notification_id])
