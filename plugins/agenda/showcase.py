"""What the agenda offers the public window (the showcase plugin): a meeting, and once its
minutes are written, the meeting with its minutes -- one record of the "meetings" open data.

Only what the public may read goes in the offer: title, date, place, description and minutes;
never who answered, nor an online meeting's link (it may be a private room)."""
from __future__ import annotations

import datetime as dt

import placette
from markupsafe import escape

from . import queries, timing
from .models import Meeting, Minutes

PLUGIN = "agenda"


def _offer(meeting: Meeting, resource, minutes: list[Minutes]) -> placette.ShowcaseOffer:
    local = timing.to_local(meeting.starts_at, meeting.timezone)
    place = ", ".join(p for p in (meeting.room, meeting.address) if p)
    body = ""
    if meeting.description:
        body += str(placette.render_markdown(meeting.description))
    written = [m for m in minutes if (m.text or "").strip()]
    heading = escape(placette._("Minutes"))
    for m in written:
        body += f"<h2>{heading}</h2>"
        body += str(placette.render_markdown(m.text))
    category = "minutes" if written else "meeting"
    summary = " · ".join(p for p in (local.strftime("%Y-%m-%d %H:%M"), place) if p)
    return placette.ShowcaseOffer(
        resource=resource, category=category, title=meeting.title, body_html=body,
        summary=summary, decided_at=meeting.starts_at.replace(tzinfo=dt.timezone.utc),
        dataset="meetings",
        data={"starts_at": local.isoformat(),
              "ends_at": timing.to_local(meeting.ends_at, meeting.timezone).isoformat(),
              "place": place, "status": meeting.status, "has_minutes": bool(written)})


def _minutes_of(ids: list[int]) -> dict[int, list[Minutes]]:
    found: dict[int, list[Minutes]] = {}
    if ids:
        for m in Minutes.select().where(Minutes.meeting.in_(ids)).order_by(Minutes.occurrence):
            found.setdefault(m.meeting_id, []).append(m)
    return found


def items(space, actor) -> list[placette.ShowcaseOffer]:
    """The space's meetings the actor may see (the latest 30), with their minutes."""
    if space is None or not placette.is_enabled(space, PLUGIN):
        return []
    meetings = list(queries.visible_meetings(actor, space)
                    .where(Meeting.space == space.id)
                    .order_by(Meeting.starts_at.desc()).limit(30))
    if not meetings:
        return []
    rows = {r.object_id: r for r in placette.Resource.select().where(
        (placette.Resource.plugin == PLUGIN) & (placette.Resource.kind == "meeting")
        & placette.Resource.object_id.in_([str(m.id) for m in meetings]))}
    minutes = _minutes_of([m.id for m in meetings])
    return [_offer(m, rows[str(m.id)], minutes.get(m.id, [])) for m in meetings
            if str(m.id) in rows]


def item(resource, actor) -> placette.ShowcaseOffer | None:
    if resource.plugin != PLUGIN or resource.kind != "meeting":
        return None
    space = placette.Space.get_by_id(resource.space_id)
    if not placette.is_enabled(space, PLUGIN):
        return None
    meeting = queries.get_visible(actor, int(resource.object_id), space)
    if meeting is None or meeting.space_id != space.id:
        return None
    return _offer(meeting, resource, _minutes_of([meeting.id]).get(meeting.id, []))
