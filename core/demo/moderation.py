"""Demo content for search and moderation, seeded after every plugin's own content.

A few notes in the Centre-ville council (whose animator is the demo's animatrice@) and in the
soft-mobility group, then reports: one note hidden by three reports, one reported once, plus
reports on a plugin's resource when plugins published some; Les Rives holds newcomers'
contributions for review, with one pending.  The queue of animatrice@ is therefore never empty.
"""
from __future__ import annotations

from ..db import atomic
from ..models import Resource
from ..moderation.service import report
from ..notes import publish_note
from ..space_settings import set_space_settings

NOTES = [
    ("quartier-centre-ville", "Compte rendu de la réunion du conseil de quartier",
     "La réunion de mars a porté sur la rénovation de la place du marché et les horaires de "
     "l'éclairage public."),
    ("quartier-centre-ville", "Idée : des bancs sur la place de l'église",
     "Plusieurs habitants âgés demandent des bancs pour se reposer entre le marché et la mairie."),
    ("quartier-centre-ville", "VENEZ TOUS !!! Promo exceptionnelle sur les cuisines",
     "Achetez votre cuisine équipée à -70 % chez notre partenaire, cliquez ici."),
    ("quartier-centre-ville", "Les élus ne servent à rien",
     "Ce conseil est une perte de temps, les élus sont tous des incapables."),
    ("mobilite-douce", "Pistes cyclables rue Victor-Hugo",
     "Proposition d'une piste cyclable protégée entre la gare et le lycée ; réunions de "
     "concertation prévues au printemps."),
    ("mobilite-douce", "Zones apaisées autour des écoles",
     "Limiter la vitesse à 20 km/h devant les écoles du quartier des Rives."),
    ("quartier-les-rives", "Fête des voisins : qui s'occupe des tables ?",
     "Nous cherchons des volontaires pour installer les tables le samedi matin."),
]


def seed(city, log=print) -> None:
    spaces = city.spaces
    members = {slug: [u for u in city.members_of(spaces[slug])] for slug in
               ("quartier-centre-ville", "mobilite-douce", "quartier-les-rives")}
    notes = []
    with atomic():
        for slug, title, text in NOTES:
            people = [u for u in members[slug] if u.id not in
                      {a.id for a in city.animators_of(spaces[slug])}] or members[slug]
            author = city.random.choice(people)
            notes.append(publish_note(spaces[slug], author, title, text))
        set_space_settings(spaces["quartier-les-rives"], {"premoderation_count": 1})
        rives_animators = {a.id for a in city.animators_of(spaces["quartier-les-rives"])}
        newcomer = next((u for u in members["quartier-les-rives"] if u.id not in rives_animators
                         and not Resource.select().where(Resource.author == u.id).exists()),
                        None)
        if newcomer is not None:
            publish_note(spaces["quartier-les-rives"], newcomer, "Bonjour à tous",
                         "Nouvelle habitante du quartier, je serais ravie d'aider à la fête.")

        def reporters(resource, count):
            pool = [u for u in members.get(resource.space.slug, [])
                    if u.id != resource.author_id]
            return city.pick(pool, count)

        spam, insult = notes[2], notes[3]
        spam_reasons = ["Publicité sans rapport avec le quartier.", "", "Encore cette pub !"]
        for person, reason in zip(reporters(spam, 3), spam_reasons):
            report(person, spam, reason, "spam")
        for person in reporters(insult, 1):
            report(person, insult, "Propos insultants envers les élus.", "abuse")
        others = list(Resource.select().where(Resource.plugin != "placette")
                      .order_by(Resource.id).limit(2))
        for resource in others:
            pool = [u for u in city.members_of(resource.space) if u.id != resource.author_id]
            for person in city.pick(pool, 1):
                report(person, resource, "Date erronée, à vérifier.", "other")
    log(f"  {len(notes)} notes, moderation queue with {2 + len(others)} reported item(s)")
