"""Agenda pages: a council's agenda, the city-wide agenda of a viewer in 20 spaces, a council's
iCalendar feed.

Volume: every council has two meetings a month -- a plenary and a working session -- over ten
years at medium scale (one year at small scale) plus six months ahead, a monthly series running
since the start (its dates written out two years ahead, as the plugin does), a joint meeting with
one of its groups now and then, and answers from a handful of members.  Rows are bulk-inserted
with explicit ids; nothing goes through the plugin's services one by one.
"""
from __future__ import annotations

import datetime as dt
import uuid

REQUIRES = ["agenda"]
YEARS = {"small": 1, "medium": 10}
ANSWERS = ("yes", "yes", "maybe", "no")


def _local(value: dt.datetime) -> dt.datetime:
    """City wall-clock -> naive UTC (the benchmark city is in Europe/Paris)."""
    from placette_plugins.agenda.timing import to_utc
    return to_utc(value, "Europe/Paris")


def seed(city) -> None:
    from placette.db import database, is_postgres
    from placette.models import Membership
    from placette_plugins.agenda import occurrences as occ_module
    from placette_plugins.agenda import timing
    from placette_plugins.agenda.models import (FAR_FUTURE, Meeting, MeetingOccurrence,
                                                MeetingSpace, Rsvp)
    rng = city.rng
    now = city.now
    years = YEARS.get(city.scale, 1)
    first_month = dt.datetime(now.year - years, now.month, 1)
    horizon = now + occ_module.HORIZON
    groups = city.groups
    viewer_spaces = {m.space_id for m in Membership.select(Membership.space)
                     .where(Membership.user == city.viewer.id)}
    meetings, links, occurrences, answers = [], [], [], []
    meeting_id = occurrence_id = 0

    def add_meeting(space, title, start, hours, rrule=None, capacity=None):
        nonlocal meeting_id
        meeting_id += 1
        end = start + dt.timedelta(hours=hours)
        last_end = end
        if rrule:
            last_end = FAR_FUTURE
        meetings.append({
            "id": meeting_id, "uid": f"{uuid.UUID(int=rng.getrandbits(128))}@placette",
            "space": space.id, "author": city.admin.id, "title": title,
            "description": "Ordre du jour :\n\n1. Nouvelles\n2. Projets\n3. Questions",
            "starts_at": start, "ends_at": end, "timezone": "Europe/Paris", "rrule": rrule,
            "first_start": start, "last_end": last_end, "address": "Place de la Mairie",
            "room": "Salle des fêtes", "map_url": "", "online_url": "", "capacity": capacity,
            "visibility": None, "status": "planned", "reminder_hours": [48, 2],
            "sequence": 0, "resource": None, "created_at": start - dt.timedelta(days=30),
            "updated_at": start - dt.timedelta(days=30), "cancelled_at": None,
            "materialized_until": horizon if rrule else None})
        links.append({"meeting": meeting_id, "space": space.id})
        return meeting_id, start, end

    def add_occurrence(mid, key, start, end, status="planned"):
        nonlocal occurrence_id
        occurrence_id += 1
        occurrences.append({"id": occurrence_id, "meeting": mid, "key": key,
                            "starts_at": start, "ends_at": end, "status": status})

    def add_answers(mid, key, space_members, start):
        people = rng.sample(space_members, min(len(space_members), 5))
        if city.viewer.id not in people and rng.random() < 0.3:
            people.append(city.viewer.id)
        for person in people:
            answers.append({"meeting": mid, "occurrence": key, "user": person,
                            "answer": rng.choice(ANSWERS), "waiting": False,
                            "created_at": start - dt.timedelta(days=3),
                            "updated_at": start - dt.timedelta(days=3)})

    members: dict[int, list[int]] = {}
    for row in (Membership.select(Membership.space, Membership.user)
                .where(Membership.space.in_([c.id for c in city.councils])).tuples()):
        members.setdefault(row[0], []).append(row[1])

    for council in city.councils:
        space_members = members.get(council.id) or city.user_ids[:10]
        month = first_month
        while month < now + dt.timedelta(days=183):
            for day, hour, title in ((rng.randint(1, 12), 18, "Séance plénière"),
                                     (rng.randint(14, 27), 19, "Atelier de travail")):
                start = _local(month.replace(day=day, hour=hour))
                mid, start, end = add_meeting(council, title, start, 2,
                                              capacity=rng.choice((None, 30, 60)))
                add_occurrence(mid, "", start, end)
                if groups and rng.random() < 0.05:
                    links.append({"meeting": mid, "space": rng.choice(groups).id})
                if council.id in viewer_spaces or rng.random() < 0.2:
                    add_answers(mid, "", space_members, start)
            month = (month + dt.timedelta(days=32)).replace(day=1)
        series_start = _local(first_month.replace(day=1, hour=12)) + dt.timedelta(
            days=(1 - first_month.weekday()) % 7)
        rule = "FREQ=MONTHLY;BYDAY=1TU"
        mid, start, end = add_meeting(council, "Permanence du conseil", series_start, 1,
                                      rrule=rule)
        for original in timing.occurrences_between(rule, start, "Europe/Paris", start,
                                                   horizon):
            add_occurrence(mid, timing.occurrence_key(original), original,
                           original + dt.timedelta(hours=1))

    with database.atomic():
        city.bulk_insert(Meeting, meetings)
        city.bulk_insert(MeetingSpace, links)
        city.bulk_insert(MeetingOccurrence, occurrences)
        city.bulk_insert(Rsvp, answers)
        if is_postgres():
            for model in (Meeting, MeetingOccurrence):
                table = model._meta.table_name
                database.execute_sql(
                    f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                    f"COALESCE((SELECT MAX(id) FROM \"{table}\"), 0) + 1, false)")
    if is_postgres():
        # A production server's autovacuum keeps planner statistics; right after a bulk load
        # they are empty and PostgreSQL plans as if the tables were tiny.
        for model in (Meeting, MeetingSpace, MeetingOccurrence, Rsvp):
            database.execute_sql(f'ANALYZE "{model._meta.table_name}"')
    city.timings["agenda_rows"] = len(meetings) + len(occurrences) + len(answers)


def pages(city) -> dict:
    from placette.models import Membership
    viewer_spaces = {m.space_id for m in Membership.select(Membership.space)
                     .where(Membership.user == city.viewer.id)}
    council = next((c for c in city.councils if c.id in viewer_spaces), city.councils[0])
    return {
        "agenda_space": (city.viewer, f"/s/{council.slug}/agenda/"),
        "agenda_city": (city.viewer, "/agenda/"),
        "ics_space": (city.viewer, f"/s/{council.slug}/agenda/feed.ics"),
    }
