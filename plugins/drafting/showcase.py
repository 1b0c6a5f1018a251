"""What drafting offers the public window: adopted and published opinions (category
"opinion", dataset "opinions"), frozen at their adopted version, with the decision."""
from __future__ import annotations

import datetime as dt

import placette
from markupsafe import escape

from . import service
from .models import Draft

PLUGIN = "drafting"


def _record_html(draft: Draft) -> str:
    """The adopted text's record: the decision and each amendment with its fate -- without
    the names of the people who proposed them (the public window is public)."""
    _ = placette._
    parts = []
    if draft.decision:
        parts.append(f"<p><strong>{escape(_('Decision:'))}</strong> {escape(draft.decision)}</p>")
    amendments = [a for a in service.amendments_of(draft) if a.status != "open"]
    if amendments:
        fate = {"accepted": _("Amendment accepted"), "rejected": _("Amendment rejected")}
        items = "".join(
            f"<li><strong>{escape(fate[a.status])}</strong> : « {escape(a.text)} »"
            + (f" — {escape(a.decision_reason)}" if a.decision_reason else "") + "</li>"
            for a in amendments)
        parts.append(f"<h2>{escape(_('Amendments'))}</h2><ul>{items}</ul>")
    return "".join(parts)


def _offer(space, draft: Draft, resource) -> placette.ShowcaseOffer:
    version = service.version_of(draft, draft.adopted_version or draft.version)
    adopted = draft.adopted_at.replace(tzinfo=dt.timezone.utc) if draft.adopted_at else None
    return placette.ShowcaseOffer(
        resource=resource, category="opinion", title=draft.title,
        body_html=str(placette.render_markdown(version.body)) + _record_html(draft),
        summary=placette.plain_text(version.body)[:300], decided_at=adopted,
        dataset="opinions",
        data={"title": draft.title, "council": space.name,
              "adopted_at": adopted.isoformat() if adopted else None,
              "version": version.number, "decision": draft.decision})


def offers(space, actor) -> list[placette.ShowcaseOffer]:
    """The space's adopted and published opinions ``actor`` may see, newest first."""
    if space is None or not placette.is_enabled(space, PLUGIN) \
            or not placette.can(actor, "drafting.view", space):
        return []
    found = []
    for draft in (Draft.select().where((Draft.space == space.id)
                                       & Draft.state.in_(["adopted", "published"]))
                  .order_by(Draft.adopted_at.desc()).limit(20)):
        resource = placette.lookup_resource(PLUGIN, "draft", draft.id)
        if resource is not None and service.may_see(actor, draft, space):
            found.append(_offer(space, draft, resource))
    return found


def offer_for(resource, actor) -> placette.ShowcaseOffer | None:
    if resource is None or resource.plugin != PLUGIN or resource.kind != "draft":
        return None
    draft = Draft.get_or_none(Draft.id == int(resource.object_id))
    if draft is None or draft.state not in ("adopted", "published"):
        return None
    space = placette.Space.get_by_id(draft.space_id)
    if not placette.is_enabled(space, PLUGIN) or not service.may_see(actor, draft, space):
        return None
    return _offer(space, draft, resource)
