"""Notifications and activity: the viewer's notification list and a busy space's activity page.

Volume (``seed``): every space has a history of events (small: 10, medium: 40 each, spread over
the last week, half of them on a resource, some of those for members or animators only); the
viewer's inbox holds every event of their 20 spaces (older half read); and the two newest events
of every space reached all its members -- the inbox volume a real day leaves (medium: about
135,000 rows), which is also what ``benchmarks/digest.py`` digests.

Kernel events only (``placette.space.updated``), so no plugin is required.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict

REQUIRES: list[str] = []

EVENTS_PER_SPACE = {"small": 10, "medium": 40}
FANNED_OUT = 2  # the newest events of each space reached every member
EVENT_NAME = "placette.space.updated"


def _next_id(model) -> int:
    from peewee import fn
    return (model.select(fn.MAX(model.id)).scalar() or 0) + 1


def _reset_sequences(models) -> None:
    from placette.db import database, is_postgres
    if not is_postgres():
        return
    for model in models:
        table = model._meta.table_name
        database.execute_sql(
            f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
            f"COALESCE((SELECT MAX(id) FROM \"{table}\"), 0) + 1, false)")


def seed(city) -> None:
    from placette.models import Event, Membership, Notification, Resource
    rng, now = city.rng, city.now
    per_space = EVENTS_PER_SPACE.get(city.scale, 10)
    members: dict[int, list[int]] = defaultdict(list)
    for user_id, space_id in Membership.select(Membership.user, Membership.space).tuples():
        members[space_id].append(user_id)
    viewer_spaces = {sid for sid, people in members.items() if city.viewer.id in people}

    resources, events, inbox = [], [], []
    resource_id, event_id, notification_id = (_next_id(Resource), _next_id(Event),
                                              _next_id(Notification))
    week = 7 * 24 * 60
    for space in city.spaces:
        people = members.get(space.id) or city.user_ids[:1]
        minutes = sorted(rng.sample(range(week), per_space), reverse=True)  # oldest first
        history = []
        for n, ago in enumerate(minutes):
            when = now - dt.timedelta(minutes=ago)
            resource = None
            if n % 2 == 0:
                resource = resource_id
                resource_id += 1
                resources.append({
                    "id": resource, "plugin": "placette", "kind": "page",
                    "object_id": str(resource), "space": space.id,
                    "visibility": (None, "members", None, "animators")[(n // 2) % 4],
                    "author": rng.choice(people), "title": f"Page {resource} de {space.name}",
                    "summary": "", "url": f"/s/{space.slug}", "state": "visible",
                    "created_at": when, "updated_at": when})
            events.append({"id": event_id, "name": EVENT_NAME, "plugin": "placette",
                           "space": space.id, "resource": resource,
                           "actor": rng.choice(people), "data": {}, "recipients": None,
                           "created_at": when, "dispatched_at": when})
            history.append((event_id, when, events[-1]["actor"]))
            event_id += 1
        told: set[tuple[int, int]] = set()
        if space.id in viewer_spaces:
            for n, (eid, when, _actor) in enumerate(history):
                told.add((city.viewer.id, eid))
                inbox.append({"id": notification_id, "user": city.viewer.id, "event": eid,
                              "created_at": when,
                              "read_at": when if n < len(history) // 2 else None})
                notification_id += 1
        for eid, when, actor in history[-FANNED_OUT:]:
            for user_id in people:
                if user_id != actor and (user_id, eid) not in told:
                    inbox.append({"id": notification_id, "user": user_id, "event": eid,
                                  "created_at": when, "read_at": None})
                    notification_id += 1
    city.bulk_insert(Resource, resources)
    city.bulk_insert(Event, events)
    city.bulk_insert(Notification, inbox, chunk=5000)
    _reset_sequences([Resource, Event, Notification])


def pages(city) -> dict:
    from .kernel import animated_space_of_viewer
    space = animated_space_of_viewer(city)
    return {
        "notifications": (city.viewer, "/notifications"),
        "space_activity": (city.viewer, f"/s/{space.slug}/activity"),
    }
