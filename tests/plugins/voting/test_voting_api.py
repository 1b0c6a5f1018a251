"""The voting API as a client sees it: polls, ballots, every refused ballot, results, receipts."""
from __future__ import annotations

import datetime as dt

import pytest

BASE = "/api/v1/spaces/quartier-nord/voting"


def turnout(client, poll_id):
    return client.get(f"{BASE}/polls/{poll_id}").get_json()["turnout"]


def option_ids(client, poll_id):
    from placette_plugins.voting import service
    from placette_plugins.voting.models import Poll
    return [o.id for o in service.options_of(Poll.get_by_id(poll_id))]


def error_code(response):
    return response.get_json()["error"]["code"]


def test_animator_opens_a_poll_members_may_not(client, sign_in, animator, voters):
    body = {"title": "Where the bench goes", "kind": "single", "options": ["Parc", "Place"],
            "results": "after_close", "eligible": ["member"]}
    sign_in(voters[0])
    assert client.post(f"{BASE}/polls", json=body).status_code == 403
    sign_in(animator)
    made = client.post(f"{BASE}/polls", json=body)
    assert made.status_code == 201, made.get_json()
    poll = made.get_json()
    assert poll["state"] == "open" and poll["has_voted"] is False
    assert [o["label"] for o in poll["options"]] == ["Parc", "Place"]
    assert poll["eligible_count"] == 3  # the three members, frozen now; not the animator
    listed = client.get(f"{BASE}/polls").get_json()
    assert [p["id"] for p in listed] == [poll["id"]]
    assert "/api/v1/spaces/{slug}/voting/polls/{poll_id}/ballot" in \
        client.get("/api/openapi.json").get_json()["paths"]


@pytest.mark.parametrize("body, code", [
    ({"kind": "single", "options": ["Only one"]}, "option_count"),
    ({"kind": "single", "options": ["A", "a"]}, "duplicate_option"),
    ({"kind": "yes_no", "options": ["A", "B"]}, "no_options_for_yes_no"),
    ({"kind": "single", "options": ["A", "B"],
      "closes_at": "2001-01-01T00:00:00+00:00"}, "closes_before_opening"),
])
def test_bad_polls_are_refused_with_a_code(client, sign_in, animator, body, code):
    sign_in(animator)
    answer = client.post(f"{BASE}/polls", json={"title": "Q", **body})
    assert answer.status_code == 422 and error_code(answer) == code
    assert client.get(f"{BASE}/polls").get_json() == []


def test_one_ballot_per_person_with_a_receipt(client, sign_in, make_poll, voters):
    poll = make_poll("single")
    ids = option_ids(client, poll.id)
    sign_in(voters[0])
    first = client.put(f"{BASE}/polls/{poll.id}/ballot", json={"choice": ids[0]})
    assert first.status_code == 200
    receipt = first.get_json()["receipt"]
    assert len(receipt) == 14 and receipt.count("-") == 2
    again = client.put(f"{BASE}/polls/{poll.id}/ballot", json={"choice": ids[1]})
    assert again.status_code == 409 and error_code(again) == "already_voted"
    data = client.get(f"{BASE}/polls/{poll.id}").get_json()
    assert data["has_voted"] is True and data["turnout"] == 1 and data["may_vote"] is False


def test_bad_ballots_are_refused_and_nothing_is_counted(client, sign_in, make_poll, voters,
                                                        make_user, make_space):
    single = make_poll("single")
    mj = make_poll("majority_judgment")
    ranking = make_poll("ranking")
    other = make_poll("single", options=("X", "Y"))
    later = make_poll("single", opens_at=dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=1))
    ended = make_poll("single")
    from placette_plugins.voting import service
    service.close(ended)
    s_ids, m_ids = option_ids(client, single.id), option_ids(client, mj.id)
    r_ids, o_ids = option_ids(client, ranking.id), option_ids(client, other.id)
    sign_in(voters[0])
    cases = [
        (single, {"choice": o_ids[0]}, 422, "unknown_option"),
        (single, {"choices": s_ids[:2]}, 422, "one_choice_only"),
        (single, {"grades": {str(s_ids[0]): 0}}, 422, "wrong_ballot_shape"),
        (mj, {"grades": {str(i): 0 for i in m_ids} | {str(m_ids[0]): 7}}, 422,
         "grade_out_of_range"),
        (mj, {"grades": {str(i): 1 for i in m_ids[:-1]}}, 422, "grade_missing"),
        (ranking, {"ranking": [r_ids[0], r_ids[0], r_ids[1]]}, 422, "duplicate_in_ranking"),
        (ranking, {"ranking": r_ids[:2]}, 422, "incomplete_ranking"),
        (later, {"choice": option_ids(client, later.id)[0]}, 409, "not_open_yet"),
        (ended, {"choice": option_ids(client, ended.id)[0]}, 409, "closed"),
    ]
    for poll, body, status, code in cases:
        answer = client.put(f"{BASE}/polls/{poll.id}/ballot", json=body)
        assert (answer.status_code, error_code(answer)) == (status, code), body
        assert turnout(client, poll.id) == 0
    # someone who is not on the list: 403; a space one may not see: 404 (not even named)
    guest = make_user(member_of=single.space, role="guest", name="Guest",
                      expires_at=dt.datetime.now() + dt.timedelta(days=30))
    sign_in(guest)  # guests see the poll but are not on its list (members, animators, admins)
    answer = client.put(f"{BASE}/polls/{single.id}/ballot", json={"choice": s_ids[0]})
    assert (answer.status_code, error_code(answer)) == (403, "not_eligible")
    sign_in(make_user(name="Passer-by"))  # not a member of the council: it has no votes
    answer = client.put(f"{BASE}/polls/{single.id}/ballot", json={"choice": s_ids[0]})
    assert answer.status_code == 404
    secret_space = make_space("bureau", visibility="private", plugins=["voting"])
    hidden = make_poll("single", space=secret_space)
    answer = client.put(f"/api/v1/spaces/bureau/voting/polls/{hidden.id}/ballot",
                        json={"choice": 1})
    assert answer.status_code == 404
    assert client.get(f"/api/v1/spaces/bureau/voting/polls/{hidden.id}").status_code == 404
    from placette_plugins.voting.models import Participation
    assert Participation.select().count() == 0


def test_eligible_list_is_frozen_when_the_poll_opens(client, sign_in, make_poll, make_user,
                                                     council):
    poll = make_poll("yes_no", eligible=["member"])
    late = make_user(member_of=council, name="Late joiner")
    sign_in(late)
    answer = client.put(f"{BASE}/polls/{poll.id}/ballot", json={"choice": "yes"})
    assert answer.status_code == 403


def test_results_hidden_until_close_turnout_shown_then_majority_judgment(
        client, sign_in, make_poll, voters, animator):
    poll = make_poll("majority_judgment", options=("Parc", "Place"))
    parc, place = option_ids(client, poll.id)
    for voter, (g1, g2) in zip(voters, [(0, 2), (2, 2), (3, 1)]):
        sign_in(voter)
        assert client.put(f"{BASE}/polls/{poll.id}/ballot",
                          json={"grades": {str(parc): g1, str(place): g2}}).status_code == 200
    hidden = client.get(f"{BASE}/polls/{poll.id}/results")
    assert hidden.status_code == 403 and error_code(hidden) == "results_hidden"
    assert hidden.get_json()["error"]["details"] == {"ballots": 3, "eligible": 4}
    assert client.post(f"{BASE}/polls/{poll.id}/close").status_code == 403
    sign_in(animator)
    assert client.post(f"{BASE}/polls/{poll.id}/close").status_code == 200
    results = client.get(f"{BASE}/polls/{poll.id}/results").get_json()
    # Parc: Excellent, Good, Fair -> Good; Place: Very good, Good, Good -> Good; one Good
    # removed from each: Parc (Excellent, Fair) -> Fair, Place (Very good, Good) -> Good.
    assert results["ballots"] == 3 and results["winner"] == place
    assert [o["id"] for o in results["options"]] == [place, parc]
    by_id = {o["id"]: o for o in results["options"]}
    assert by_id[parc]["grades"] == [1, 0, 1, 1, 0, 0, 0]
    assert by_id[place]["majority_grade"] == by_id[parc]["majority_grade"] == 2


def test_receipt_is_in_the_published_list_without_names(client, sign_in, make_poll, voters,
                                                        animator):
    poll = make_poll("approval", results="live")
    ids = option_ids(client, poll.id)
    sign_in(voters[0])
    receipt = client.put(f"{BASE}/polls/{poll.id}/ballot",
                         json={"choices": [ids[2], ids[0]]}).get_json()["receipt"]
    from placette_plugins.voting.models import Ballot
    assert Ballot.get_by_id(receipt).voter_id is None  # secret by default: no voter stored
    # live results, but the codes wait for the close: a code is what changes a secret ballot
    early = client.get(f"{BASE}/polls/{poll.id}/ballots")
    assert early.status_code == 403 and error_code(early) == "ballots_not_published"
    sign_in(animator)
    client.post(f"{BASE}/polls/{poll.id}/close")
    published = client.get(f"{BASE}/polls/{poll.id}/ballots").get_json()
    assert published == [{"receipt": receipt, "choices": sorted([ids[0], ids[2]])}]
    assert "voter" not in str(published)


def test_public_changeable_ballot_changes_and_still_counts_once(client, sign_in, make_poll,
                                                                voters):
    poll = make_poll("single", secret=False, changeable=True, results="live")
    ids = option_ids(client, poll.id)
    sign_in(voters[0])
    first = client.put(f"{BASE}/polls/{poll.id}/ballot", json={"choice": ids[0]}).get_json()
    second = client.put(f"{BASE}/polls/{poll.id}/ballot", json={"choice": ids[1]}).get_json()
    assert second == {"receipt": first["receipt"], "changed": True}
    results = client.get(f"{BASE}/polls/{poll.id}/results").get_json()
    assert results["ballots"] == 1 and results["winner"] == ids[1]


def test_secret_changeable_ballot_changes_only_with_its_receipt(client, sign_in, make_poll,
                                                                voters):
    poll = make_poll("single", changeable=True, results="live")
    ids = option_ids(client, poll.id)
    sign_in(voters[0])
    receipt = client.put(f"{BASE}/polls/{poll.id}/ballot",
                         json={"choice": ids[0]}).get_json()["receipt"]
    refused = client.put(f"{BASE}/polls/{poll.id}/ballot", json={"choice": ids[1]})
    assert error_code(refused) == "receipt_required"
    changed = client.put(f"{BASE}/polls/{poll.id}/ballot",
                         json={"choice": ids[1], "receipt": receipt.lower()})
    assert changed.get_json() == {"receipt": receipt, "changed": True}
    assert client.get(f"{BASE}/polls/{poll.id}/results").get_json()["winner"] == ids[1]


def test_ranking_results_borda_and_condorcet(client, sign_in, make_poll, voters):
    poll = make_poll("ranking", results="live")
    a, b, c = option_ids(client, poll.id)
    for voter, ranking in zip(voters, [[a, b, c], [a, c, b], [b, c, a]]):
        sign_in(voter)
        assert client.put(f"{BASE}/polls/{poll.id}/ballot",
                          json={"ranking": ranking}).status_code == 200
    results = client.get(f"{BASE}/polls/{poll.id}/results").get_json()
    assert results["winner"] == a and results["condorcet_winner"] == a
    assert [o["count"] for o in results["options"]] == [4, 3, 2]


def test_proposals_supports_answers_and_options(client, sign_in, voters, animator, events):
    sign_in(voters[0])
    made = client.post(f"{BASE}/proposals", json={"title": "Un composteur", "body": "Au parc"})
    assert made.status_code == 201
    pid = made.get_json()["id"]
    sign_in(voters[1])
    assert client.put(f"{BASE}/proposals/{pid}/support").get_json() == {"supports": 1}
    again = client.put(f"{BASE}/proposals/{pid}/support")
    assert again.status_code == 409 and error_code(again) == "already_supported"
    assert client.get(f"{BASE}/proposals").get_json()[0]["supports"] == 1
    assert client.post(f"{BASE}/proposals/{pid}/answer",
                       json={"status": "accepted", "reason": "Oui"}).status_code == 403
    sign_in(voters[2])
    second = client.post(f"{BASE}/proposals", json={"title": "Des bancs"}).get_json()["id"]
    sign_in(animator)
    answered = client.post(f"{BASE}/proposals/{pid}/answer",
                           json={"status": "studied", "reason": "Budget 2027"})
    assert answered.get_json()["status"] == "studied"
    assert answered.get_json()["reason"] == "Budget 2027"
    told = events("voting.proposal.answered")
    assert len(told) == 1 and told[0]["recipients"] == [voters[0].id]
    poll = client.post(f"{BASE}/polls", json={"title": "Which first?", "kind": "single",
                                             "proposal_ids": [pid, second]}).get_json()
    assert [o["label"] for o in poll["options"]] == ["Un composteur", "Des bancs"]


def test_titles_and_options_are_one_line(client, sign_in, animator, voters):
    sign_in(animator)
    answer = client.post(f"{BASE}/polls", json={"title": "Q\nBcc: x", "kind": "single",
                                                "options": ["A", "B"]})
    assert answer.status_code == 422
    answer = client.post(f"{BASE}/polls", json={"title": "Q", "kind": "single",
                                                "options": ["A\r\nB", "C"]})
    assert answer.status_code == 422
    sign_in(voters[0])
    assert client.post(f"{BASE}/proposals", json={"title": "Un\u2028banc"}).status_code == 422
    assert client.post("/s/quartier-nord/voting/proposals",
                       data={"title": "Un\nbanc"}).status_code == 422
    assert client.get(f"{BASE}/polls").get_json() == []
    assert client.get(f"{BASE}/proposals").get_json() == []


def test_poll_list_costs_the_same_with_two_polls_as_with_twelve(client, sign_in, make_poll,
                                                                voters, count_queries):
    sign_in(voters[0])
    for _ in range(2):
        make_poll("single")
    client.get(f"{BASE}/polls")  # warm per-process caches
    few = count_queries(lambda: client.get(f"{BASE}/polls"))
    for _ in range(10):
        make_poll("majority_judgment")
    many = count_queries(lambda: client.get(f"{BASE}/polls"))
    assert len(client.get(f"{BASE}/polls").get_json()) == 12
    assert many == few
    few_page = count_queries(lambda: client.get("/s/quartier-nord/voting/"))
    make_poll("ranking")
    assert count_queries(lambda: client.get("/s/quartier-nord/voting/")) == few_page
