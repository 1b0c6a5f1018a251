"""What voting gives the kernel: French pages, catalogues, RGPD, search, showcase, events, demo."""
from __future__ import annotations

from pathlib import Path

import pytest

from placette_plugins.voting import service

PLUGIN_DIR = Path(__file__).resolve().parents[3] / "plugins" / "voting"


def test_catalogues_are_complete_and_compiled():
    from placette.testing import catalogue_problems
    assert catalogue_problems(PLUGIN_DIR / "translations") == []


class TestFrench:
    @pytest.fixture
    def placette_language(self):
        return "fr"

    def test_poll_page_and_grades_in_french(self, client, sign_in, make_poll, voters):
        poll = make_poll("majority_judgment")
        sign_in(voters[0])
        html = client.get(f"/s/quartier-nord/voting/polls/{poll.id}").get_data(as_text=True)
        assert "Jugement majoritaire" in html and "À rejeter" in html and "Très bien" in html
        assert "Le vote est secret" in html


def test_secret_ballot_never_in_an_export_and_erasing_keeps_the_tally(
        app, make_poll, voters):
    from placette.identity.rgpd import erase_user, export_user_data
    secret = make_poll("single", results="live")
    public = make_poll("single", secret=False, results="live")
    first = service.options_of(secret)[0].id
    mine = service.cast(secret, voters[0], {"choice": first})
    service.cast(public, voters[0], {"choice": service.options_of(public)[1].id})
    exported = export_user_data(voters[0])["plugins"]["voting"]
    by_poll = {v["poll"]: v for v in exported["votes"]}
    assert by_poll[secret.id]["ballot"] is None  # voted, but what is not linked to them
    assert mine["receipt"] not in str(exported)
    assert by_poll[public.id]["ballot"]["choices"] == [service.options_of(public)[1].id]
    erase_user(voters[0])
    assert service.compute_results(secret)["options"][0] == {
        "id": first, "count": 1, "rank": 1, "label": "Parc"}
    assert service.compute_results(public)["ballots"] == 1


def test_search_text_showcase_and_events(app, make_poll, council, animator, events):
    from placette_plugins.voting import plugin
    poll = make_poll("approval", options=("Jardin partagé", "Piste cyclable"))
    assert [e["name"] for e in events()] == ["voting.poll.opened"]
    resource = placette_lookup("poll", poll.id)
    assert "Jardin partagé" in plugin.search_documents(resource)
    assert plugin.showcase_items(council, animator) == []
    service.close(poll, animator)
    offers = plugin.showcase_items(council, animator)
    assert [o.resource.object_id for o in offers] == [str(poll.id)]
    assert offers[0].category == "results" and offers[0].dataset == "results"
    assert "Jardin partagé" in offers[0].body_html and offers[0].decided_at.tzinfo
    assert plugin.showcase_item(resource, animator).title == offers[0].title
    assert events()[-1]["name"] == "voting.poll.results"


def test_closing_soon_tells_only_those_who_have_not_voted(app, make_poll, voters, events):
    import datetime as dt
    poll = make_poll("single", closes_at=dt.datetime.now(dt.timezone.utc) + dt.timedelta(hours=3))
    service.cast(poll, voters[0], {"choice": service.options_of(poll)[0].id})
    assert service.announce_closing_soon() == 1
    assert service.announce_closing_soon() == 0  # once per poll
    told = events("voting.poll.closing")
    assert len(told) == 1 and sorted(told[0]["recipients"]) == sorted(
        [v.id for v in voters[1:]] + [service.Eligible.select().where(
            service.Eligible.user.not_in([v.id for v in voters])).get().user_id])


def placette_lookup(kind, object_id):
    import placette
    return placette.lookup_resource("voting", kind, object_id)


def test_demo_seed(app):
    from placette.demo.city import seed
    from placette_plugins.voting.models import Poll, Proposal
    found = seed("demo-password", log=lambda *_: None)
    visibilities = {placette_space(p.space_id).visibility for p in Poll.select()}
    assert {"public", "members", "private"} <= visibilities, visibilities
    closed = [p for p in Poll.select() if service.state(p) == "closed"]
    assert closed and all(p.kind == "majority_judgment" for p in closed)
    assert all(service.compute_results(p)["ballots"] > 0 for p in closed)
    assert any(service.state(p) == "open" for p in Poll.select())
    assert Proposal.select().where(Proposal.status == "studied").count() >= 1
    assert found is not None


def placette_space(space_id):
    import placette
    return placette.Space.get_by_id(space_id)


def test_secret_ballots_carry_no_order_to_line_them_up_with_voters(app, make_poll, voters):
    """No voter, no time, no growing id: the ballot's key is the random receipt (and SQLite's
    hidden rowid is gone), so 'has voted' rows cannot be matched to ballots by order."""
    import placette
    from placette_plugins.voting.models import Ballot
    poll = make_poll("single")
    for voter in voters:
        service.cast(poll, voter, {"choice": service.options_of(poll)[0].id})
    assert {b.voter_id for b in Ballot.select()} == {None}
    assert [f.name for f in Ballot._meta.sorted_fields] == ["receipt", "poll", "voter", "content"]
    if "sqlite" in type(placette.database.obj).__name__.lower():
        sql = placette.database.execute_sql(
            "SELECT sql FROM sqlite_master WHERE name = 'voting_ballot'").fetchone()[0]
        assert "WITHOUT ROWID" in sql, sql


def test_showcase_offers_only_closed_polls_to_readers(app, make_poll, council, animator,
                                                      make_user):
    from placette_plugins.voting import plugin
    poll = make_poll("yes_no", title="Fermer la rue le dimanche ?")
    resource = placette_lookup("poll", poll.id)
    assert plugin.showcase_item(resource, animator) is None  # still open: no results yet
    service.close(poll, animator)
    outsider = make_user(name="Someone Else")
    assert plugin.showcase_item(resource, outsider) is None  # cannot read the council
    assert plugin.showcase_items(council, outsider) == []
    offer = plugin.showcase_item(resource, animator)
    assert offer.data["kind"] == "yes_no" and offer.data["ballots"] == 0
