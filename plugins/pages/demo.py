"""The demo city's pages: the city's charter of participation, accessibility statement and legal
notice (linked from the footer of every page), how the Centre-ville council works, and a page in
every other space: how each council works, and each working group's own rules (the private
drafting group's method, the shared garden's rules).

Written by the demo's city administrator (Claire, journey "writes the editorial rules page") and
by the Centre-ville council's animator; no event is emitted while seeding.  Headings start at
``#``: the kernel's Markdown makes them ``h2`` under the page's title (its only ``h1``).
"""
from __future__ import annotations

import placette

from . import service

CITY = "Villeneuve-sur-Loire"

CHARTER = f"""Ce site est l'espace en ligne de la participation citoyenne de {CITY} : les conseils
de quartier, les conseils thématiques et leurs groupes de travail y préparent leurs réunions, y
partagent leurs documents et y débattent. Pour que chacun puisse s'y exprimer sereinement, toute
personne qui y participe s'engage à respecter cette charte.

# Les règles de la discussion

- **Respecter les personnes.** On débat des idées, jamais des personnes : pas d'attaque
  personnelle, d'insulte, de moquerie ni de propos discriminatoires (origine, sexe, handicap,
  religion, orientation sexuelle, âge...).
- **Rester courtois et constructif**, y compris en cas de désaccord. Les élus, les agents de la
  ville et les animateurs bénévoles ont droit au même respect que les habitants.
- **Pas de publicité** ni de démarchage commercial, politique ou associatif sans rapport avec les
  travaux du conseil.
- **Respecter la vie privée** : ne publiez pas d'informations personnelles sur autrui (adresse,
  téléphone, photos prises sans accord).
- **Respecter la loi** : pas de propos diffamatoires, pas de contenu illicite, pas de documents
  dont vous n'avez pas les droits.
- **Rester dans le sujet** de l'espace où vous écrivez.

# Signaler un contenu

Sous chaque contribution, le lien **« Signaler ce contenu »** permet à toute personne connectée
de prévenir les animateurs, en précisant la raison (publicité, propos injurieux, autre). Un
signalement est anonyme pour l'auteur du contenu.

Lorsque plusieurs personnes différentes signalent le même contenu (trois par défaut), il est
masqué en attendant qu'un animateur l'examine.

# La modération

Les animateurs de chaque conseil examinent les contenus signalés dans la **file de modération**
de leur espace. Pour chacun, ils décident de le rétablir ou de le masquer, et indiquent la raison
de leur décision ; l'auteur en est informé et peut en discuter avec eux. Un contenu masqué n'est
pas supprimé : il peut être rétabli.

Certains espaces relisent les premières contributions des nouveaux venus avant de les publier.

Chaque décision de modération est enregistrée. En cas de manquements répétés à la charte, un
compte peut être suspendu par l'administration de la ville.

# Contact

Une question sur cette charte ou sur une décision de modération : écrivez à
[participation@villeneuve-sur-loire.example](mailto:participation@villeneuve-sur-loire.example).
"""

ACCESSIBILITY = f"""La ville de {CITY} s'engage à rendre ce site accessible conformément à
l'article 47 de la loi n° 2005-102 du 11 février 2005.

Cette déclaration d'accessibilité s'applique au site de la participation citoyenne de {CITY}.

# État de conformité

Ce site est **partiellement conforme** avec le référentiel général d'amélioration de
l'accessibilité (RGAA), version 4.1, en raison des non-conformités et des dérogations
énumérées ci-dessous.

# Résultats des tests

L'audit de conformité réalisé en interne révèle que 82 % des critères du RGAA 4.1 sont
respectés.

# Contenus non accessibles

## Non-conformités

- Certains documents bureautiques (PDF, tableurs) déposés par les conseils ne sont pas
  accessibles, notamment les comptes rendus numérisés.
- Quelques photographies des galeries n'ont pas encore de texte alternatif pertinent.

## Dérogations pour charge disproportionnée

- Les archives des comptes rendus antérieurs à 2020, numérisées en images.

## Contenus non soumis à l'obligation d'accessibilité

- Les cartes interactives proposées par des services tiers.

# Établissement de cette déclaration

Cette déclaration a été établie le 2 janvier 2026.

Technologies utilisées : HTML5, CSS ; le site fonctionne sans JavaScript.

Environnements de test : Firefox avec NVDA, Safari avec VoiceOver, Chrome avec la loupe du
système, navigation au clavier seul.

# Retour d'information et contact

Si vous n'arrivez pas à accéder à un contenu ou à un service, vous pouvez **signaler le
problème** au service de la participation citoyenne pour être orienté vers une alternative
accessible ou obtenir le contenu sous une autre forme :

- par courriel : [accessibilite@villeneuve-sur-loire.example](mailto:accessibilite@villeneuve-sur-loire.example) ;
- par téléphone : 02 00 00 00 00 (du lundi au vendredi, de 9 h à 17 h) ;
- par courrier : Mairie de {CITY}, service de la participation citoyenne, 1 place de la
  Mairie, 45000 {CITY}.

# Voies de recours

Si vous avez signalé un défaut d'accessibilité qui vous empêche d'accéder à un contenu ou à un
service et que vous n'avez pas obtenu de réponse satisfaisante, vous pouvez :

- écrire un message au [Défenseur des droits](https://formulaire.defenseurdesdroits.fr/) ;
- contacter le délégué du Défenseur des droits dans votre région ;
- envoyer un courrier (gratuit, sans affranchissement) : Défenseur des droits, Libre réponse
  71120, 75342 Paris CEDEX 07.
"""

LEGAL = f"""# Éditeur du site

Mairie de {CITY}, 1 place de la Mairie, 45000 {CITY}.
Téléphone : 02 00 00 00 00. Courriel :
[participation@villeneuve-sur-loire.example](mailto:participation@villeneuve-sur-loire.example).

Directrice de la publication : la maire de {CITY}.

# Hébergement

Le site est hébergé par le service informatique de la ville, sur des serveurs situés en France.

# Données personnelles

Les informations recueillies sur ce site (nom affiché, adresse électronique, appartenance aux
conseils, contributions) sont traitées par la ville de {CITY} pour faire fonctionner la
participation citoyenne, sur le fondement de sa mission d'intérêt public. Elles ne sont ni
vendues ni cédées.

Conformément au règlement général sur la protection des données (RGPD), vous pouvez :

- **télécharger vos données** à tout moment depuis votre profil (« Mes données ») ;
- **supprimer votre compte** depuis votre profil : vos contributions restent, sans votre nom ;
- exercer vos droits d'accès, de rectification, d'opposition et de limitation auprès du
  délégué à la protection des données :
  [dpo@villeneuve-sur-loire.example](mailto:dpo@villeneuve-sur-loire.example).

Vous pouvez aussi adresser une réclamation à la [CNIL](https://www.cnil.fr/).

# Cookies

Le site n'utilise que les cookies nécessaires à son fonctionnement : la session de la personne
connectée et la langue choisie. Aucun cookie de mesure d'audience ni de publicité.

# Propriété intellectuelle

Les contenus publiés par les conseils restent la propriété de leurs auteurs. Le site fonctionne
avec placette, un logiciel libre publié sous licence AGPL-3.0.
"""

HOW_WE_WORK = """Le conseil de quartier Centre-ville réunit des habitants, des représentants des
associations et des commerçants du quartier, ainsi que les élus de secteur.

# Nos réunions

- **Une réunion plénière par mois**, ouverte à tous, à la salle des fêtes. La date et l'ordre du
  jour sont publiés dans l'agenda au moins deux semaines avant.
- Chacun peut proposer un point à l'ordre du jour en écrivant aux animateurs, jusqu'à une
  semaine avant la réunion.
- Le **compte rendu** est publié dans l'agenda, avec la réunion, dans les quinze jours.

# Nos groupes de travail

Les sujets qui demandent plus de temps sont préparés en petits groupes : en ce moment, la
rédaction de l'avis sur le budget et la mobilité douce, partagée avec les autres conseils.

# Comment nous décidons

Nous cherchons d'abord le consensus. À défaut, les avis sont adoptés à la majorité des membres
présents ; les positions minoritaires figurent au compte rendu.

# Participer

Tout habitant du quartier peut demander à rejoindre le conseil depuis sa page d'accueil. Les
échanges suivent la charte de la participation de la ville.
"""

COUNCIL = """Le {name} se réunit une fois par mois ; les réunions sont annoncées dans l'agenda,
avec leur ordre du jour, et leur compte rendu y est publié ensuite.

# Participer

- Proposez un point à l'ordre du jour en écrivant aux animateurs.
- Les documents de travail sont rangés dans la bibliothèque du conseil.
- Les échanges suivent la charte de la participation de la ville.
"""

GROUP_PAGES = {
    "avis-budget": ("methode-de-redaction", "Méthode de rédaction", """Le groupe rédige l'avis
du conseil de quartier Centre-ville sur le budget de la ville, avec deux experts invités pour un
mois.

# Comment nous écrivons

1. Chaque rédacteur prend un chapitre et dépose sa partie dans les **documents de travail**.
2. Le projet d'avis est relu en séance ; chaque séance produit une nouvelle version.
3. La version finale est votée en séance de relecture, puis envoyée à la ville.

# Confidentialité

Les brouillons restent dans le groupe jusqu'à la publication de l'avis : ils ne sont ni cités
ni diffusés à l'extérieur.
"""),
    "mobilite-douce": ("feuille-de-route", "Feuille de route", """Le groupe de travail réunit
des membres de dix conseils de quartier autour des déplacements à pied et à vélo.

# D'ici l'été

- Relever les itinéraires cyclables existants et leurs points dangereux.
- Proposer des zones apaisées autour des écoles.
- Présenter une carte commune aux conseils de quartier.
"""),
    "jardins-partages": ("reglement-du-jardin", "Règlement du jardin", """Les jardins partagés
sont ouverts aux membres du groupe, tous les jours de 8 h à 20 h.

# Les règles communes

- Pas de pesticides ni d'engrais chimiques.
- L'eau de pluie est partagée : un tour d'arrosage par semaine et par jardinier.
- Les outils communs sont rangés dans l'abri après usage.
"""),
}

PAGES = {
    "ville": [
        ("charte-de-la-participation", "Charte de la participation", CHARTER, 10),
        ("declaration-d-accessibilite", "Déclaration d'accessibilité", ACCESSIBILITY, 20),
        ("mentions-legales", "Mentions légales", LEGAL, 30),
    ],
    "quartier-centre-ville": [
        ("notre-fonctionnement", "Notre fonctionnement", HOW_WE_WORK, 10),
    ],
}


def _pages_of(space) -> list[tuple[str, str, str, int]]:
    if space.slug in PAGES:
        return PAGES[space.slug]
    if space.slug in GROUP_PAGES:
        return [(*GROUP_PAGES[space.slug], 10)]
    return [("notre-fonctionnement", "Notre fonctionnement", COUNCIL.format(name=space.name),
             10)]


def seed(city) -> dict[str, int]:
    written = 0
    for space in city.spaces_with("pages"):
        pages = _pages_of(space)
        writer = city.accounts["admin"] if space.kind == "city" else city.animators_of(space)[0]
        for page_slug, title, body, position in pages:
            service.create_page(space, writer, {"slug": page_slug, "title": title,
                                                "body": body, "position": position},
                                notify=False)
            written += 1
    return {"pages": written}
