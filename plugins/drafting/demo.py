"""The demo city's opinions: in every space with drafting, a draft on soft
mobility in consultation (comments on passages, one outdated by a later edit, a reply, ratings,
amendments accepted, rejected and open) and an adopted opinion on the square.  No events are
emitted while seeding."""
from __future__ import annotations

import datetime as dt

import placette

from . import service
from .models import Draft, Rating

MOBILITY = [
    "# Avis sur les mobilités douces",
    "Le conseil de quartier demande des pistes cyclables séparées de la circulation sur "
    "l’avenue Jaurès, entre la gare et le collège.",
    "Les trottoirs de la rue des Lilas sont trop étroits pour les poussettes et les fauteuils "
    "roulants : le conseil propose d’y supprimer le stationnement d’un côté.",
    "Un garage à vélos sécurisé près du marché encouragerait les habitants à venir à vélo.",
    "Le conseil souhaite être associé au calendrier des travaux dès 2027.",
]
SQUARE = [
    "# Avis sur le réaménagement du square",
    "Le conseil approuve le projet de réaménagement, à condition de garder les grands arbres.",
    "Il demande des bancs à l’ombre et une fontaine à eau près de l’aire de jeux.",
    "Il souhaite une réunion publique avant le début des travaux.",
]


def seed(city) -> dict[str, int]:
    rnd = city.random
    drafts = comments = ratings = 0
    for space in city.spaces_with("drafting"):
        animator = next((a for a in city.animators_of(space) if placette.can(
            a, "drafting.draft.create", space)), None)
        members = [m for m in city.members_of(space) if placette.can(m, "drafting.comment",
                                                                     space)]
        if animator is None or not members:
            continue
        draft = _consultation(space, animator, members, rnd)
        drafts += 1
        comments += 4
        rows = [{"draft": draft.id, "paragraph": p.id, "user": person.id,
                 "agreement": max(1, min(5, 3 + rnd.randint(-2, 2) + (i % 2)))}
                for i, p in enumerate(service.paragraphs(service.version_of(draft)))
                for person in members]
        if rows:
            Rating.insert_many(rows).on_conflict_ignore().execute()
            ratings += len(rows)
        _adopted(space, animator)
        drafts += 1
    return {"drafts": drafts, "comments": comments, "ratings": ratings}


def _consultation(space, animator, members, rnd) -> Draft:
    draft = service.create_draft(space, animator, "Avis sur les mobilités douces",
                                 "\n\n".join(MOBILITY))
    service.change_state(draft, animator, "consultation", notify=False)
    ids = [p.id for p in service.paragraphs(service.version_of(draft))]
    first, second = members[0], members[min(1, len(members) - 1)]
    c1 = service.comment(draft, first, ids[1], "Il faudrait aussi penser à l’éclairage.",
                         quote="pistes cyclables séparées", notify=False)
    service.comment(draft, animator, None, "Bonne idée, je l’ajoute au prochain ordre du jour.",
                    parent=c1.id, notify=False)
    service.comment(draft, second, ids[2], "Le stationnement manque déjà aux commerçants.",
                    quote="supprimer le stationnement d’un côté", notify=False)
    service.comment(draft, first, ids[3], "Et près de la gare ?", notify=False)
    a1 = service.amend(draft, second, ids[4], "Le conseil souhaite être associé au calendrier "
                       "des travaux dès le début de 2027, et informé chaque trimestre.",
                       "Un suivi régulier évite les surprises.")
    service.decide(draft, animator, a1.id, True, notify=False)
    a2 = service.amend(draft, first, ids[3], "Un garage à vélos gratuit près du marché.",
                       "La gratuité compte pour les jeunes.")
    service.decide(draft, animator, a2.id, False, "Le coût sera discuté avec la ville.",
                   notify=False)
    service.amend(draft, second, ids[1], "Le conseil demande des pistes cyclables séparées de "
                  "la circulation sur toute l’avenue Jaurès.", "La section nord est dangereuse.")
    # The trottoirs paragraph is rewritten: the comment on its parking passage is outdated.
    body = service.version_of(draft).body.replace(
        "le conseil propose d’y supprimer le stationnement d’un côté",
        "le conseil propose de les élargir en réduisant la chaussée")
    service.save(draft, animator, body, draft.version, "Après la réunion des commerçants")
    return draft


def _adopted(space, animator) -> Draft:
    draft = service.create_draft(space, animator, "Avis sur le réaménagement du square",
                                 "\n\n".join(SQUARE))
    service.change_state(draft, animator, "consultation", notify=False)
    service.change_state(draft, animator, "adopted",
                         "Adopté en séance plénière : 14 pour, 2 contre, 1 abstention.",
                         notify=False)
    ago = placette.utcnow() - dt.timedelta(days=12)
    Draft.update(adopted_at=ago).where(Draft.id == draft.id).execute()
    return draft
