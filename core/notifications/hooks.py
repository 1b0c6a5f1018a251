"""What notifications and activity plug into the kernel, through the same hooks plugins use
(:mod:`placette.kernel_hooks` forwards to these functions)."""
from __future__ import annotations

from ..declarations import EventType, NavItem
from ..i18n import lazy_gettext as _l

KERNEL_EVENTS = [
    EventType("placette.join_request.created", _l("New request to join")),
    EventType("placette.join_request.accepted", _l("Your request to join was accepted")),
    EventType("placette.space.updated", _l("The presentation of the space changed")),
]


def register_events():
    return KERNEL_EVENTS


def register_tasks(queue) -> None:
    from . import digests, dispatch
    queue.task("placette.events.dispatch", retries=3, retry_delay=30)(dispatch.dispatch)
    queue.task("placette.notifications.deliver", retries=5, retry_delay=120)(dispatch.deliver)
    queue.task("placette.notifications.send_digest", retries=5,
               retry_delay=300)(digests.send_digest)
    queue.periodic("placette.notifications.digests", minute="0")(digests.run_digests)
    queue.periodic("placette.events.sweep", minute="*/5")(dispatch.sweep)


def notification_channels():
    from .kernel_channels import EmailChannel, InAppChannel
    return [InAppChannel(), EmailChannel()]


def nav_items(space, actor):
    if space is None:
        return None
    from flask import url_for
    return [NavItem(_l("Activity"), url_for("activity.page", slug=space.slug), position=800)]


def render_slot(slot, context):
    from .slots import render
    return render(slot, context)


def register_api(api) -> None:
    from .api import register
    register(api)


def startup(app) -> None:
    """Collect and check every channel now (a broken plugin channel stops the start-up, naming
    the plugin), let mail programs unsubscribe in one click, and give templates the bell."""
    from ..kernel import current
    from .channels import collect
    from .web import exempt_from_csrf
    with app.app_context():
        current().services["notification_channels"] = collect(current().registry)
    exempt_from_csrf(app)
    app.jinja_env.globals["unread_notifications"] = unread_for_current_user


def unread_for_current_user() -> str | None:
    """The bell's number for the signed-in person ("99+" beyond), ``None`` when their in-app
    notifications are off or nothing is unread.  One query, once per request."""
    from flask_login import current_user

    from .. import request_cache
    from ..roles import is_signed_in
    from .channels import channels, mode_of
    from .queries import unread_count
    person = current_user._get_current_object()  # the person, not the proxy: read below
    if not is_signed_in(person):
        return None
    inapp = channels().get("inapp")
    if inapp is not None and mode_of(person, inapp) == "off":
        return None

    return request_cache.cached(("unread_notifications", person.id),
                                lambda: bell_number(unread_count(person)))


def bell_number(unread: int) -> str | None:
    """What the bell says for ``unread`` notifications: nothing, the number, or "99+"."""
    from .queries import UNREAD_CAP
    return None if unread == 0 else (f"{UNREAD_CAP}+" if unread > UNREAD_CAP else str(unread))


def remember_unread(person, unread: int) -> None:
    """Give the bell of this request its number when a page has just counted the person's
    unread notifications itself (the inbox): the same gate, one statement fewer."""
    from .. import request_cache
    request_cache.put(("unread_notifications", person.id), bell_number(unread))


def export_user_data(user):
    """The person's notifications, mutes and feed key (RGPD export, under ``placette``)."""
    from ..models import Event, FeedToken, Mute, Notification, Space
    return {
        "notifications": [
            {"event": n.event.name, "space": n.event.space.slug,
             "created_at": n.created_at.isoformat(),
             "read_at": n.read_at.isoformat() if n.read_at else None}
            for n in Notification.select(Notification, Event, Space).join(Event)
            .join(Space).where(Notification.user == user.id).order_by(Notification.id)],
        "mutes": [{"space": m.space_id, "resource": m.resource_id,
                   "created_at": m.created_at.isoformat()}
                  for m in Mute.select().where(Mute.user == user.id)],
        "private_feed_key": FeedToken.select().where(FeedToken.user == user.id).exists(),
    }
