"""Benchmark pages of search and moderation (owner: modsearch).

``seed`` bulk-inserts notes (the kernel's own resource kind, so no plugin is needed) spread over
every space -- one in :data:`LONG_SHARE` carrying the text of a long document, as minutes or a
PDF's text do in a city (about 2,000 words: the engine's ranking and the snippets pay for long
texts, a corpus of short notes alone would hide it) -- builds the full-text index in bulk, and
files reports on a slice of them; ``pages``
measures the search page of the "dashboard" person (member of 20 spaces: the permission gate in
SQL has real work) and the city-wide moderation queue of the admin.
"""
from __future__ import annotations

REQUIRES: list[str] = []

NOTES = {"small": 3_000, "medium": 60_000}
REPORTED_SHARE = 50       # one note in 50 is reported
LONG_SHARE = 20           # one note in 20 carries a long document's text...
LONG_WORDS = 2_000        # ...of about this many words (some 13 KB)
QUERY = "/search?q=r%C3%A9union+quartier"

TOPICS = ["projet", "habitants", "rue", "place", "quartier", "budget", "mobilité", "vélo",
          "jardin", "école", "marché", "propreté", "éclairage", "sécurité", "logement", "culture",
          "sport", "jeunesse", "association", "parc", "travaux", "circulation", "stationnement",
          "bibliothèque", "piscine", "fête", "voisins", "compost", "arbres", "bancs", "réunion",
          "réunions", "concertation", "mairie", "élus", "transport", "bus", "trottoir"]
FORMS = ["Compte rendu", "Proposition", "Question", "Idée", "Avis", "Invitation", "Bilan"]
# Word frequencies follow Zipf's law, as in real text: the topic words above are the most common
# (with "quartier" and "réunion" in a few percent of the notes), then a long tail.
VOCABULARY = TOPICS + [f"terme{n}" for n in range(2000)]
CUM_WEIGHTS = list(__import__("itertools").accumulate(1 / (rank + 3) for rank in range(len(VOCABULARY))))


def _text(rng, words: int) -> str:
    return " ".join(rng.choices(VOCABULARY, cum_weights=CUM_WEIGHTS, k=words))


def seed(city) -> None:
    from placette.models import ModerationCase, Report, Resource, SearchDocument
    from placette.search.engines import rebuild

    rng = city.rng
    count = NOTES.get(city.scale, NOTES["small"])
    spaces = city.spaces
    first = Resource.select().where(Resource.plugin == "placette").count()
    rows = []
    for n in range(first, first + count):
        space = spaces[n % len(spaces)]
        title = f"{rng.choice(FORMS)} : {_text(rng, 3)}"
        rows.append({"plugin": "placette", "kind": "note", "object_id": f"bench{n}",
                     "space": space.id, "visibility": None,
                     "author": rng.choice(city.user_ids), "title": title,
                     "summary": f"{_text(rng, 25)}.", "url": f"/s/{space.slug}/notes/bench{n}",
                     "state": "visible", "created_at": city.now, "updated_at": city.now})
    city.bulk_insert(Resource, rows)
    notes = [rid for (rid,) in Resource.select(Resource.id).where(Resource.plugin == "placette")
             .order_by(Resource.id).offset(first).tuples()]
    city.bulk_insert(SearchDocument, [
        {"resource": rid, "body": " ".join(f"{_text(rng, 20)}." for _ in range(LONG_WORDS // 20)),
         "indexed_at": city.now} for rid in notes[::LONG_SHARE]], chunk=100)
    rebuild(hooks=False)

    reported = list(Resource.select(Resource.id, Resource.author, Resource.space)
                    .where(Resource.plugin == "placette")
                    .order_by(Resource.id).offset(first).tuples())[::REPORTED_SHARE]
    # a case keeps its resource's space and plugin, and its rank (visible: 1), as
    # placette.moderation.service.open_case writes them
    city.bulk_insert(ModerationCase, [
        {"resource": rid, "open": True, "trigger": "reports", "report_count": 1,
         "opened_at": city.now, "last_report_at": city.now, "space_id": sid,
         "plugin": "placette", "rank": 1} for rid, _author, sid in reported])
    city.bulk_insert(Report, [
        {"resource": rid, "reporter": rng.choice(city.user_ids), "category": "abuse",
         "reason": "Propos déplacés.", "created_at": city.now} for rid, _author, _sid in reported])


def pages(city) -> dict:
    return {
        "search": (city.viewer, QUERY),
        "moderation_queue": (city.admin, "/moderation"),
    }
