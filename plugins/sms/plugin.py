"""The sms plugin's hook implementations: what it declares to the kernel, in one place.

Entry point: ``sms = "placette_plugins.sms.plugin"`` in the ``placette.plugins`` group.  It
imports no other plugin: it hears the agenda through the kernel's notifications (urgent events
and reminders reach its channel) and answers it through an event (``sms.reply.rsvp``).
"""
from __future__ import annotations

import placette
from placette import hookimpl

from .settings import SmsSettings

_l = placette.lazy_gettext
PLUGIN = "sms"


@hookimpl
def register_manifest():
    return placette.PluginManifest(
        name=PLUGIN, title=_l("Text messages"), version="1.0.0",
        description=_l("Meeting reminders and urgent changes by text (Twilio), answers by "
                       "reply, a monthly budget per space."),
        settings=SmsSettings, default_enabled=True)


@hookimpl
def register_models():
    from .models import MODELS
    return MODELS


@hookimpl
def register_blueprints():
    from .views import bp, web
    return [bp, web]


@hookimpl
def startup(app):
    """Twilio's webhooks carry its signature, not a CSRF token."""
    csrf = app.extensions["csrf"]
    csrf.exempt("placette_plugins.sms.webhooks.twilio_inbound")
    csrf.exempt("placette_plugins.sms.webhooks.twilio_status")


@hookimpl
def register_actions():
    return [placette.Action("sms.log.view", "animator",
                            _l("See the texts sent in the space and their cost"))]


@hookimpl
def nav_items(space, actor):
    from flask import url_for
    if space is None or not placette.can(actor, "sms.log.view", space):
        return []
    return [placette.NavItem(_l("Texts"), url_for("sms.index", space=space.slug),
                             plugin=PLUGIN, position=90)]


@hookimpl
def render_slot(slot, context):
    if slot != "profile.sections":
        return None
    from .slots import profile_section
    return profile_section(context.actor)


@hookimpl
def register_events():
    return [
        placette.EventType("sms.reply.rsvp", _l("Answer given by text")),
        placette.EventType("sms.budget.warning", _l("Text messages: 80 percent of the monthly "
                                                    "budget used"), "urgent"),
        placette.EventType("sms.budget.reached", _l("Text messages: monthly budget used up, "
                                                    "nothing more is sent"), "urgent"),
    ]


@hookimpl
def event_listeners():
    """The agenda tells back what it recorded of an answer given by text: confirm it then."""
    from .inbound import confirm_rsvp
    return {"agenda.rsvp.answered": confirm_rsvp}


@hookimpl
def notification_channels():
    from .channel import SmsChannel
    return [SmsChannel()]


@hookimpl
def register_tasks(queue):
    from . import retention, sending

    # The task re-queues itself with backoff on 429/5xx; huey's own retries cover the rest
    # (the database briefly away): the claim makes any second run a no-op.
    queue.task("sms.send", retries=2, retry_delay=60)(sending.send)

    @queue.periodic("sms.sweep", minute="*/5")
    def sweep():
        """Texts whose hand-over to the queue was lost (a crash between commit and enqueue)
        are queued again; a text claimed by a worker that died while calling the provider is
        marked ``unknown`` -- never sent again, since it may have left."""
        return sending.sweep()

    @queue.periodic("sms.retention", minute="20", hour="4")
    def erase_old_bodies():
        return retention.erase_old_bodies()


@hookimpl
def register_api(api):
    from .api import register
    register(api)


@hookimpl
def export_user_data(user):
    from .rgpd import export
    return export(user)


@hookimpl
def erase_user_data(user):
    from .rgpd import erase
    erase(user)


@hookimpl
def seed_demo(city):
    from .demo import seed
    return seed(city)
