"""The kernel's own hook implementations: it declares its actions, tasks and API like any plugin.

Registered under the name ``placette`` and always on.  Keeping kernel features on the same hooks
proves the hooks are enough, and gives plugin authors a complete example in one file.
"""
from __future__ import annotations

from pathlib import Path

from .declarations import Action, EventType, ResourceKind
from .hookspecs import hookimpl
from .i18n import lazy_gettext as _l


@hookimpl
def register_actions():
    return [
        Action("space.members.view", "guest", _l("See the member list")),
        Action("space.members.manage", "animator", _l("Manage members and their roles")),
        Action("space.invite", "animator", _l("Invite people")),
        Action("space.join_requests.review", "animator", _l("Answer requests to join")),
        Action("space.edit", "animator", _l("Edit the space's description")),
        Action("space.modules.manage", "admin", _l("Switch modules and their settings")),
        Action("space.grants.manage", "admin", _l("Adjust who may do what")),
        Action("space.create", "admin", _l("Create spaces")),
        Action("space.join", "authenticated", _l("Ask to join")),
        Action("audit.view", "admin", _l("Read the audit log")),
        Action("users.manage", "admin", _l("Manage accounts")),
        Action("resource.report", "authenticated", _l("Report a contribution to the animators")),
        Action("space.moderate", "animator", _l("Review reported and pending contributions")),
        Action("space.moderation.configure", "animator",
               _l("Set the report threshold and pre-moderation")),
    ]


@hookimpl
def register_events():
    from .notifications import hooks as notifications
    return notifications.register_events() + [
        EventType("placette.moderation.decided", _l("A moderator decided on your contribution")),
        EventType("placette.moderation.review_needed", _l("A contribution awaits review")),
        EventType("placette.moderation.hidden_by_reports",
                  _l("Hidden after several reports, awaits your review")),
        # Told to nobody: the showcase completes shown photos once their thumbnails exist.
        EventType("placette.showcase.files_ready",
                  _l("The smaller copies of a photo are ready")),
    ]


@hookimpl
def register_resource_kinds():
    return [ResourceKind("placette", "note", _l("Note"), _l("Notes"))]


@hookimpl
def render_slot(slot, context):
    """Kernel blocks in slots.  One implementation for the whole kernel (Python keeps only the
    last function of a name): add a service's renderers here."""
    from markupsafe import Markup

    from .moderation.slots import resource_footer
    from .notifications import hooks as notifications
    parts = [notifications.render_slot(slot, context)]
    if slot == "resource.footer":
        parts.append(resource_footer(context))
    parts = [p for p in parts if p]
    return Markup("\n").join(parts) if parts else None


@hookimpl
def nav_items(space, actor):
    from .moderation.slots import moderation_nav
    from .notifications import hooks as notifications
    items = []
    for found in (notifications.nav_items(space, actor), moderation_nav(space, actor)):
        if found is not None:
            items.extend(found if isinstance(found, (list, tuple)) else [found])
    return items


@hookimpl
def register_tasks(queue):
    from .mail import deliver_raw
    from .notifications import hooks as notifications
    from .db import refresh_statistics
    from .events import listen
    queue.task("placette.mail.deliver", retries=5, retry_delay=60)(deliver_raw)
    queue.task("placette.events.listen", retries=3, retry_delay=60)(listen)
    queue.periodic("placette.db.statistics", minute="30", hour="3")(refresh_statistics)
    # tasks kept in the database while the queue's Redis did not answer (placette.models.tasks)
    queue.periodic("placette.tasks.resend", minute="*")(lambda: queue.resend_pending())
    notifications.register_tasks(queue)


@hookimpl
def register_api(api):
    from .api import moderation_search
    from .api.views import register
    from .notifications import hooks as notifications
    register(api)
    moderation_search.register(api)
    notifications.register_api(api)


# -- notifications and activity (placette.notifications) ------------------------------------------

@hookimpl
def notification_channels():
    from .notifications import hooks as notifications
    return notifications.notification_channels()


@hookimpl
def startup(app):
    from .events import listeners
    from .notifications import hooks as notifications
    notifications.startup(app)
    with app.app_context():
        listeners()  # a listener of an undeclared event stops the start, naming the plugin


@hookimpl
def export_user_data(user):
    from .notifications import hooks as notifications
    return notifications.export_user_data(user)


@hookimpl
def register_migrations():
    return Path(__file__).parent / "migrations"
