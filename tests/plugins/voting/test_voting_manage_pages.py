"""Animators open a vote and answer proposals from the pages, without the API."""
from __future__ import annotations

from placette_plugins.voting import service
from placette_plugins.voting.models import Poll, Proposal

PAGE = "/s/quartier-nord/voting"


def test_animator_opens_a_vote_with_typed_options_and_a_proposal(client, sign_in, animator,
                                                                  voters, council):
    idea = service.propose(council, voters[0], "Un composteur")
    sign_in(voters[1])
    assert client.get(f"{PAGE}/polls/new").status_code == 403
    sign_in(animator)
    page = client.get(f"{PAGE}/polls/new").get_data(as_text=True)
    assert "Un composteur" in page
    made = client.post(f"{PAGE}/polls/new", data={
        "title": "Quel projet ?", "kind": "majority_judgment", "scale": "agreement",
        "options_text": "Jardin\n\nBancs\n", "proposal_ids": [str(idea.id)],
        "secret": "y", "results": "after_close", "eligible": ["member"]})
    assert made.status_code == 302
    poll = Poll.get(Poll.title == "Quel projet ?")
    assert [o.label for o in service.options_of(poll)] == ["Jardin", "Bancs", "Un composteur"]
    assert poll.secret and poll.eligible_roles == ["member"] and poll.eligible_count == 3


def test_a_refused_poll_says_why_and_keeps_the_form(client, sign_in, animator):
    sign_in(animator)
    answer = client.post(f"{PAGE}/polls/new", data={
        "title": "Quel projet ?", "kind": "single", "options_text": "Seul",
        "results": "live", "eligible": ["member"], "scale": "agreement"})
    assert answer.status_code == 422
    html = answer.get_data(as_text=True)
    assert "Give between 2 and 50 options." in html and "Quel projet ?" in html
    assert Poll.select().count() == 0


def test_animator_answers_a_proposal_with_a_public_reason(client, sign_in, animator, voters,
                                                          council):
    idea = service.propose(council, voters[0], "Des fontaines")
    sign_in(voters[1])
    assert client.get(f"{PAGE}/proposals/{idea.id}/answer").status_code == 403
    sign_in(animator)
    assert client.post(f"{PAGE}/proposals/{idea.id}/answer",
                       data={"status": "rejected", "reason": ""}).status_code == 422
    client.post(f"{PAGE}/proposals/{idea.id}/answer",
                data={"status": "rejected", "reason": "Hors budget cette année."})
    assert Proposal.get_by_id(idea.id).status == "rejected"
    sign_in(voters[2])
    page = client.get(f"{PAGE}/proposals").get_data(as_text=True)
    assert "Hors budget cette année." in page and "Rejected" in page
