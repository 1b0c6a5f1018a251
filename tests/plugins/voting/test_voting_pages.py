"""The voting pages without JavaScript: vote by form for every kind, refused ballots, results
with chart and table, receipt check, proposals, 404 for outsiders, both languages."""
from __future__ import annotations

import re

import pytest

from placette_plugins.voting import service

PAGE = "/s/quartier-nord/voting"


def receipt_in(html: str) -> str:
    return re.search(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", html).group(0)


@pytest.mark.parametrize("kind, fields", [
    ("single", lambda ids: {"choice": str(ids[0])}),
    ("yes_no", lambda ids: {"choice": "yes"}),
    ("approval", lambda ids: {"choices": [str(ids[0]), str(ids[2])]}),
    ("ranking", lambda ids: {f"rank-{oid}": str(i + 1) for i, oid in enumerate(ids)}),
    ("majority_judgment", lambda ids: {f"grade-{oid}": "2" for oid in ids}),
    ("rating", lambda ids: {f"grade-{oid}": "4" for oid in ids}),
])
def test_vote_by_form_then_see_results_and_check_the_receipt(
        client, sign_in, make_poll, voters, animator, kind, fields):
    poll = make_poll(kind)
    ids = [o.id for o in service.options_of(poll)]
    sign_in(voters[0])
    page = client.get(f"{PAGE}/polls/{poll.id}")
    assert page.status_code == 200 and b"<form method=\"post\"" in page.data
    voted = client.post(f"{PAGE}/polls/{poll.id}", data=fields(ids), follow_redirects=True)
    html = voted.get_data(as_text=True)
    assert "Your ballot is recorded" in html and "You have voted." in html
    code = receipt_in(html)
    assert "The results are published when the vote closes." in client.get(
        f"{PAGE}/polls/{poll.id}/results").get_data(as_text=True)
    sign_in(animator)
    client.post(f"{PAGE}/polls/{poll.id}/close")
    results = client.get(f"{PAGE}/polls/{poll.id}/results").get_data(as_text=True)
    assert 'role="img"' in results and "<caption>Results by option</caption>" in results
    assert "1 ballot cast out of 4 people who may vote." in results
    check = client.get(f"{PAGE}/polls/{poll.id}/receipt?code={code.lower()}")
    assert f"A ballot with the code {code} is in the published list" in check.get_data(
        as_text=True)
    csv_text = client.get(f"{PAGE}/polls/{poll.id}/results.csv").get_data(as_text=True)
    assert csv_text.startswith("rank,option,count")


def test_refused_ballot_keeps_choices_and_counts_nothing(client, sign_in, make_poll, voters):
    poll = make_poll("majority_judgment", options=("Parc", "Place"))
    parc, place = [o.id for o in service.options_of(poll)]
    sign_in(voters[0])
    answer = client.post(f"{PAGE}/polls/{poll.id}", data={f"grade-{parc}": "1"})
    assert answer.status_code == 422
    html = answer.get_data(as_text=True)
    assert "Give a grade to every option." in html and 'role="alert"' in html
    assert f'id="grade-{parc}-1" value="1" checked' in html
    assert service.turnout(poll) == 0
    ranking = make_poll("ranking", options=("A", "B"))
    a, b = [o.id for o in service.options_of(ranking)]
    answer = client.post(f"{PAGE}/polls/{ranking.id}", data={f"rank-{a}": "1", f"rank-{b}": "1"})
    assert answer.status_code == 422 and service.turnout(ranking) == 0


def test_pages_are_404_for_outsiders_and_where_the_module_is_off(client, sign_in, make_space,
                                                                 make_user, make_poll):
    private = make_space("bureau", visibility="private", plugins=["voting"])
    poll = make_poll("single", space=private)
    sign_in(make_user(name="Outsider"))
    for path in ("/", f"/polls/{poll.id}", f"/polls/{poll.id}/results", "/proposals"):
        assert client.get(f"/s/bureau/voting{path}").status_code == 404
    make_space("sans-vote", visibility="public", plugins=[])
    assert client.get("/s/sans-vote/voting/").status_code == 404


def test_proposals_page_add_support_once(client, sign_in, voters):
    sign_in(voters[0])
    made = client.post(f"{PAGE}/proposals", data={"title": "Un composteur"},
                       follow_redirects=True)
    assert "Un composteur" in made.get_data(as_text=True)
    sign_in(voters[1])
    pid = service.proposals_of(__import__("placette").Space.get(slug="quartier-nord"))[0].id
    client.post(f"{PAGE}/proposals/{pid}/support")
    again = client.post(f"{PAGE}/proposals/{pid}/support", follow_redirects=True)
    assert "You already support this proposal." in again.get_data(as_text=True)
    assert "1 support" in again.get_data(as_text=True)


def test_polls_list_links_each_poll_and_its_results_and_says_its_state(
        client, sign_in, make_poll, voters, animator):
    import datetime as dt
    open_poll = make_poll("single", title="Ouvert")
    closed = make_poll("yes_no", title="Fermé")
    later = make_poll("single", title="Plus tard",
                      opens_at=dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=3))
    sign_in(animator)
    client.post(f"{PAGE}/polls/{closed.id}/close")
    sign_in(voters[0])
    html = client.get(f"{PAGE}/").get_data(as_text=True)
    rows = {poll.id: html.split(f'<a href="{PAGE}/polls/{poll.id}">', 1)[1].split("</tr>")[0]
            for poll in (open_poll, closed, later)}
    assert rows[open_poll.id].startswith("Ouvert</a>") and "<td>Open</td>" in rows[open_poll.id]
    assert f'<a href="{PAGE}/polls/{closed.id}/results">Results' in rows[closed.id]
    assert "<td>Closed · " in rows[closed.id]
    assert "<td>Not open yet</td>" in rows[later.id] and "/results" not in rows[later.id]
    for poll in (open_poll, closed, later):
        assert client.get(f"{PAGE}/polls/{poll.id}").status_code == 200


def test_polls_list_comes_in_pages_newest_first(client, sign_in, make_poll, voters,
                                                count_queries):
    """Ten years of a council's polls are not one page: twenty per page, newest first, with
    links to the other pages (no JavaScript), and a page costs the same queries however many
    polls the space holds."""
    for n in range(23):
        make_poll("single", title=f"Question numéro {n:02d}")
    sign_in(voters[0])
    first = client.get(f"{PAGE}/").get_data(as_text=True)
    shown = re.findall(r"Question numéro (\d\d)", first)
    assert len(shown) == 20 and "22" in shown and "00" not in shown
    assert "Page 1 of 2" in first and 'rel="next"' in first and "page=2" in first
    second = client.get(f"{PAGE}/?page=2").get_data(as_text=True)
    assert len(re.findall(r"Question numéro (\d\d)", second)) == 3
    assert "Page 2 of 2" in second and 'rel="prev"' in second
    assert client.get(f"{PAGE}/?page=3").status_code == 404
    before = count_queries(lambda: client.get(f"{PAGE}/"))
    for n in range(25):
        make_poll("yes_no")
    assert count_queries(lambda: client.get(f"{PAGE}/")) == before
