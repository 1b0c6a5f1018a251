"""Counting, as pure functions over the ballots: nothing here touches the database.

Tallies are always recomputed from the ballots (never stored as counters that could drift), so
this module is the whole of "how a poll is counted" and is tested on textbook profiles.

Conventions: options are ids; a grade is an index into the scale, **0 = the best grade**; a
ranking lists option ids best first.  Every function returns, per option, what the results page
and the API show, plus a ``rank`` (1 = first; tied options share a rank, "1, 1, 3").
"""
from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator, Sequence

MJ_GRADES = 7  # Excellent, Very good, Good, Fair, Passable, Poor, Reject


def competition_ranks(ordered: Sequence, same) -> list[int]:
    """Ranks for an ordered list where ``same(a, b)`` says two neighbours tie ("1, 1, 3")."""
    ranks: list[int] = []
    for i, item in enumerate(ordered):
        ranks.append(ranks[-1] if i and same(ordered[i - 1], item) else i + 1)
    return ranks


def unique_winner(ranked: list[dict]):
    """The first option if it alone has rank 1 (a tie, or no ballot at all, has no winner)."""
    firsts = [o for o in ranked if o["rank"] == 1]
    return firsts[0]["id"] if len(firsts) == 1 else None


# -- counts: single, multiple, approval, yes/no ---------------------------------------------------

def count_choices(option_ids: Sequence[int], ballots: Iterable[Sequence[int]]) -> list[dict]:
    """Each ballot is the list of option ids chosen (one for a single choice)."""
    counts = {oid: 0 for oid in option_ids}
    for chosen in ballots:
        for oid in chosen:
            if oid in counts:
                counts[oid] += 1
    ordered = sorted(option_ids, key=lambda oid: (-counts[oid], option_ids.index(oid)))
    ranks = competition_ranks(ordered, lambda a, b: counts[a] == counts[b])
    rows = [{"id": oid, "count": counts[oid], "rank": r} for oid, r in zip(ordered, ranks)]
    if not any(counts.values()):
        for row in rows:
            row["rank"] = 1
    return rows


def yes_no_winner(rows: list[dict], yes_id: int, no_id: int):
    """Yes wins with more yes than no; no wins with more no; abstentions decide nothing."""
    count = {r["id"]: r["count"] for r in rows}
    if count[yes_id] > count[no_id]:
        return yes_id
    if count[no_id] > count[yes_id]:
        return no_id
    return None


# -- distributions: rating scales and majority judgment -------------------------------------------

def distributions(option_ids: Sequence[int], levels: int,
                  ballots: Iterable[dict]) -> dict[int, list[int]]:
    """Each ballot maps option id -> grade index; the answer: option id -> count per grade.

    Keys may be ids or their text (JSON object keys, as ballots are stored): both are counted,
    without converting every ballot.
    """
    found = {oid: [0] * levels for oid in option_ids}
    rows = dict(found)
    rows.update({str(oid): found[oid] for oid in option_ids})
    for grades in ballots:
        for key, grade in grades.items():
            row = rows.get(key)
            if row is not None and 0 <= grade < levels:
                row[grade] += 1
    return found


def rating(option_ids: Sequence[int], levels: int, ballots: Iterable[dict]) -> list[dict]:
    """Rating scales: the distribution per option, ranked by mean grade (0 best)."""
    dist = distributions(option_ids, levels, ballots)

    def mean(oid):
        total = sum(dist[oid])
        return sum(i * c for i, c in enumerate(dist[oid])) / total if total else float(levels)

    ordered = sorted(option_ids, key=lambda oid: (mean(oid), option_ids.index(oid)))
    ranks = competition_ranks(ordered, lambda a, b: mean(a) == mean(b))
    return [{"id": oid, "grades": dist[oid], "mean": (round(mean(oid), 3) if sum(dist[oid])
                                                     else None), "rank": r}
            for oid, r in zip(ordered, ranks)]


def majority_grade(counts: Sequence[int]) -> int | None:
    """The lower median grade: the best grade that a strict majority gives *or better*.

    With the ballots sorted best first (grade 0 first), it is the one at 0-based position n // 2:
    for an even n, the worse of the two middle grades.
    """
    n = sum(counts)
    if n == 0:
        return None
    position, seen = n // 2, 0
    for grade, count in enumerate(counts):
        seen += count
        if seen > position:
            return grade
    raise AssertionError("unreachable")


def iter_majority_values(counts: Sequence[int]) -> Iterator[tuple[int, int]]:
    """Balinski and Laraki's majority value, run-length encoded: ``(grade, times), ...``.

    The sequence of majority grades met while removing, one at a time, a ballot with the current
    majority grade.  Comparing two options' sequences from the start is exactly "remove one
    majority-grade ballot from each tied option and compare again, until they differ".  It is
    a generator: a comparison reads only as far as the first difference (the sequence may
    alternate between two grades for as long as there are ballots).
    """
    c = list(counts)
    n = sum(c)
    while n > 0:
        m = majority_grade(c)
        below, at = sum(c[:m]), c[m]
        # How many successive states keep m as majority grade: after k removals m stays while
        # below <= (n-k)//2 (i.e. k <= n - 2*below) and (n-k)//2 < below + at - k (i.e.
        # k <= 2*(below+at) - n - 1), with at - k > 0.  Both bounds only shrink as k grows.
        k = min(n - 2 * below, 2 * (below + at) - n - 1, at - 1) + 1
        yield m, k
        c[m] -= k
        n -= k


def majority_values(counts: Sequence[int]) -> list[tuple[int, int]]:
    """The whole sequence of :func:`iter_majority_values` (for tests and explanations)."""
    return list(iter_majority_values(counts))


def compare_values(a: Iterable[tuple[int, int]], b: Iterable[tuple[int, int]]) -> int:
    """-1 if ``a`` is better (its first differing grade is better), 1 if worse, 0 if tied."""
    a, b = iter(a), iter(b)
    grade_a, left_a = next(a, (None, 0))
    grade_b, left_b = next(b, (None, 0))
    while left_a and left_b:
        if grade_a != grade_b:
            return -1 if grade_a < grade_b else 1
        step = min(left_a, left_b)
        left_a -= step
        left_b -= step
        if not left_a:
            grade_a, left_a = next(a, (None, 0))
        if not left_b:
            grade_b, left_b = next(b, (None, 0))
    return 0


def compare_profiles(a: Sequence[int], b: Sequence[int]) -> int:
    """Majority-judgment order of two merit profiles (counts per grade): -1, 0 or 1."""
    first = (majority_grade(a), majority_grade(b))
    if first[0] != first[1]:
        if first[0] is None or first[1] is None:
            return 1 if first[0] is None else -1
        return -1 if first[0] < first[1] else 1
    if list(a) == list(b):
        return 0
    return compare_values(iter_majority_values(a), iter_majority_values(b))


def majority_judgment(option_ids: Sequence[int], ballots: Iterable[dict],
                      levels: int = MJ_GRADES) -> list[dict]:
    """Majority judgment: each option's merit profile, majority grade and rank."""
    dist = distributions(option_ids, levels, ballots)

    def order(a, b):
        found = compare_profiles(dist[a], dist[b])
        return found or (option_ids.index(a) - option_ids.index(b))

    ordered = sorted(option_ids, key=functools.cmp_to_key(order))
    ranks = competition_ranks(ordered, lambda a, b: compare_profiles(dist[a], dist[b]) == 0)
    return [{"id": oid, "grades": dist[oid], "majority_grade": majority_grade(dist[oid]),
             "rank": r} for oid, r in zip(ordered, ranks)]


# -- ranking: Borda and Condorcet -------------------------------------------------------------------

def borda(option_ids: Sequence[int], ballots: Iterable[Sequence[int]]) -> list[dict]:
    """Borda count: with m options, the first of a ranking gets m-1 points, the last 0."""
    m = len(option_ids)
    points = {oid: 0 for oid in option_ids}
    for ranking in ballots:
        for position, oid in enumerate(ranking):
            if oid in points:
                points[oid] += m - 1 - position
    ordered = sorted(option_ids, key=lambda oid: (-points[oid], option_ids.index(oid)))
    ranks = competition_ranks(ordered, lambda a, b: points[a] == points[b])
    return [{"id": oid, "count": points[oid], "rank": r} for oid, r in zip(ordered, ranks)]


def condorcet_winner(option_ids: Sequence[int], ballots: Iterable[Sequence[int]]):
    """The option that a majority prefers to each other option, one by one; None if none does."""
    ballots = list(ballots)
    wins = {(a, b): 0 for a in option_ids for b in option_ids if a != b}
    for ranking in ballots:
        place = {oid: i for i, oid in enumerate(ranking)}
        for a, b in wins:
            if a in place and b in place and place[a] < place[b]:
                wins[(a, b)] += 1
    for a in option_ids:
        if all(wins[(a, b)] > wins[(b, a)] for b in option_ids if b != a):
            return a
    return None
