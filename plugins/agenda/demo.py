"""The demo city's agenda: a year of meetings -- monthly council meetings as recurring series
(one date moved, one cancelled), one-off events, a joint meeting, answers and minutes -- and, in
the city space and every working group (the private drafting group included), a past meeting
with its minutes and an upcoming one."""
from __future__ import annotations

import datetime as dt

import placette

from . import rsvp, service, timing
from .models import Rsvp


def _local_day(now: dt.datetime, months: int, weekday: int, nth: int) -> dt.datetime:
    """The ``nth`` ``weekday`` of the month ``months`` away from ``now`` (local date)."""
    year, month = now.year + (now.month - 1 + months) // 12, (now.month - 1 + months) % 12 + 1
    first = dt.datetime(year, month, 1)
    offset = (weekday - first.weekday()) % 7
    return first + dt.timedelta(days=offset + 7 * (nth - 1))


def seed(city) -> dict[str, int]:
    rnd = city.random
    now = city.now
    tz = placette.current_config().timezone
    spaces = city.spaces_with("agenda")
    councils = [s for s in spaces if s.kind in ("neighbourhood", "thematic")]
    for index, space in enumerate(councils):
        animator = city.animators_of(space)[0]
        members = city.members_of(space)
        weekday, nth = index % 5, 1 + index % 3
        start = _local_day(now, -6, weekday, nth).replace(hour=18, minute=30)
        series = service.create_meeting(space, animator, {
            "title": f"Réunion mensuelle — {space.name}",
            "description": "Ordre du jour :\n\n1. Nouvelles du quartier\n2. Projets en cours\n"
                           "3. Questions diverses",
            "starts_at": start, "ends_at": start + dt.timedelta(hours=2),
            "rrule": f"FREQ=MONTHLY;BYDAY={nth}{['MO', 'TU', 'WE', 'TH', 'FR'][weekday]};"
                     f"COUNT=12",
            "address": f"{10 + index} place de la Mairie", "room": "Salle des fêtes",
            "capacity": 40, "timezone": tz})
        keys = [o.key for o in _all(series)]
        past_keys = [k for k in keys if timing.parse_key(k) < now]
        future_keys = [k for k in keys if timing.parse_key(k) >= now]
        if len(future_keys) > 3:
            moved = timing.parse_key(future_keys[2])
            local_moved = timing.to_local(moved, tz).replace(tzinfo=None) + dt.timedelta(days=1)
            service.change_occurrence(series, future_keys[2], animator, starts_at=local_moved,
                                      ends_at=local_moved + dt.timedelta(hours=2))
            service.change_occurrence(series, future_keys[3], animator, cancel=True)
        for key in past_keys:
            _answers(series, key, members, rnd)
            service.save_minutes(series, key, animator, _minutes(space.name, rnd))
        if future_keys:
            for person in rnd.sample(members, min(len(members), 8)):
                try:
                    rsvp.answer(series, person, rnd.choice(["yes", "yes", "maybe", "no"]),
                                future_keys[0])
                except service.AgendaError:
                    pass
        walk = _local_day(now, 1, 5, 2).replace(hour=10)
        service.create_meeting(space, animator, {
            "title": "Balade urbaine du quartier",
            "description": "Départ devant la mairie annexe ; prévoir de bonnes chaussures.",
            "starts_at": walk, "ends_at": walk + dt.timedelta(hours=2, minutes=30),
            "address": "Mairie annexe", "capacity": 15, "visibility": "public"
            if space.visibility == "public" else None, "timezone": tz})
    for space in spaces:
        if space not in councils:
            _gatherings(space, city, rnd, tz)
    from .models import Meeting, Minutes
    groups = [s for s in spaces if s.kind == "group"]
    if groups and councils:
        group = groups[0]
        animator = city.animators_of(councils[0])[0]
        joint = _local_day(now, 0, 2, 4).replace(hour=19)
        if joint < timing.to_local(now, tz).replace(tzinfo=None):
            joint = _local_day(now, 1, 2, 4).replace(hour=19)
        service.create_meeting(councils[0], animator, {
            "title": "Réunion commune : plan vélo",
            "description": "Réunion commune avec le groupe de travail **Mobilité douce**.",
            "starts_at": joint, "ends_at": joint + dt.timedelta(hours=2),
            "online_url": "https://visio.example.org/plan-velo", "timezone": tz,
            "spaces": [group.slug] if placette.can(animator, "agenda.meeting.create",
                                                   group) else []})
    return {"meetings": Meeting.select().count(), "answers": Rsvp.select().count(),
            "minutes": Minutes.select().count()}


GATHERINGS = {
    "avis-budget": (
        "Séance de rédaction : plan de l'avis",
        "Répartition des chapitres de l'avis sur le budget entre les rédacteurs et les experts "
        "invités.",
        "Séance de relecture de l'avis",
        "Relecture du projet d'avis, version 3, avant son envoi à la ville. Merci de lire le "
        "document de travail avant la séance."),
    "mobilite-douce": (
        "Relevé des itinéraires cyclables",
        "Mise en commun des relevés de terrain des dix conseils de quartier.",
        "Atelier : carte des zones apaisées",
        "Atelier ouvert aux membres des conseils de quartier : où limiter la vitesse ?"),
    "jardins-partages": (
        "Assemblée des jardiniers",
        "Bilan de la saison, partage des parcelles et calendrier d'arrosage.",
        "Chantier collectif : préparation des semis",
        "Apportez gants et outils ; les semences sont fournies."),
}
CITY_GATHERING = (
    "Assemblée plénière des conseils de quartier",
    "Les quinze conseils présentent leurs avis de l'année aux élus.",
    "Forum de la participation citoyenne",
    "Stands des conseils, ateliers et présentation du budget participatif.")


def _gatherings(space, city, rnd, tz) -> None:
    """A past meeting with minutes and an upcoming one, in a space without monthly meetings."""
    animator = city.animators_of(space)[0]
    past_title, past_text, next_title, next_text = GATHERINGS.get(space.slug, CITY_GATHERING)
    past = _local_day(city.now, -1, 1, 2).replace(hour=18)
    meeting = service.create_meeting(space, animator, {
        "title": past_title, "description": past_text, "starts_at": past,
        "ends_at": past + dt.timedelta(hours=2), "room": "Salle de réunion", "timezone": tz})
    key = _all(meeting)[0].key
    _answers(meeting, key, city.members_of(space), rnd)
    service.save_minutes(meeting, key, animator, _minutes(
        space.name, rnd, f"Les membres de l'espace « {space.name} »."))
    upcoming = _local_day(city.now, 1, 3, 1).replace(hour=18, minute=30)
    service.create_meeting(space, animator, {
        "title": next_title, "description": next_text, "starts_at": upcoming,
        "ends_at": upcoming + dt.timedelta(hours=2), "room": "Salle de réunion",
        "timezone": tz})


def _all(meeting):
    from .models import MeetingOccurrence
    from .occurrences import Occurrence
    return [Occurrence.from_row(r, meeting) for r in MeetingOccurrence.select()
            .where(MeetingOccurrence.meeting == meeting.id)
            .order_by(MeetingOccurrence.starts_at)]


def _answers(meeting, key, members, rnd) -> None:
    """Past answers are written directly: the public rules refuse answers to past meetings."""
    rows = [{"meeting": meeting.id, "occurrence": key, "user": person.id,
             "answer": rnd.choice(["yes", "yes", "yes", "maybe", "no"]), "waiting": False}
            for person in rnd.sample(members, min(len(members), 12))]
    if rows:
        Rsvp.insert_many(rows).execute()


def _minutes(name: str, rnd, present: str | None = None) -> str:
    topics = ["la rénovation du square", "la sécurité aux abords de l'école",
              "le marché de Noël", "les pistes cyclables", "la fête de quartier",
              "le budget participatif", "l'éclairage public"]
    chosen = rnd.sample(topics, 3)
    present = present or f"Une quinzaine d'habitants du conseil {name}."
    return (f"## Présents\n\n{present}\n\n"
            f"## Points abordés\n\n" + "\n".join(f"- {t.capitalize()}" for t in chosen)
            + "\n\n## Décisions\n\nUn avis sera rédigé sur " + chosen[0] + ".")
