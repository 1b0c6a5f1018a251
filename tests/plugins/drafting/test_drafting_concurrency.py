"""Two (and more) people save the same draft at the same moment, through HTTP: nothing is lost.

Each writer starts from version 1 and changes a different paragraph; the saves land one after
the other (the draft's row is locked while a save merges), every one answers 200, and the final
text holds every change.  Two writers changing the same paragraph: one lands, the other gets a
409 whose details hold both texts -- nothing is overwritten.  Run on SQLite by default and on
PostgreSQL with ``PLACETTE_TEST_DATABASE_URL``.
"""
from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request

from drafting_helpers import BASE, TEXT


def put(url: str, token: str, body: dict) -> tuple[int, dict]:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="PUT",
                                     headers={"Content-Type": "application/json",
                                              "Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def all_at_once(calls) -> list[tuple[int, dict]]:
    start = threading.Barrier(len(calls))
    answers: list[tuple[int, dict]] = []

    def run(call):
        start.wait()
        answers.append(call())

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


def writers(make_user, council, n):
    from placette.identity.tokens import create_token
    return [create_token(make_user(member_of=council, role="animator", name=f"Writer {i}"),
                         "concurrency") for i in range(n)]


def test_people_saving_different_paragraphs_at_once_lose_nothing(live_url, make_user, council,
                                                                  make_draft):
    from placette_plugins.drafting import service
    draft = make_draft()
    tokens = writers(make_user, council, 4)
    parts = TEXT.split("\n\n")
    url = f"{live_url}{BASE}/drafts/{draft.id}"
    calls = []
    for i, token in enumerate(tokens, start=1):
        mine = list(parts)
        mine[i] = mine[i] + f" (ajout {i})"
        calls.append(lambda token=token, mine=mine: put(
            url, token, {"body": "\n\n".join(mine), "base_version": 1}))
    answers = all_at_once(calls)
    assert sorted(status for status, _ in answers) == [200] * 4, answers
    assert sum(1 for _, body in answers if body["merged"]) == 3
    final = service.version_of(service.Draft.get_by_id(draft.id))
    assert final.number == 5
    for i in range(1, 5):
        assert f"(ajout {i})" in final.body


def test_two_people_changing_one_paragraph_at_once_one_lands_one_settles(live_url, make_user,
                                                                         council, make_draft):
    from placette_plugins.drafting import service
    draft = make_draft()
    first, second = writers(make_user, council, 2)
    url = f"{live_url}{BASE}/drafts/{draft.id}"
    answers = all_at_once([
        lambda: put(url, first, {"body": TEXT.replace("avenue Jaurès", "avenue A"),
                                 "base_version": 1}),
        lambda: put(url, second, {"body": TEXT.replace("avenue Jaurès", "avenue B"),
                                  "base_version": 1})])
    statuses = sorted(status for status, _ in answers)
    assert statuses == [200, 409], answers
    landed = next(body for status, body in answers if status == 200)["body"]
    refused = next(body for status, body in answers if status == 409)["error"]
    assert refused["code"] == "conflict"
    (conflict,) = refused["details"]
    assert sorted(["avenue A" in conflict["current"], "avenue A" in conflict["yours"]]) == [
        False, True]                                     # both wordings, one on each side
    assert sorted(["avenue B" in conflict["current"], "avenue B" in conflict["yours"]]) == [
        False, True]
    assert conflict["current"] in landed
    assert service.Draft.get_by_id(draft.id).version == 2
