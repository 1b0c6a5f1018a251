"""Moderating from the outside, as people do it: a member reports an item from its page, an
animator hides it from the review page with a reason, and later restores it.

Shared by the tests that check each surface honours moderation (kernel activity and
notifications, agenda, documents).
"""
from __future__ import annotations

from placette.models import ModerationCase, Resource

REASON = "Propos injurieux envers un habitant."


def resource_of(plugin: str, kind: str, object_id) -> Resource:
    return Resource.get((Resource.plugin == plugin) & (Resource.kind == kind)
                        & (Resource.object_id == str(object_id)))


def report(client, sign_in, reporter, resource: Resource) -> None:
    sign_in(reporter)
    response = client.post("/report", query_string={"resource": resource.key},
                           data={"category": "abuse", "reason": "Insultant."})
    assert response.status_code == 302, response.status_code


def decide(client, sign_in, animator, resource: Resource, decision: str,
           reason: str = "") -> None:
    sign_in(animator)
    case = ModerationCase.get(ModerationCase.resource == resource.id)
    data = {"decision": decision}
    if decision == "hide":
        data["hide-reason"] = reason or REASON
    response = client.post(f"/moderation/cases/{case.id}", data=data)
    assert response.status_code == 302, (decision, response.status_code)


def hide(client, sign_in, reporter, animator, resource: Resource,
         reason: str = REASON) -> None:
    """A member reports the item, an animator hides it with a reason for the author."""
    report(client, sign_in, reporter, resource)
    decide(client, sign_in, animator, resource, "hide", reason)
    assert Resource.get_by_id(resource.id).state == "hidden"


def restore(client, sign_in, animator, resource: Resource) -> None:
    decide(client, sign_in, animator, resource, "restore")
    assert Resource.get_by_id(resource.id).state == "visible"
