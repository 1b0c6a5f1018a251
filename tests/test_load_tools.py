"""The load and fault tools' own logic (no servers): the plan they send, how they count, how
they read a query plan.  The runs themselves are ``benchmarks/load.py`` and
``benchmarks/faults.py`` (docs/operations.md), not part of the suite."""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import explain, load  # noqa: E402


def people(count: int) -> list:
    council = {"slug": "conseil-1", "meeting": 7, "poll": 3, "options": [11, 12, 13],
               "draft": 5, "paragraph": "p1a2b3"}
    return [load.Person(100 + n, council, cookie=f"c{n}", csrf="t") for n in range(count)]


def test_the_plan_is_one_write_in_ten_each_kind_once_per_person_and_the_same_every_run():
    crowd = people(240)
    steps = load.plan(crowd, 3000)
    assert len(steps) == 3000
    writes = [s for s in steps if s[0] == "write"]
    assert len(writes) == 300
    assert {s[1].name for s in writes} == {"rsvp", "comment", "ballot", "upload", "rating"}
    for kind in ("rsvp", "comment", "ballot", "upload", "rating"):
        persons = [s[2].id for s in writes if s[1].name == kind]
        assert len(persons) == len(set(persons)), f"{kind}: a person writes it twice"
    assert len({s[2].id for s in steps}) >= 200  # many distinct people
    reads = {s[1].name for s in steps if s[0] == "read"}
    assert reads == {r.name for r in load.READS}
    again = load.plan(people(240), 3000)
    assert [(s[0], s[1].name, s[2].id) for s in again] == \
        [(s[0], s[1].name, s[2].id) for s in steps]


def test_writes_are_requests_the_api_accepts_from_a_signed_in_browser():
    person = people(1)[0]
    by_name = {w.name: w for w in load.WRITES}
    method, path, kwargs = by_name["ballot"].request(person, "m1")
    assert (method, path) == ("PUT", "/api/v1/spaces/conseil-1/voting/polls/3/ballot")
    assert kwargs["json"]["choice"] in (11, 12, 13)
    method, path, kwargs = by_name["rating"].request(person, "m3")
    assert (method, path) == ("PUT", "/api/v1/spaces/conseil-1/drafting/drafts/5/paragraphs/"
                                     "p1a2b3/rating")
    assert 1 <= kwargs["json"]["agreement"] <= 5
    method, path, kwargs = by_name["upload"].request(person, "m2")
    assert method == "POST" and kwargs["headers"]["X-CSRFToken"] == "t"  # multipart needs it
    assert "m2" in kwargs["files"]["file"][0]
    method, path, kwargs = by_name["comment"].request(person, "m3")
    assert path.endswith("?resource=agenda.meeting:7") and "m3" in kwargs["json"]["body"]


def test_summary_counts_every_non_2xx_or_3xx_answer_as_an_error_and_keeps_the_floor_apart():
    outcomes = [load.Outcome("read", "dashboard", 200, 0.010 * n) for n in range(1, 101)]
    outcomes += [load.Outcome("write", "ballot", 503, 0.2, retry_after="2"),
                 load.Outcome("read", "dashboard", 0, 0.1),
                 load.Outcome("hello", "hello", 200, 0.001)]
    report = load.summarize(outcomes, wall=10.0)
    assert report["overall"]["requests"] == 102 and report["overall"]["errors"] == 2
    assert report["routes"]["ballot"]["statuses"] == {"503": 1}
    assert report["floor"]["requests"] == 1 and report["floor"]["errors"] == 0
    assert report["routes"]["dashboard"]["p50_ms"] == 500.0
    assert report["routes"]["dashboard"]["p99_ms"] == 990.0


def test_explain_lists_sequential_scans_of_big_tables_only():
    plan = {"Node Type": "Nested Loop", "Plans": [
        {"Node Type": "Seq Scan", "Relation Name": "placette_space"},
        {"Node Type": "Index Scan", "Relation Name": "placette_membership"},
        {"Node Type": "Hash", "Plans": [{"Node Type": "Seq Scan",
                                         "Relation Name": "placette_user"}]}]}
    found: list = []
    explain._scans(plan, found)
    assert found == ["placette_space", "placette_user"]
