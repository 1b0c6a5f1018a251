"""The agenda's hook implementations: what it declares to the kernel, in one place.

Entry point: ``agenda = "placette_plugins.agenda.plugin"`` in the ``placette.plugins`` group.
"""
from __future__ import annotations

import placette
from placette import hookimpl

from .settings import AgendaSettings

_l = placette.lazy_gettext
PLUGIN = "agenda"


@hookimpl
def register_manifest():
    return placette.PluginManifest(
        name=PLUGIN, title=_l("Agenda"), version="1.0.0",
        description=_l("Meetings, answers, reminders, minutes and calendar feeds."),
        settings=AgendaSettings, default_enabled=True)


@hookimpl
def register_models():
    from .models import MODELS
    return MODELS


@hookimpl
def register_blueprints():
    from .views import city, space
    return [space.bp, city.bp]


@hookimpl
def register_actions():
    return [
        placette.Action("agenda.meeting.create", "animator", _l("Publish meetings")),
        placette.Action("agenda.meeting.edit", "animator", _l("Change, move meetings")),
        placette.Action("agenda.meeting.cancel", "animator", _l("Cancel meetings")),
        placette.Action("agenda.meeting.rsvp", "guest", _l("Say whether one comes")),
        placette.Action("agenda.attendees.view", "animator",
                        _l("See and export who comes")),
        placette.Action("agenda.minutes.edit", "animator", _l("Write the minutes")),
    ]


# What only the meeting's own space may do to a joint meeting: the spaces it is linked to show
# it (and their members may answer), but changing it or reading who comes -- names and e-mails
# of people from every linked space, a private group's included -- belongs to its organisers.
OWNER_ACTIONS = ("agenda.meeting.edit", "agenda.meeting.cancel", "agenda.minutes.edit",
                 "agenda.attendees.view")


_VOTED = frozenset(OWNER_ACTIONS) | {"agenda.meeting.create"}


@hookimpl
def permission_check(actor, action, target, space):
    """Members publish where the space's settings say so; authors keep their own meetings;
    a joint meeting is changed, and its attendees seen, only through its own space's roles."""
    # Every permission check of every enabled space asks every plugin's vote: the actions this
    # one has no say in are answered before anything is read.
    if action not in _VOTED or space is None or not getattr(actor, "is_authenticated", False):
        return None
    from .models import Meeting
    if isinstance(target, Meeting) and action in OWNER_ACTIONS:
        return _owner_vote(actor, action, target)
    role = placette.role_in(actor, space)
    return _create_vote(actor, action, space, role)


def _create_vote(actor, action, space, role):
    if action == "agenda.meeting.create" and role == "member":
        if placette.settings_of(space, PLUGIN).who_creates == "members":
            return True
    return None


def _owner_vote(actor, action, meeting):
    """Judge an owner action by the meeting's home space alone (any other linked space's
    animators are refused); the author keeps their own meeting where members publish."""
    home = meeting.space_id
    role = placette.role_in(actor, home)
    if (action != "agenda.attendees.view" and meeting.author_id == actor.id
            and role in ("member", "animator", "admin")
            and placette.settings_of(home, PLUGIN).who_creates == "members"):
        return True
    if getattr(actor, "is_admin", False):
        return None
    return None if placette.has_role(actor, action, home) else False


@hookimpl
def nav_items(space, actor):
    from flask import url_for
    if space is None:
        return [placette.NavItem(_l("Agenda"), url_for("agenda_city.index"), plugin=PLUGIN,
                                 position=20)]
    return [placette.NavItem(_l("Agenda"), url_for("agenda.index", space=space.slug),
                             plugin=PLUGIN, position=10)]


@hookimpl
def render_slot(slot, context):
    from . import slots
    if slot == "dashboard.main":
        return slots.my_next_meetings(context)
    if slot == "space.home" and context.space is not None:
        return slots.space_next_meetings(context)
    return None


@hookimpl
def register_resource_kinds():
    return [placette.ResourceKind(PLUGIN, "meeting", _l("Meeting"), _l("Meetings"))]


@hookimpl
def register_events():
    return [
        placette.EventType("agenda.meeting.created", _l("A meeting was announced")),
        placette.EventType("agenda.meeting.updated", _l("A meeting was changed")),
        # Told at once to everyone concerned (recipients), and news of the space all the same:
        # on its Activity page for whoever may see the meeting.
        placette.EventType("agenda.meeting.moved", _l("A meeting was moved"), "urgent",
                           activity=True),
        placette.EventType("agenda.meeting.cancelled", _l("A meeting was cancelled"),
                           "urgent", activity=True),
        placette.EventType("agenda.meeting.reminder", _l("Meeting reminder"), "urgent"),
        # The dates of a series share its resource: their minutes make one digest line.
        placette.EventType("agenda.meeting.minutes", _l("Minutes were published"),
                           grouped=placette.plural_label(
                               "%(num)d minutes published for “%(title)s”",
                               "%(num)d minutes published for “%(title)s”")),
        placette.EventType("agenda.rsvp.promoted", _l("A seat freed up for you"), "urgent"),
        # Told to nobody: the plugin that asked for an answer by event (sms) hears the outcome.
        placette.EventType("agenda.rsvp.answered", _l("An answer given another way was "
                                                       "recorded")),
    ]


@hookimpl
def event_listeners():
    """Answers given elsewhere: a reply to a text reminder (the sms plugin's event; the agenda
    does not import it, and works without it)."""
    from .rsvp import answer_by_event
    return {"sms.reply.rsvp": answer_by_event}


@hookimpl
def register_tasks(queue):
    from . import occurrences, reminders

    @queue.task("agenda.send_reminders", retries=2, retry_delay=30)
    def send_reminders():
        """Emit due reminders (safe to run many times at once: markers dedupe)."""
        return reminders.send_due()

    @queue.periodic("agenda.reminders", minute="*")
    def reminders_every_minute():
        return reminders.send_due()

    @queue.periodic("agenda.extend_series", minute="17", hour="3")
    def extend_series_daily():
        return occurrences.extend_series()


@hookimpl
def register_api(api):
    from .api import register
    register(api)


@hookimpl
def search_documents(resource):
    if resource is None or getattr(resource, "plugin", None) != PLUGIN:
        return None
    from .models import Meeting
    meeting = Meeting.get_or_none(Meeting.id == int(resource.object_id))
    if meeting is None:
        return None
    return " ".join(p for p in (meeting.title, placette.plain_text(meeting.description),
                                meeting.address, meeting.room) if p)


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


@hookimpl
def register_assets():
    return {"agenda/css": ["agenda.css"]}


@hookimpl
def showcase_items(space, actor):
    from .showcase import items
    return items(space, actor)


@hookimpl
def showcase_item(resource, actor):
    from .showcase import item
    return item(resource, actor)
