"""Reports and decisions: the rules of moderation, shared by the pages and the API.

* Anyone signed in who can see a resource may report it (once while their report is open).
* When as many different people as the space's ``report_threshold`` have open reports, the
  resource is hidden until an animator reviews it.
* A space may hold each person's first ``premoderation_count`` contributions for review: they are
  published ``pending`` (see :func:`initial_state`, called by ``publish_resource``).
* Animators of the space (``space.moderate``) decide: approve, hide with a reason the author
  reads, or restore.  Every decision -- and every automatic hiding -- goes to the audit log, and
  the author is notified through the ``placette.moderation.decided`` event.
"""
from __future__ import annotations

from typing import Any

from .. import audit
from ..db import atomic, utcnow
from ..errors import PlacetteError
from ..kernel import registry
from ..models import REPORT_CATEGORIES, Membership, ModerationCase, Report, Resource, Space, User
from ..models.moderation import queue_rank
from .visibility import held_back
from ..permissions import can, can_read
from ..plugin_manager import KERNEL
from ..roles import is_city_admin, is_signed_in
from ..space_settings import space_settings
from .visibility import MODERATE, state_of

DECISIONS = ("approve", "hide", "restore")
MAX_REASON = 2000

EVENT_DECIDED = "placette.moderation.decided"
EVENT_REVIEW = "placette.moderation.review_needed"
# A separate event, so the animators' second notice about the same item (it has now been hidden)
# reads differently from the first ("awaits review") instead of repeating it.
EVENT_HIDDEN = "placette.moderation.hidden_by_reports"


class ModerationError(PlacetteError):
    """A moderation request that cannot be honoured; ``code`` is stable (API), ``status`` HTTP."""

    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


def not_found() -> ModerationError:
    return ModerationError(404, "not_found", "not found")


# -- finding a resource as the actor may see it -------------------------------------------------

def parse_key(key: str) -> tuple[str, str, str]:
    """``"agenda.meeting:12"`` -> ``("agenda", "meeting", "12")``; a malformed key is a 404."""
    left, sep, object_id = (key or "").strip().partition(":")
    plugin, dot, kind = left.partition(".")
    if not (sep and dot and plugin and kind and object_id) or len(key) > 200:
        raise not_found()
    return plugin, kind, object_id


def is_module_on(resource: Resource) -> bool:
    if resource.plugin == KERNEL:
        return True
    if resource.plugin not in registry().plugins:
        return False
    from ..modules import is_enabled
    return is_enabled(resource.space_id, resource.plugin)


def visible_resource(actor: Any, plugin: str, kind: str, object_id: Any) -> Resource:
    """The resource if ``actor`` may see it (read rights, module on, moderation); else 404."""
    resource = (Resource.select(Resource, Space).join(Space)
                .where((Resource.plugin == plugin) & (Resource.kind == kind)
                       & (Resource.object_id == str(object_id))).first())
    if resource is None or not may_see(actor, resource):
        raise not_found()
    return resource


def may_see(actor: Any, resource: Resource) -> bool:
    return (can_read(actor, resource.space, resource.visibility) and is_module_on(resource)
            and state_of(resource).visible_to(actor))


def moderates(actor: Any, space: Space) -> bool:
    return can(actor, MODERATE, space)


# -- reports ------------------------------------------------------------------------------------

def report(actor: Any, resource: Resource, reason: str, category: str = "other"
           ) -> tuple[Report, bool]:
    """Record ``actor``'s report; returns ``(report, created)`` (``False``: their open report was
    updated).  Hides the resource when the space's threshold is reached."""
    if not is_signed_in(actor):
        raise ModerationError(401, "unauthenticated", "sign in to report")
    if not may_see(actor, resource):
        raise not_found()
    if not can(actor, "resource.report", resource):
        raise ModerationError(403, "forbidden", "you may not report here")
    if category not in REPORT_CATEGORIES:
        raise ModerationError(422, "invalid_category",
                              f"category must be one of {', '.join(REPORT_CATEGORIES)}")
    reason = (reason or "").strip()
    if len(reason) > MAX_REASON:
        raise ModerationError(422, "reason_too_long", f"at most {MAX_REASON} characters")
    if category == "other" and not reason:
        raise ModerationError(422, "reason_required", "say what is wrong")
    if resource.author_id is not None and resource.author_id == actor.id:
        raise ModerationError(409, "own_resource", "you cannot report your own contribution")
    now = utcnow()
    with atomic():
        existing = (Report.select().where((Report.resource == resource.id)
                                          & (Report.reporter == actor.id)
                                          & Report.closed_at.is_null()).first())
        if existing is not None:
            existing.category, existing.reason = category, reason
            existing.save()
            return existing, False
        created = Report.create(resource=resource.id, reporter=actor.id, category=category,
                                reason=reason, created_at=now)
        case, opened = open_case(resource, "reports")
        case.report_count = (Report.select(Report.reporter).distinct()
                             .where((Report.resource == resource.id)
                                    & Report.closed_at.is_null()).count())
        case.last_report_at = now
        case.save()
        threshold = space_settings(resource.space_id).report_threshold
        hidden_now = False
        if case.report_count >= threshold and resource.state == "visible":
            _set_state(resource, "hidden")
            hidden_now = True
            audit.record(None, "moderation.auto_hide", target=resource.key,
                         space=resource.space_id, before={"state": "visible"},
                         after={"state": "hidden", "reports": case.report_count,
                                "threshold": threshold})
        if opened or hidden_now:
            _tell_animators(resource, "reports", hidden=hidden_now,
                            reports=case.report_count)
    return created, True


def open_case(resource: Resource, trigger: str) -> tuple[ModerationCase, bool]:
    """The resource's open case, opening (or re-opening) one if needed."""
    case = ModerationCase.get_or_none(ModerationCase.resource == resource.id)
    if case is None:
        return ModerationCase.create(resource=resource.id, trigger=trigger, opened_at=utcnow(),
                                     **_queue_place(resource)), True
    if case.open:
        return case, False
    case.open, case.trigger, case.opened_at, case.report_count = True, trigger, utcnow(), 0
    for name, value in _queue_place(resource).items():
        setattr(case, name, value)
    case.save()
    return case, True


def _queue_place(resource: Resource) -> dict:
    """What a case keeps of its resource for the queue (see ``ModerationCase``)."""
    return {"space_id": resource.space_id, "plugin": resource.plugin,
            "rank": queue_rank(resource.state)}


# -- pre-moderation ----------------------------------------------------------------------------

def initial_state(space_id: int, author_id: int | None) -> str:
    """``pending`` for a newcomer's first contributions where the space asks for it.

    A person stays a newcomer in a space until ``premoderation_count`` of their contributions
    there are visible (approved, or published before the setting); the space's moderators and
    city admins never wait.
    """
    if author_id is None:
        return "visible"
    wanted = space_settings(space_id).premoderation_count
    if wanted <= 0:
        return "visible"
    author = User.get_or_none(User.id == author_id)
    if author is None or is_city_admin(author):
        return "visible"
    space = Space.get_by_id(space_id)
    if moderates(author, space):
        return "visible"
    approved = Resource.select().where((Resource.author == author_id)
                                       & (Resource.space == space_id)
                                       & ~held_back(Resource)).count()
    return "pending" if approved < wanted else "visible"


def hold_for_review(resource: Resource) -> None:
    """Open the review case of a contribution published ``pending`` (called by publish)."""
    case, _opened = open_case(resource, "premoderation")
    _tell_animators(resource, "premoderation", hidden=False, reports=0)


# -- decisions ---------------------------------------------------------------------------------

def decide(actor: Any, case: ModerationCase, decision: str, reason: str = "") -> Resource:
    """Apply an animator's decision to a case; audited, and the author is notified."""
    resource = (Resource.select(Resource, Space).join(Space)
                .where(Resource.id == case.resource_id).first())
    if resource is None or not can_read(actor, resource.space, resource.visibility) \
            or not moderates(actor, resource.space):
        raise not_found()
    if decision not in DECISIONS:
        raise ModerationError(422, "invalid_decision",
                              f"decision must be one of {', '.join(DECISIONS)}")
    reason = (reason or "").strip()
    if decision == "hide" and not reason:
        raise ModerationError(422, "reason_required", "give the author a reason")
    if len(reason) > MAX_REASON:
        raise ModerationError(422, "reason_too_long", f"at most {MAX_REASON} characters")
    if decision == "restore" and resource.state != "hidden":
        raise ModerationError(409, "not_hidden", "only a hidden contribution can be restored")
    if decision == "approve" and not case.open and resource.state == "visible":
        raise ModerationError(409, "nothing_to_approve", "this contribution awaits no review")
    before = {"state": resource.state, "open": case.open, "reports": case.report_count}
    new_state = "hidden" if decision == "hide" else "visible"
    now = utcnow()
    with atomic():
        _set_state(resource, new_state)
        Report.update(closed_at=now).where((Report.resource == resource.id)
                                           & Report.closed_at.is_null()).execute()
        case.open = False
        case.report_count = 0
        case.decision = decision
        case.author_reason = reason if decision == "hide" else ""
        case.decided_by = actor.id
        case.decided_at = now
        case.save()
        audit.record(actor, f"moderation.{decision}", target=resource.key, space=resource.space,
                     before=before, after={"state": new_state, "reason": reason})
        if decision == "approve" and before["state"] == "pending":
            # the owning plugin may now do what it held back (tell followers...)
            registry().call_each("resource_approved", only={resource.plugin},
                                 resource=resource, actor=actor)
        if resource.author_id is not None and resource.author_id != actor.id:
            from ..events import emit
            emit(EVENT_DECIDED, space=resource.space, resource=resource, actor=actor,
                 data={"decision": decision, "state": new_state, "reason": reason,
                       "title": resource.title, "url": resource.url},
                 recipients=[resource.author_id])
    return resource


def _set_state(resource: Resource, state: str) -> None:
    Resource.update(state=state).where(Resource.id == resource.id).execute()
    # the case's place in the queue follows (hidden ones first)
    ModerationCase.update(rank=queue_rank(state)).where(
        ModerationCase.resource == resource.id).execute()
    resource.state = state


def _tell_animators(resource: Resource, trigger: str, hidden: bool, reports: int) -> None:
    from ..events import emit
    from ..spaces import active_memberships
    animators = [uid for (uid,) in active_memberships().select(Membership.user)
                 .where((Membership.space == resource.space_id)
                        & Membership.role.in_(["animator", "admin"])).tuples()]
    if not animators:
        return
    emit(EVENT_HIDDEN if hidden else EVENT_REVIEW, space=resource.space_id, resource=resource,
         actor=None,
         data={"trigger": trigger, "hidden": hidden, "reports": reports,
               "title": resource.title, "url": resource.url}, recipients=animators)
