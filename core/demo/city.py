"""The demo city: a fictional town with councils, working groups, 200 members and content.

Deterministic (seeded random), so screenshots, tests and bug reports describe the same city.
Plugins add their content through the ``seed_demo(city)`` hook, receiving a :class:`DemoCity`:
every space -- public, members-only and private -- gets content of every module enabled there
(``tests/test_demo_seed.py`` checks it), so a city trying the demo sees what a private group
looks like from inside.

Seeding commits in small transactions (the spaces, the demo accounts, then people fifty at a
time, ...), never in one: a long transaction would hold SQLite's write lock for seconds.
"""
from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any, Callable

from ..db import atomic, utcnow
from ..identity.accounts import create_user
from ..kernel import registry
from ..models import Membership, Notification, Space, User
from ..modules import set_module
from ..spaces import (add_member, create_space, decide_join_request, request_to_join,
                      update_space)

CITY_NAME = "Villeneuve-sur-Loire"
NEIGHBOURHOODS = ["Centre-ville", "Les Rives", "Bellevue", "Les Tilleuls", "La Gare", "Le Port",
                  "Les Coteaux", "Saint-Martin", "Les Jardins", "La Colline", "Le Marché"]
THEMATIC = [("jeunesse", "Conseil de la jeunesse", "public"),
            ("citoyennete-etrangers", "Conseil pour la citoyenneté des étrangers", "network"),
            ("personnes-handicapees", "Conseil des personnes handicapées", "members")]
FIRST = ["Martine", "Karim", "Youssef", "Claire", "Léa", "Jean", "Fatima", "Pierre", "Sophie",
         "Mamadou", "Nathalie", "Hugo", "Inès", "Bernard", "Chloé", "Ahmed", "Lucie", "Thomas",
         "Aïcha", "Gérard", "Camille", "Olivier", "Yasmine", "Michel", "Emma", "Nicolas",
         "Sarah", "Patrick", "Zoé", "Denis"]
LAST = ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand",
        "Leroy", "Moreau", "Simon", "Laurent", "Lefebvre", "Michel", "Garcia", "David",
        "Bertrand", "Roux", "Vincent", "Fournier", "Morel", "Girard", "André", "Mercier",
        "Benali", "Diallo", "Nguyen", "Haddad", "Traoré", "Lopez"]

ACCOUNTS = {
    "admin": ("admin@example.org", "Claire Administratrice"),
    "animator": ("animatrice@example.org", "Karima Animatrice"),
    "member": ("membre@example.org", "Martine Membre"),
    "guest": ("invite@example.org", "Paul Invité"),
}


@dataclass
class DemoCity:
    """What plugins get in ``seed_demo``: the spaces, the people, a seeded random, now."""

    spaces: dict[str, Space] = field(default_factory=dict)
    users: list[User] = field(default_factory=list)
    accounts: dict[str, User] = field(default_factory=dict)
    random: random.Random = field(default_factory=lambda: random.Random(2011))
    now: dt.datetime = field(default_factory=utcnow)
    members: dict[int, list[User]] = field(default_factory=dict)
    animators: dict[int, list[User]] = field(default_factory=dict)
    finishers: list[Callable[[], Any]] = field(default_factory=list)

    def members_of(self, space: Space) -> list[User]:
        return self.members.get(space.id, [])

    def animators_of(self, space: Space) -> list[User]:
        return self.animators.get(space.id, []) or [self.accounts["admin"]]

    def spaces_with(self, plugin: str) -> list[Space]:
        from ..modules import enabled_plugins
        return [s for s in self.spaces.values() if plugin in enabled_plugins(s)]

    def pick(self, items: list[Any], k: int = 1) -> list[Any]:
        return self.random.sample(items, min(k, len(items)))

    def after_plugins(self, fn: Callable[[], Any]) -> None:
        """Run ``fn()`` once every plugin has seeded its own content.

        For plugins that attach to other plugins' items (comments, attachments) without
        requiring them: seeds run in dependency order, so such a plugin may come before the items
        it wants to comment on.  An exception stops the demo, naming nothing more than ``fn``.
        """
        self.finishers.append(fn)


def seed(password: str, log=print) -> DemoCity:
    city = DemoCity()
    rnd = city.random
    plugins = [info.name for info in registry().ordered()]
    with atomic():  # the spaces and their modules
        ville = create_space("ville", CITY_NAME, "city", "public",
                             description=f"Bienvenue sur le site de la participation citoyenne "
                                         f"de {CITY_NAME}.\n\nOnze conseils de quartier, trois "
                                         f"conseils thématiques et leurs groupes de travail.")
        city.spaces["ville"] = ville
        for index, name in enumerate(NEIGHBOURHOODS):
            slug = "quartier-" + name.lower().replace(" ", "-").replace("é", "e").replace(
                "â", "a").replace("è", "e")
            visibility = "public" if index % 4 == 0 else "network"
            city.spaces[slug] = create_space(
                slug, f"Conseil de quartier {name}", "neighbourhood", visibility,
                description=f"Le conseil de quartier **{name}** réunit habitants, associations "
                            f"et élus autour des projets du quartier.", parents=[ville])
        for slug, name, visibility in THEMATIC:
            city.spaces[slug] = create_space(slug, name, "thematic", visibility,
                                             description=f"{name} : avis, propositions et "
                                                         f"rencontres.", parents=[ville])
        councils = [s for s in city.spaces.values() if s.kind == "neighbourhood"]
        city.spaces["mobilite-douce"] = create_space(
            "mobilite-douce", "Groupe de travail Mobilité douce", "group", "network",
            description="Pistes cyclables, marche, zones apaisées : un groupe partagé par dix "
                        "conseils de quartier.", parents=councils[:10])
        city.spaces["avis-budget"] = create_space(
            "avis-budget", "Rédaction de l'avis sur le budget", "group", "private",
            description="Groupe de rédaction, à l'abri des jugements hâtifs, avec deux experts "
                        "invités pour un mois.", parents=[city.spaces["quartier-centre-ville"]],
            allow_join_requests=False)
        city.spaces["jardins-partages"] = create_space(
            "jardins-partages", "Jardins partagés", "group", "members",
            description="Les jardins partagés du quartier des Jardins.",
            parents=[city.spaces["quartier-les-jardins"]])
        for space in city.spaces.values():
            for plugin in plugins:
                set_module(space, plugin, True)

    def join(space, user, role="member", expires_at=None):
        add_member(space, user, role, expires_at=expires_at)
        city.members.setdefault(space.id, []).append(user)
        if role in ("animator", "admin"):
            city.animators.setdefault(space.id, []).append(user)

    with atomic():  # the demo accounts of the README, with their roles
        admin = create_user(*ACCOUNTS["admin"], password=password, is_admin=True)
        animator = create_user(*ACCOUNTS["animator"], password=password)
        member = create_user(*ACCOUNTS["member"], password=password)
        guest = create_user(*ACCOUNTS["guest"], password=password)
        city.accounts = {"admin": admin, "animator": animator, "member": member, "guest": guest}
        join(city.spaces["quartier-centre-ville"], animator, "animator")
        join(city.spaces["avis-budget"], animator, "animator")
        join(city.spaces["mobilite-douce"], animator, "member")
        join(city.spaces["personnes-handicapees"], member, "member")
        join(city.spaces["quartier-bellevue"], member, "member")
        join(city.spaces["mobilite-douce"], member, "member")
        join(city.spaces["avis-budget"], guest, "guest", utcnow() + dt.timedelta(days=30))
        join(city.spaces["ville"], admin, "admin")

    people: list[User] = []
    used = {u.email for u in city.accounts.values()}
    while len(people) < 196:
        with atomic():  # fifty people per transaction
            batch_end = min(196, len(people) + 50)
            while len(people) < batch_end:
                first, last = rnd.choice(FIRST), rnd.choice(LAST)
                email = f"{first}.{last}.{len(people)}@example.org".lower()
                for a, b in (("é", "e"), ("è", "e"), ("ï", "i"), ("ë", "e")):
                    email = email.replace(a, b)
                if email in used:
                    continue
                used.add(email)
                people.append(create_user(email, f"{first} {last}",
                                          language="fr" if rnd.random() < 0.9 else "en"))
    city.users = list(city.accounts.values()) + people
    with atomic():  # who is in which council and group
        for index, person in enumerate(people):
            council = councils[index % len(councils)]
            join(council, person, "animator" if index < len(councils) else "member")
            if rnd.random() < 0.3:
                join(city.spaces[rnd.choice([t[0] for t in THEMATIC])], person)
            if rnd.random() < 0.15:
                join(city.spaces["mobilite-douce"], person)
        for expert in people[-2:]:
            join(city.spaces["avis-budget"], expert, "guest", utcnow() + dt.timedelta(days=30))
        # The shared garden has its own animator (the others are gardeners), and the councils'
        # animators follow the city space: every space has an audience for its news.
        for index, person in enumerate(people[20:24]):
            join(city.spaces["jardins-partages"], person, "animator" if index == 0 else "member")
        for person in people[:len(councils)]:
            join(city.spaces["ville"], person)
        for person in people[30:33]:
            request_to_join(city.spaces["quartier-centre-ville"], person,
                            "Bonjour, j'habite le quartier depuis peu et je voudrais participer.")
    with atomic():
        _seed_news(city, councils, people)
    log(f"  {len(city.spaces)} spaces, {User.select().count()} people, "
        f"{Membership.select().count()} memberships")
    # Strict and one by one: a plugin whose seed breaks must stop the demo with its name rather
    # than leave a city that silently lacks its content.
    seeders = set(registry().implementers("seed_demo"))
    for info in registry().ordered():
        if info.name in seeders:
            registry().call_one("seed_demo", info.name, city=city)
            log(f"  seeded {info.name}")
    for finish in city.finishers:
        finish()
    from .moderation import seed as seed_moderation  # after plugins: it may report their items
    seed_moderation(city, log=log)
    from ..notifications.dispatch import dispatch_pending
    log(f"  {dispatch_pending()} events dispatched, "
        f"{Notification.select().where(Notification.read_at.is_null()).count()} unread "
        f"notifications")
    return city


def _seed_news(city: DemoCity, councils: list[Space], people: list[User]) -> None:
    """Kernel events, so members find notifications waiting (plugins add their own): Martine's
    request to join Les Tilleuls is accepted, and two spaces she follows change their
    presentation.  Dispatched synchronously at the end of :func:`seed`."""
    member = city.accounts["member"]
    tilleuls = city.spaces["quartier-les-tilleuls"]
    decide_join_request(request_to_join(tilleuls, member, "Je viens d'emménager rue des Lilas."),
                        True, actor=people[councils.index(tilleuls)])
    city.members.setdefault(tilleuls.id, []).append(member)
    bellevue = city.spaces["quartier-bellevue"]
    update_space(bellevue, actor=people[councils.index(bellevue)],
                 description=bellevue.description + "\n\nProchaine réunion publique : salle "
                 "des fêtes, le premier jeudi du mois à 18 h 30.")
    update_space(city.spaces["mobilite-douce"], actor=city.accounts["animator"],
                 description=city.spaces["mobilite-douce"].description + "\n\nCarte des "
                 "itinéraires cyclables en cours de relevé : contribuez-y !")


def is_seeded() -> bool:
    return Space.select().where(Space.slug == "ville").exists()


def reset_passwords(password: str) -> None:
    """On reuse, the demo accounts take the password given on this run, and the guests' access
    is renewed: a demo reused after a month must still show what a guest sees."""
    from ..identity.accounts import set_password
    for email, _name in ACCOUNTS.values():
        user = User.get_or_none(User.email == email)
        if user is not None:
            set_password(user, password)
    renewed = utcnow() + dt.timedelta(days=30)
    (Membership.update(expires_at=renewed)
     .where((Membership.role == "guest") & (Membership.expires_at < renewed)).execute())
