"""One ballot per person under concurrency, through HTTP: the database decides, not a check.

Twelve threads cast a ballot for the same person at the same moment (a double click, a retry
storm, a script): exactly one is acknowledged and counted, the others answer 409.  Run on SQLite
by default and on PostgreSQL with ``PLACETTE_TEST_DATABASE_URL``.
"""
from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request

import pytest

THREADS = 12


def put(url: str, token: str, body: dict) -> tuple[int, dict]:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="PUT",
                                     headers={"Content-Type": "application/json",
                                              "Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


@pytest.mark.parametrize("secret", [True, False])
def test_concurrent_ballots_of_one_person_count_once(live_url, make_poll, voters, secret):
    from placette.identity.tokens import create_token
    from placette_plugins.voting import service
    from placette_plugins.voting.models import Ballot, Participation

    poll = make_poll("single", secret=secret, results="live")
    choice = service.options_of(poll)[0].id
    token = create_token(voters[0], "concurrency")
    url = f"{live_url}/api/v1/spaces/quartier-nord/voting/polls/{poll.id}/ballot"
    start = threading.Barrier(THREADS)
    answers: list[tuple[int, dict]] = []

    def cast():
        start.wait()
        answers.append(put(url, token, {"choice": choice}))

    threads = [threading.Thread(target=cast) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    statuses = sorted(status for status, _ in answers)
    assert statuses == [200] + [409] * (THREADS - 1), answers
    assert {body["error"]["code"] for status, body in answers if status == 409} == {
        "already_voted"}
    assert Ballot.select().where(Ballot.poll == poll.id).count() == 1
    assert Participation.select().where(Participation.poll == poll.id).count() == 1
    assert service.compute_results(poll)["ballots"] == 1
