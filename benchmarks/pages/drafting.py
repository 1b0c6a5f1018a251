"""Drafting pages: a 60-paragraph draft opinion in consultation (its text with each paragraph's
summary), the page of its busiest paragraph (its comments, rating and amendments) and a
council's list of opinions; plus the time of a save that three-way merges the draft.

Volume: the draft has 60 paragraphs, 300 comments (a fifth of them replies, one in ten outdated)
and 2,000 ratings at the small scale (10,000 at medium, with more people rating) -- the issue's
"60-paragraph draft with 300 comments and 2,000 ratings".  The draft goes through the service
(create, open for consultation); comments and ratings are bulk-inserted.
"""
from __future__ import annotations

import statistics
import time

REQUIRES = ["drafting"]
PARAGRAPHS = 60
COMMENTS = 300
RATINGS = {"small": 2000, "medium": 10000}


def _council(city):
    from placette.models import Membership
    mine = {m.space_id for m in Membership.select(Membership.space)
            .where(Membership.user == city.viewer.id)}
    return next((c for c in city.councils if c.id in mine), city.councils[0])


def text(n: int, variant: str = "") -> str:
    return "\n\n".join(
        f"Paragraphe {i}{variant if i == n else ''} : le conseil de quartier demande que la rue "
        f"numéro {i} soit apaisée, avec des trottoirs élargis, des arbres et des bancs, et que "
        f"les habitants soient associés aux travaux dès leur conception." for i in
        range(PARAGRAPHS))


def seed(city) -> None:
    from placette.models import Membership
    from placette_plugins.drafting import service
    from placette_plugins.drafting.models import Comment, Rating
    rng, now = city.rng, city.now
    council = _council(city)
    draft = service.create_draft(council, city.admin, "Avis sur l’apaisement des rues",
                                 text(-1))
    service.change_state(draft, city.admin, "consultation", notify=False)
    paras = service.paragraphs(service.version_of(draft))
    people = [m.user_id for m in Membership.select(Membership.user)
              .where(Membership.space == council.id).limit(400)]
    rows, roots = [], []
    base = (Comment.select(Comment.id).order_by(Comment.id.desc()).scalar() or 0)
    for n in range(COMMENTS):
        cid = base + n + 1
        p = paras[rng.randrange(PARAGRAPHS)]
        reply = n % 5 == 4 and roots
        quote = "trottoirs élargis"
        start = p.text.index(quote)
        rows.append({"id": cid, "draft": draft.id, "parent": rng.choice(roots) if reply else None,
                     "own": None, "author": rng.choice(people),
                     "body": f"Remarque n° {n} : **d’accord**, mais la rue mérite un débat.",
                     "version": 1, "paragraph": p.id, "quote": "" if reply else quote,
                     "prefix": p.text[max(0, start - 32):start],
                     "suffix": p.text[start + len(quote):start + len(quote) + 32],
                     "at_paragraph": p.id, "at_text": p.text, "at_start": start,
                     "at_end": start + len(quote),
                     "anchor_state": "outdated" if n % 10 == 3 else "anchored",
                     "resolved_at": None, "resolved_by": None,
                     "created_at": now})
        if not reply:
            roots.append(cid)
    city.bulk_insert(Comment, rows)
    wanted = RATINGS.get(city.scale, 2000)
    ratings = []
    for person in people:
        for p in paras:
            if len(ratings) >= wanted:
                break
            ratings.append({"draft": draft.id, "paragraph": p.id, "user": person,
                            "agreement": rng.randint(1, 5), "updated_at": now})
    city.bulk_insert(Rating, ratings)
    city.drafting_url = f"/s/{council.slug}/drafting/{draft.id}"
    # The paragraph with the most comments: its page shows them twenty a page.
    busiest = max(paras, key=lambda p: sum(1 for r in rows if r["at_paragraph"] == p.id))
    city.drafting_paragraph_url = f"{city.drafting_url}/paragraphs/{busiest.id}"
    city.drafting_council = council.slug
    city.drafting_draft = draft.id
    city.drafting_ratings = len(ratings)


def pages(city) -> dict:
    return {
        "drafting_draft": (city.viewer, city.drafting_url),
        "drafting_paragraph": (city.viewer, city.drafting_paragraph_url),
        "drafting_index": (city.viewer, f"/s/{city.drafting_council}/drafting/"),
    }


def measure_merge_save(city, repeat: int = 20) -> dict:
    """A save written from the version before the newest one, on the 60-paragraph draft with
    its 300 comments: the three-way merge, the new version, re-anchoring, the registry row.
    Each round: one person saves a change to paragraph 10 (from the newest version), then a
    second person saves a change to paragraph 40 written from the version before -- timed."""
    from placette_plugins.drafting import service
    from placette_plugins.drafting.models import Draft
    draft = Draft.get_by_id(city.drafting_draft)
    draft.space = draft.space  # loaded once
    samples, cpu = [], []
    for n in range(repeat):
        base = draft.version
        first = service.version_of(draft).body.replace("numéro 10 ", f"numéro 10 ({n}a) ")
        service.save(draft, city.admin, first, base, "")
        mine = service.version_of(draft, base).body.replace("numéro 40 ", f"numéro 40 ({n}b) ")
        started, started_cpu = time.perf_counter(), time.process_time()
        _version, merged = service.save(draft, city.admin, mine, base, "")
        samples.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
        assert merged
    samples.sort()
    # A find-and-replace through the whole text: every paragraph changes, each keeps its id.
    body = service.version_of(draft).body.replace("numéro", "n°")
    started = time.perf_counter()
    service.save(draft, city.admin, body, draft.version, "")
    every = (time.perf_counter() - started) * 1000
    return {"drafting_save_every_paragraph_changed_ms": round(every, 2),"drafting_merge_save_p50_ms": round(statistics.median(samples), 2),
            "drafting_merge_save_p95_ms": round(samples[int(len(samples) * 0.95) - 1], 2),
            "drafting_merge_save_cpu_p50_ms": round(statistics.median(cpu), 2),
            "drafting_ratings": city.drafting_ratings}
