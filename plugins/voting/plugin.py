"""The voting plugin's hook implementations: what it declares to the kernel, in one place.

Entry point: ``voting = "placette_plugins.voting.plugin"`` in the ``placette.plugins`` group.
"""
from __future__ import annotations

import placette
from placette import hookimpl

from .settings import VotingSettings

_l = placette.lazy_gettext
PLUGIN = "voting"


@hookimpl
def register_manifest():
    return placette.PluginManifest(
        name=PLUGIN, title=_l("Votes"), version="1.0.0",
        description=_l("Polls, rating scales, majority judgment and proposals: one ballot "
                       "per person."),
        settings=VotingSettings, default_enabled=True)


@hookimpl
def register_models():
    from .models import MODELS
    return MODELS


@hookimpl
def register_blueprints():
    from .views import bp
    return [bp]


@hookimpl
def register_actions():
    return [
        placette.Action("voting.view", "guest", _l("See polls, results and proposals")),
        placette.Action("voting.poll.manage", "animator",
                        _l("Open, close polls and turn proposals into options")),
        placette.Action("voting.proposal.create", "guest", _l("Add proposals")),
        placette.Action("voting.proposal.support", "guest", _l("Support proposals")),
        placette.Action("voting.proposal.answer", "animator", _l("Answer proposals")),
    ]


@hookimpl
def permission_check(actor, action, target, space):
    """Who proposes follows the space's setting (guests, members or animators)."""
    if action != "voting.proposal.create" or space is None:
        return None
    if not getattr(actor, "is_authenticated", False):
        return False
    needed = placette.settings_of(space, PLUGIN).who_proposes
    order = ["guest", "member", "animator", "admin"]
    role = placette.role_in(actor, space)
    if role not in order:
        return None
    return order.index(role) >= order.index(needed[:-1])


@hookimpl
def nav_items(space, actor):
    from flask import url_for
    if space is None:
        return []
    return [placette.NavItem(_l("Votes"), url_for("voting.index", space=space.slug),
                             plugin=PLUGIN, position=40)]


@hookimpl
def register_resource_kinds():
    return [placette.ResourceKind(PLUGIN, "poll", _l("Poll"), _l("Polls")),
            placette.ResourceKind(PLUGIN, "proposal", _l("Proposal"), _l("Proposals"))]


@hookimpl
def register_events():
    return [
        placette.EventType("voting.poll.opened", _l("A vote is open")),
        placette.EventType("voting.poll.closing", _l("A vote closes soon"), "urgent"),
        placette.EventType("voting.poll.results", _l("Results are out")),
        placette.EventType("voting.proposal.answered", _l("A proposal was answered")),
    ]


@hookimpl
def register_tasks(queue):
    from . import service

    @queue.periodic("voting.closing_soon", minute="*/10")
    def closing_soon():
        return service.announce_closing_soon()


@hookimpl
def register_api(api):
    from .api import register
    register(api)


@hookimpl
def search_documents(resource):
    if resource is None or getattr(resource, "plugin", None) != PLUGIN:
        return None
    from .models import Option, Poll, Proposal
    if resource.kind == "poll":
        poll = Poll.get_or_none(Poll.id == int(resource.object_id))
        if poll is None:
            return None
        labels = [o.label for o in Option.select(Option.label).where(Option.poll == poll.id)]
        return " ".join([poll.title, placette.plain_text(poll.description), *labels])
    proposal = Proposal.get_or_none(Proposal.id == int(resource.object_id))
    if proposal is None:
        return None
    return " ".join([proposal.title, placette.plain_text(proposal.body), proposal.reason])


@hookimpl
def showcase_items(space, actor):
    from .slots import showcase
    return showcase(space, actor)


@hookimpl
def showcase_item(resource, actor):
    from .slots import showcase_item
    return showcase_item(resource, actor)


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
