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
    queue.task("placette.mail.deliver", retries=5, retry_delay=60)(deliver_raw)


@hookimpl
def register_api(api):
    from .api.views import register
    register(api)


@hookimpl
def register_migrations():
    return Path(__file__).parent / "migrations"
