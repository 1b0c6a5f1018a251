"""The demo city's votes: in a public, a members-only and a private space, an open poll, a
closed majority-judgment poll with its results, and a call for proposals with supports and an
answer.  No events are emitted while seeding."""
from __future__ import annotations

import datetime as dt

import placette

from . import service
from .models import Poll, Proposal, Support

PROJECTS = ["Jardin partagé rue des Lilas", "Pistes cyclables avenue Jaurès",
            "Bancs et ombre place du Marché", "Boîte à livres au square"]
IDEAS = [("Un composteur collectif au square", "Pour réduire les déchets du quartier."),
         ("Des fontaines à eau l'été", "Près de l'aire de jeux et du marché."),
         ("Une fête des voisins en juin", "Avec l'association des commerçants.")]


def _showcases(city) -> set[int]:
    """One space per visibility (public, network, members, private) gets a closed
    majority-judgment poll with its results; every space with votes gets the rest."""
    found, seen = set(), set()
    for space in city.spaces_with("voting"):
        if space.visibility not in seen:
            seen.add(space.visibility)
            found.add(space.id)
    return found


def seed(city) -> dict[str, int]:
    rnd = city.random
    now = placette.utcnow()
    polls = ballots = proposals = 0
    showcases = _showcases(city)
    for space in city.spaces_with("voting"):
        animator = city.animators_of(space)[0]
        members = city.members_of(space)
        if space.id in showcases:
            ballots += _closed_majority_judgment(space, animator, members, rnd, now)
            polls += 1
        # an open poll, results after close
        opened = service.create_poll(space, animator, {
            "title": "Horaires de la prochaine réunion publique", "kind": "single",
            "options": ["En semaine, 18 h 30", "Samedi matin", "Samedi après-midi"],
            "closes_at": now + dt.timedelta(days=10)}, seeding=True)
        options = service.options_of(opened)
        for person in members[: len(members) // 2]:
            try:
                service.cast(opened, person, {"choice": rnd.choice(options).id})
                ballots += 1
            except service.VotingError:
                pass
        polls += 1
        # a call for proposals
        made = []
        for (title, body), person in zip(IDEAS, members or [animator]):
            made.append(service.propose(space, person, title, body))
            proposals += 1
        for proposal in made:
            for person in rnd.sample(members, min(len(members), rnd.randint(1, 6))):
                Support.insert(proposal=proposal.id, user=person.id).on_conflict_ignore().execute()
        if made:
            Proposal.update(status="studied", reason="Étudié avec le service des espaces verts ; "
                            "réponse au prochain conseil.", answered_at=now).where(
                Proposal.id == made[0].id).execute()
    return {"polls": polls, "ballots": ballots, "proposals": proposals}


def _closed_majority_judgment(space, animator, members, rnd, now) -> int:
    """A majority-judgment poll of 20 days ago, closed 3 days ago, graded by the members."""
    closed = service.create_poll(space, animator, {
        "title": "Quel projet financer en premier ?", "kind": "majority_judgment",
        "description": "Jugement majoritaire : donnez une mention à chaque projet.",
        "options": PROJECTS, "opens_at": now - dt.timedelta(days=20),
        "eligible": ["member", "animator", "admin"]}, seeding=True)
    leaning = {o.id: rnd.randint(0, 4) for o in service.options_of(closed)}
    cast = 0
    for person in members:
        grades = {str(oid): min(6, max(0, base + rnd.randint(-2, 2)))
                  for oid, base in leaning.items()}
        try:
            service.cast(closed, person, {"grades": grades})
            cast += 1
        except service.VotingError:
            pass  # not on the frozen list (a guest)
    Poll.update(closed_at=now - dt.timedelta(days=3)).where(Poll.id == closed.id).execute()
    return cast
