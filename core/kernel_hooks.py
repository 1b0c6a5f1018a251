"""The kernel's own hook implementations: it declares its actions, tasks and API like any plugin.

Registered under the name ``placette`` and always on.  Keeping kernel features on the same hooks
proves the hooks are enough, and gives plugin authors a complete example in one file.
"""
from __future__ import annotations

from pathlib import Path

from .declarations import Action
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
    ]


@hookimpl
def register_tasks(queue):
    from .mail import deliver_raw
    from .notifications import hooks as notifications
    queue.task("placette.mail.deliver", retries=5, retry_delay=60)(deliver_raw)
    notifications.register_tasks(queue)


@hookimpl
def register_api(api):
    from .api.views import register
    from .notifications import hooks as notifications
    register(api)
    notifications.register_api(api)


# -- notifications and activity (placette.notifications) ------------------------------------------

@hookimpl
def register_events():
    from .notifications import hooks as notifications
    return notifications.register_events()


@hookimpl
def notification_channels():
    from .notifications import hooks as notifications
    return notifications.notification_channels()


@hookimpl
def nav_items(space, actor):
    from .notifications import hooks as notifications
    return notifications.nav_items(space, actor)


@hookimpl
def render_slot(slot, context):
    """Kernel blocks in slots.  One implementation for the whole kernel: add a service's
    renderers here rather than a second ``render_slot`` (it would replace this one)."""
    from .notifications import hooks as notifications
    return notifications.render_slot(slot, context)


@hookimpl
def startup(app):
    from .notifications import hooks as notifications
    notifications.startup(app)


@hookimpl
def export_user_data(user):
    from .notifications import hooks as notifications
    return notifications.export_user_data(user)


@hookimpl
def register_migrations():
    return Path(__file__).parent / "migrations"
