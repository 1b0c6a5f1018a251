"""Space names inside French sentences: "Agenda du Conseil des personnes handicapées".

A French catalogue says "Agenda de %(space)s"; with a council's name that must read "Agenda *du*
Conseil ...", with a town "Agenda *de* Villeneuve", with an assembly "Agenda *de l'*Assemblée
...".  So a space's name is passed to a translated string as :func:`in_text` (``space|in_text``
in templates), which carries the French article with it.  The kernel's ``gettext`` then writes
the article and contracts it with the word before, in French only: de + le -> du, de + les ->
des, à + le -> au, à + les -> aux, de + a vowel -> d'.  At the start of a sentence the name is
written alone.  English (and any language without articles in the table) gets the name.

The article is the space's setting ``article`` (the space's settings page) or, left on "auto",
guessed from the name's first word: a known common noun (Conseil, Commission, Groupe,
Assemblée...) takes its article, anything else is taken for a proper noun (a town) and takes
none.  A city whose space is named otherwise sets the article once.
"""
from __future__ import annotations

import re
import unicodedata

from markupsafe import Markup, escape

ARTICLES = ("le", "la", "l'", "les", "")

# Common nouns a city names its spaces with, by gender; plurals are recognised by their "s"/"x".
_MASCULINE = {"conseil", "comité", "comite", "quartier", "groupe", "collectif", "atelier",
              "bureau", "forum", "réseau", "reseau", "club", "centre", "pôle", "pole", "jury",
              "panel", "observatoire", "parlement", "budget", "projet", "secteur", "village",
              "cercle", "laboratoire", "lab", "espace", "service", "département"}
_FEMININE = {"commission", "assemblée", "assemblee", "maison", "mission", "table", "conférence",
             "conference", "cellule", "instance", "convention", "association", "délégation",
             "delegation", "fabrique", "agora", "coordination", "plateforme", "ville",
             "communauté", "communaute", "métropole", "metropole", "cité", "cite", "équipe",
             "equipe", "direction", "fédération", "federation", "concertation"}

_VOWELS = set("aàâäeéèêëiîïoôöuùûüy")  # not h: "de Haute-Ville"
_FIRST_WORD = re.compile(r"[^\s\-'’]+")


def _starts_with_vowel(word: str) -> bool:
    return bool(word) and word[0].lower() in _VOWELS


def guess_article(name: str) -> str:
    """The French article a space's name takes in a sentence, from its first word."""
    match = _FIRST_WORD.match((name or "").strip())
    if not match:
        return ""
    word = unicodedata.normalize("NFC", match.group(0)).lower()
    singular = word[:-1] if word[-1:] in ("s", "x") else None
    if word in _MASCULINE or word in _FEMININE:
        if _starts_with_vowel(word):
            return "l'"
        return "le" if word in _MASCULINE else "la"
    if singular and (singular in _MASCULINE or singular in _FEMININE):
        return "les"
    return ""


class SpaceName(str):
    """A space's name (``str`` of it is the name) that knows its French article."""

    article: str

    def __new__(cls, name: str, article: str = ""):
        value = super().__new__(cls, name)
        value.article = article if article in ARTICLES else ""
        return value


def in_text(space) -> SpaceName:
    """``space`` (a Space, or a name) ready for a translated sentence."""
    if isinstance(space, SpaceName):
        return space
    if isinstance(space, str):
        return SpaceName(space, guess_article(space))
    from .space_settings import space_settings
    chosen = getattr(space_settings(space), "article", "auto")
    article = guess_article(space.name) if chosen == "auto" else \
        ("" if chosen == "none" else chosen)
    return SpaceName(space.name, article)


_MARK = "\x00{}\x00"
_BEFORE = re.compile(r"(?:(?P<word>\b[Dd]e|\b[Àà]) )?\x00(?P<key>\w+)\x00")


def _with_article(word: str | None, article: str, name: str, start: bool) -> str:
    """The name with its article, merged with the preposition ``word`` (de, à) before it."""
    if word is None:
        if start:
            return name
        if article == "l'":
            return "l’" + name
        return f"{article} {name}" if article else name
    de = word.lower() == "de"
    if article in ("le", "les"):
        merged = {("le", True): "du", ("les", True): "des",
                  ("le", False): "au", ("les", False): "aux"}[(article, de)]
        return f"{merged.capitalize() if word[0].isupper() else merged} {name}"
    if article == "la":
        return f"{word} la {name}"
    if article == "l'":
        return f"{word} l’{name}"
    if de and _starts_with_vowel(name):
        return f"{word[0]}’{name}"
    return f"{word} {name}"


def french(text: str, variables: dict) -> str:
    """``text % variables`` where the SpaceName variables take their article, contracted.

    ``text`` may be :class:`~markupsafe.Markup` (a template's translated string): the other
    variables are escaped by the formatting, the names here, and the result stays Markup."""
    names = {key: value for key, value in variables.items() if isinstance(value, SpaceName)}
    if not names:
        return text % variables
    marked = dict(variables)
    for key in names:
        marked[key] = _MARK.format(key)
    formatted = text % marked
    markup = isinstance(formatted, Markup)

    def replace(match):
        name = names[match.group("key")]
        before = formatted[:match.start()].rstrip()
        start = not before or before.endswith((".", "!", "?", ">"))
        phrase = _with_article(match.group("word"), name.article, str(name), start)
        return str(escape(phrase)) if markup else phrase
    result = _BEFORE.sub(replace, str(formatted))
    return Markup(result) if markup else result


def format_text(text: str, variables: dict, language: str | None) -> str:
    """``text % variables``, French names with their articles when ``language`` is French."""
    if language == "fr":
        return french(text, variables)
    return text % variables
