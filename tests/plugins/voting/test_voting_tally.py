"""The counting rules on textbook profiles (pure functions: no app, no database)."""
from __future__ import annotations

import itertools
import random

from placette_plugins.voting import tally


def profile(counts: list[int]) -> list[int]:
    """Expand counts per grade into the list of grades, best first."""
    return [g for g, c in enumerate(counts) for _ in range(c)]


def naive_values(grades: list[int]) -> list[int]:
    """The issue's rule written out literally: the lower median, remove one, again."""
    grades = sorted(grades)
    out = []
    while grades:
        m = grades[len(grades) // 2]
        out.append(m)
        grades.remove(m)
    return out


def test_majority_grade_is_the_lower_median():
    assert tally.majority_grade([1, 1, 0, 0, 0, 0, 0]) == 1  # Excellent, Very good -> Very good
    assert tally.majority_grade([0, 2, 0, 2, 0, 0, 0]) == 3  # even: the worse middle grade
    assert tally.majority_grade([3, 0, 0, 0, 0, 0, 2]) == 0  # 3 of 5 say Excellent
    assert tally.majority_grade([0] * 7) is None


def test_majority_values_follow_the_literal_rule_on_random_profiles():
    rng = random.Random(20)
    for _ in range(300):
        counts = [rng.randint(0, 6) for _ in range(7)]
        expanded = [g for g, times in tally.majority_values(counts) for _ in range(times)]
        assert expanded == naive_values(profile(counts))


def test_tie_broken_by_removing_majority_grade_ballots():
    # A: Very good, Good, Good, Fair, Passable -- B: Excellent, Good, Good, Good, Reject.
    # Both have Good; one Good removed from each: A -> Fair, B -> Good. B wins.
    a, b = 1, 2
    ballots = [{a: 1, b: 0}, {a: 2, b: 2}, {a: 2, b: 2}, {a: 3, b: 2}, {a: 4, b: 6}]
    rows = tally.majority_judgment([a, b], ballots)
    assert [(r["id"], r["majority_grade"], r["rank"]) for r in rows] == [(b, 2, 1), (a, 2, 2)]
    assert rows[0]["grades"] == [1, 0, 3, 0, 0, 0, 1]
    assert tally.unique_winner(rows) == b


def test_four_cities_profile_computed_by_hand():
    """The four-city profile of the Tennessee capital example, 100 voters on a 4-grade scale
    (0 Excellent ... 3 Poor), computed by hand: Chattanooga has Very good; Nashville and
    Knoxville both have Good; removing Good ballots one at a time, Knoxville falls to Poor at
    the 17th removal while Nashville keeps Good, so Nashville is second; Memphis has Poor."""
    memphis, nashville, chattanooga, knoxville = 1, 2, 3, 4
    blocs = [
        (42, {memphis: 0, nashville: 2, chattanooga: 3, knoxville: 3}),
        (26, {memphis: 3, nashville: 0, chattanooga: 1, knoxville: 2}),
        (15, {memphis: 3, nashville: 2, chattanooga: 0, knoxville: 1}),
        (17, {memphis: 3, nashville: 2, chattanooga: 1, knoxville: 0}),
    ]
    ballots = [grades for count, grades in blocs for _ in range(count)]
    rows = tally.majority_judgment([memphis, nashville, chattanooga, knoxville], ballots, levels=4)
    assert [(r["id"], r["majority_grade"], r["rank"]) for r in rows] == [
        (chattanooga, 1, 1), (nashville, 2, 2), (knoxville, 2, 3), (memphis, 3, 4)]
    assert tally.majority_values([17, 15, 26, 42])[:2] == [(2, 16), (3, 1)]
    assert tally.majority_values([26, 0, 74, 0])[:2] == [(2, 49), (0, 1)]


def test_all_equal_profiles_tie_and_have_no_winner():
    ballots = [{1: g, 2: g} for g in (0, 3, 3, 6)]
    rows = tally.majority_judgment([1, 2], ballots)
    assert [r["rank"] for r in rows] == [1, 1]
    assert tally.unique_winner(rows) is None


def test_majority_judgment_ranks_match_the_literal_rule_exhaustively():
    # every profile of 3 ballots over 3 options on a 3-grade scale
    for grades in itertools.product(range(3), repeat=6):
        ballots = [{1: grades[0], 2: grades[1]}, {1: grades[2], 2: grades[3]},
                   {1: grades[4], 2: grades[5]}]
        rows = tally.majority_judgment([1, 2], ballots, levels=3)
        v1 = naive_values([b[1] for b in ballots])
        v2 = naive_values([b[2] for b in ballots])
        rank = {r["id"]: r["rank"] for r in rows}
        assert (rank[1] < rank[2]) == (v1 < v2)
        assert (rank[1] == rank[2]) == (v1 == v2)


def test_borda_and_condorcet():
    a, b, c = 1, 2, 3
    ballots = [[a, b, c]] * 3 + [[b, c, a]] * 2
    rows = tally.borda([a, b, c], ballots)
    assert [(r["id"], r["count"], r["rank"]) for r in rows] == [(b, 7, 1), (a, 6, 2), (c, 2, 3)]
    assert tally.condorcet_winner([a, b, c], ballots) == a  # 3 of 5 put a before b and c


def test_condorcet_cycle_has_no_winner():
    a, b, c = 1, 2, 3
    assert tally.condorcet_winner([a, b, c], [[a, b, c], [b, c, a], [c, a, b]]) is None


def test_counts_rank_ties_together():
    rows = tally.count_choices([1, 2, 3], [[1], [2], [1, 2], [3]])
    assert [(r["id"], r["count"], r["rank"]) for r in rows] == [(1, 2, 1), (2, 2, 1), (3, 1, 3)]
    assert tally.unique_winner(rows) is None


def test_rating_distribution_and_mean():
    rows = tally.rating([1, 2], 5, [{1: 0, 2: 4}, {1: 1, 2: 2}])
    assert rows[0] == {"id": 1, "grades": [1, 1, 0, 0, 0], "mean": 0.5, "rank": 1}
    assert rows[1]["grades"] == [0, 0, 1, 0, 1]
