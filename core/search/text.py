"""French text for search: accent folding, stop words, Snowball stemming, query parsing.

Both engines match on the same idea -- lower case, accents removed, then the French Snowball
stemmer -- so "reunion" finds "réunion" and "réunions" finds "réunion":

* on PostgreSQL the ``placette_french`` configuration does it in the database (unaccent, then
  ``french_stem``, whose stop words are :data:`STOP_WORDS`);
* on SQLite, FTS5 has no French stemmer, so the kernel indexes the output of :func:`stems`
  and turns the query into FTS5 syntax with :func:`fts5_query`, built from quoted stems only:
  nothing a person types can reach FTS5's own syntax, so nothing they type can raise.

The same functions find the words to highlight in result snippets on both engines.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field

import snowballstemmer

MAX_QUERY_CHARS = 300   # what people type beyond this is ignored (a pasted page still searches)
MAX_TERMS = 12

# PostgreSQL's french.stop (the Snowball list), compared -- like PostgreSQL does -- with the
# lower-cased, accent-free word: accented entries therefore never match, exactly as there.
STOP_WORDS = frozenset("""
au aux avec ce ces dans de des du elle en et eux il je la le leur lui ma mais me même mes moi mon
ne nos notre nous on ou par pas pour qu que qui sa se ses son sur ta te tes toi ton tu un une vos
votre vous c d j l à m n s t y été étée étées étés étant étante étants étantes suis es est sommes
êtes sont serai seras sera serons serez seront serais serait serions seriez seraient étais était
étions étiez étaient fus fut fûmes fûtes furent sois soit soyons soyez soient fusse fusses fût
fussions fussiez fussent ayant ayante ayantes ayants eu eue eues eus ai as avons avez ont aurai
auras aura aurons aurez auront aurais aurait aurions auriez auraient avais avait avions aviez
avaient eut eûmes eûtes eurent aie aies ait ayons ayez aient eusse eusses eût eussions eussiez
eussent""".split())

_SPECIAL = str.maketrans({"œ": "oe", "æ": "ae", "ß": "ss", "ø": "o", "ł": "l", "đ": "d",
                          "’": "'", "ʼ": "'"})
_WORD = re.compile(r"\w+", re.UNICODE)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_stemmer = snowballstemmer.stemmer("french")


def fold(text: str) -> str:
    """Lower case without accents: "Réunion Œuvre" -> "reunion oeuvre"."""
    decomposed = unicodedata.normalize("NFKD", (text or "").lower().translate(_SPECIAL))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def clean(text: str) -> str:
    """Drop control characters (NUL cannot even be stored in PostgreSQL text)."""
    return _CONTROL.sub(" ", text or "")


@functools.lru_cache(maxsize=50_000)
def stem(word: str) -> str | None:
    """The indexed form of one word (already split), or ``None`` for a stop word."""
    folded = fold(word)
    if not folded or folded in STOP_WORDS:
        return None
    return _stemmer.stemWord(folded)


def stems(text: str) -> list[str]:
    """Every indexed form in ``text``, in order (stop words dropped, as PostgreSQL does)."""
    found = []
    for match in _WORD.finditer(fold(clean(text))):
        stemmed = stem(match.group())
        if stemmed:
            found.append(stemmed)
    return found


def index_text(text: str) -> str:
    """What the SQLite index stores for ``text``: its stems separated by spaces."""
    return " ".join(stems(text))


# -- what people type ---------------------------------------------------------------------------

@dataclass
class ParsedQuery:
    """A search-box string understood the way PostgreSQL's ``websearch_to_tsquery`` does:
    words are all required, ``"quoted words"`` form a phrase, ``OR`` offers alternatives and a
    leading ``-`` excludes.  ``groups`` is an AND of OR-groups of phrases (lists of stems)."""

    text: str
    groups: list[list[list[str]]] = field(default_factory=list)
    excluded: list[list[str]] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        """Nothing positive to look for (empty, punctuation, stop words, only exclusions)."""
        return not self.groups

    @property
    def highlight(self) -> set[str]:
        return {s for group in self.groups for phrase in group for s in phrase}


_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')


def parse(raw: str) -> ParsedQuery:
    """Understand a search box; never raises, whatever the input."""
    text = clean(raw or "")[:MAX_QUERY_CHARS].strip()
    parsed = ParsedQuery(text)
    pending_or = False
    terms = 0
    for match in _TOKEN.finditer(text):
        negative, quoted, bare = match.group(1), match.group(2), match.group(3)
        if bare is not None:
            if bare.upper() == "OR":
                pending_or = bool(parsed.groups)
                continue
            negative = "-" if bare.startswith("-") else ""
            quoted = bare.lstrip("-")
        phrase = stems(quoted or "")
        if not phrase:
            continue
        terms += 1
        if terms > MAX_TERMS:
            break
        if negative:
            parsed.excluded.append(phrase)
        elif pending_or:
            parsed.groups[-1].append(phrase)
        else:
            parsed.groups.append([phrase])
        pending_or = False
    return parsed


def fts5_query(parsed: ParsedQuery) -> str:
    """The FTS5 MATCH expression of a parsed query: quoted stems only (\\w characters), so it is
    always valid FTS5 syntax."""
    def phrase(words: list[str]) -> str:
        return '"' + " ".join(words) + '"'

    positive = " AND ".join("(" + " OR ".join(phrase(p) for p in group) + ")"
                            for group in parsed.groups)
    if parsed.excluded:
        positive += " NOT (" + " OR ".join(phrase(p) for p in parsed.excluded) + ")"
    return positive
