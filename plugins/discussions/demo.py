"""The demo city's conversations: comments under meetings, documents and pages in a public, a
members-only and a private space, with replies three levels deep, mentions (the demo member is
mentioned), a stance-taking consultation, and a "mobility" topic shared by ten councils.

Comments hang on other plugins' items, which may be seeded after us: everything is written in
``city.after_plugins``.  No event is emitted (``notify=False``), as the demo contract asks.
"""
from __future__ import annotations

import placette

from . import service, topics
from .models import Comment

REMARKS = [
    "Merci pour l'ordre du jour. Peut-on ajouter un point sur **l'éclairage** rue des Lilas ?",
    "Je ne pourrai pas venir, mais je lirai le compte rendu.",
    "Bonne idée ! Il faudrait aussi penser aux personnes à mobilité réduite.",
    "Est-ce que la salle est accessible en fauteuil ?",
    "D'accord avec vous. J'apporte les chiffres de la consultation de l'an dernier.",
    "Je propose qu'on en parle d'abord en groupe de travail.",
]


def seed(city) -> None:
    city.after_plugins(lambda: _seed(city))


def _resources_in(space, plugin: str, limit: int = 2) -> list:
    R = placette.Resource
    return list(R.select().where((R.space == space.id) & (R.plugin == plugin)
                                 & (R.state == "visible")).order_by(R.id).limit(limit))


def _thread(city, resource, people, mention=None) -> int:
    """A small conversation on one item: a comment, a reply, a reply to the reply, one more
    (flattened, "in reply to"), and another comment mentioning someone."""
    rnd = city.random
    if len(people) < 2:
        return 0
    writers = city.pick(people, 4) if len(people) >= 4 else people * 2
    first, _ = service.post_comment(writers[0], resource, rnd.choice(REMARKS), notify=False)
    second, _ = service.post_comment(writers[1], resource, rnd.choice(REMARKS), parent=first.id,
                                     notify=False)
    third, _ = service.post_comment(writers[2 % len(writers)], resource,
                                    "Tout à fait, et la date nous convient.", parent=second.id,
                                    notify=False)
    service.post_comment(writers[3 % len(writers)], resource, "Je confirme.", parent=third.id,
                         notify=False)
    name = mention.display_name if mention is not None else writers[1].display_name
    service.post_comment(writers[0], resource,
                         f"@{name}, pouvez-vous relire la proposition avant jeudi ?",
                         notify=False)
    return 5


def _seed(city) -> dict[str, int]:
    member = city.accounts["member"]
    admin = city.accounts["admin"]
    written = 0
    with placette.atomic():
        # a public council, a members-only council, a private working group, and the demo
        # member's own council (where she is mentioned)
        for slug in ("quartier-centre-ville", "personnes-handicapees", "avis-budget",
                     "quartier-bellevue"):
            space = city.spaces.get(slug)
            if space is None or not placette.is_enabled(space, service.PLUGIN):
                continue
            people = [p for p in city.members_of(space) if p.id != admin.id]
            mention = member if member in people else None
            for plugin in ("agenda", "documents", "pages"):
                for resource in _resources_in(space, plugin, 1):
                    written += _thread(city, resource, people, mention)
        # a consultation with stances in the public council
        centre = city.spaces.get("quartier-centre-ville")
        if centre is not None:
            placette.Module.update(settings={**placette.Module.get(
                space=centre.id, plugin=service.PLUGIN).settings, "stances": True}).where(
                (placette.Module.space == centre.id)
                & (placette.Module.plugin == service.PLUGIN)).execute()
        # the cross-council topic: "mobility", in ten neighbourhood councils
        councils = [s for s in city.spaces.values() if s.kind == "neighbourhood"][:10]
        if councils:
            topic = topics.create_topic(
                admin, councils[0], "Plan vélo : vos propositions pour 2027",
                "La ville prépare son plan vélo. Quelles rues, quels stationnements, quelles "
                "priorités ? Ce sujet est partagé par dix conseils de quartier.",
                [s.slug for s in councils[1:]], notify=False)
            for person in city.pick(city.users, 6):
                topics.reply(person, topic, "Une piste protégée avenue de la Gare serait "
                                            "une priorité pour les écoles.", notify=False)
            topics.set_flags(admin, topic, councils[0], pinned=True)
        for slug in ("mobilite-douce", "avis-budget"):
            space = city.spaces.get(slug)
            if space is not None and city.members_of(space):
                author = city.animators_of(space)[0]
                topics.create_topic(author, space, "Organisation des prochaines semaines",
                                    "Qui peut préparer la synthèse ? @Martine Membre",
                                    notify=False)
        # every other space gets its first words: a comment on its first item, else a topic
        for space in city.spaces_with(service.PLUGIN):
            R = placette.Resource
            if R.select().where((R.space == space.id) & (R.plugin == service.PLUGIN)).exists():
                continue
            people = [p for p in city.members_of(space) if p.id != admin.id] or [admin]
            item = (R.select().where((R.space == space.id) & (R.plugin != service.PLUGIN)
                                     & (R.state == "visible")).order_by(R.id).first())
            if item is not None:
                service.post_comment(people[0], item, "Merci pour ce partage, je regarde ça "
                                                      "avant la prochaine réunion.",
                                     notify=False)
                written += 1
            else:
                topics.create_topic(city.animators_of(space)[0], space, "Présentez-vous !",
                                    "Qui êtes-vous, et qu'attendez-vous de ce conseil ?",
                                    notify=False)
    return {"comments": written, "all": Comment.select().count()}
