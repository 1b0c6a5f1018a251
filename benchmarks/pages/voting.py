"""Voting pages: a council's polls list and an open poll's page (its ballot form and turnout).

Volume: the council the viewer animates holds two polls a month -- 24 at small scale (one year),
120 at medium (five years) -- of every kind, most closed, a few open or scheduled; the measured
poll is open, single-choice, with the council's members as its frozen eligible list and a
ballot from two voters in three (the "has voted" rows the turnout counts).  Polls go through the
plugin's service (``create_poll``: options, resource, eligible list), ballots are bulk-inserted.
"""
from __future__ import annotations

import datetime as dt

REQUIRES = ["voting"]
POLLS = {"small": 24, "medium": 120}
KINDS = ("single", "yes_no", "multiple", "approval", "ranking", "majority_judgment")

_state: dict = {}


def seed(city) -> None:
    import secrets

    from benchmarks.pages.kernel import animated_space_of_viewer
    from placette_plugins.voting import service
    from placette_plugins.voting.models import Ballot, Eligible, Participation, Poll

    council = animated_space_of_viewer(city)
    options = ["Rue piétonne", "Zone 30", "Piste cyclable", "Statu quo"]
    count = POLLS.get(city.scale, 24)
    for n in range(count):
        kind = KINDS[n % len(KINDS)]
        poll = service.create_poll(council, city.admin, {
            "kind": kind, "title": f"Vote n° {n + 1} : aménagement de la rue {n + 3}",
            "description": "Le conseil consulte ses membres.",
            "options": [] if kind == "yes_no" else options}, seeding=True)
        # Spread the polls back in time: most are closed, the last few still open.
        opened = city.now - dt.timedelta(days=15 * (count - n))
        closes = opened + dt.timedelta(days=10) if n < count - 3 else \
            city.now + dt.timedelta(days=7)
        Poll.update(opens_at=opened, closes_at=closes,
                    closed_at=closes if closes <= city.now else None).where(
            Poll.id == poll.id).execute()
    measured = service.create_poll(council, city.admin, {
        "kind": "single", "title": "Budget participatif : quel projet pour le parc ?",
        "description": "Un seul choix. Le vote est **secret**.", "options": options,
        "closes_at": city.now + dt.timedelta(days=5)}, seeding=True)
    voters = [row[0] for row in Eligible.select(Eligible.user)
              .where((Eligible.poll == measured.id) & (Eligible.user != city.viewer.id))
              .order_by(Eligible.user).tuples()]
    voters = voters[: len(voters) * 2 // 3]
    option_ids = [o.id for o in service.options_of(measured)]
    city.bulk_insert(Participation, [{"poll": measured.id, "voter": uid} for uid in voters])
    city.bulk_insert(Ballot, [{"receipt": secrets.token_hex(8), "poll": measured.id,
                               "voter": None, "content": {"choice": city.rng.choice(option_ids)}}
                              for _ in voters])
    _state.update(slug=council.slug, poll=measured.id)


def pages(city) -> dict:
    base = f"/s/{_state['slug']}/voting"
    return {
        "voting_polls": (city.viewer, f"{base}/"),
        "voting_poll": (city.viewer, f"{base}/polls/{_state['poll']}"),
    }
