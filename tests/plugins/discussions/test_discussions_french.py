"""French is the default: the thread, its forms and its errors speak it."""
from __future__ import annotations

import pytest


@pytest.fixture
def placette_language():
    return "fr"


def test_the_thread_and_its_errors_are_in_french(client, people, meeting, sign_in,
                                                 comment_on):
    comment_on(meeting, people["martine"], "Bonjour")
    sign_in(people["youssef"])
    html = client.get(meeting.url).get_data(as_text=True)
    assert "1 commentaire" in html and "Répondre" in html and "Votre commentaire" in html
    refused = client.post("/s/quartier-nord/discussions/comments",
                          data={"resource": meeting.key, "body": " "})
    assert "Écrivez quelque chose avant d" in refused.get_data(as_text=True)


def test_counts_above_one_are_french_too(client, people, meeting, sign_in, comment_on):
    """The catalogue's plural forms are French's two (0 and 1 singular): "3 commentaires", not
    the English fallback a third, empty form gave."""
    for body in ("Un", "Deux", "Trois"):
        comment_on(meeting, people["martine"], body)
    sign_in(people["youssef"])
    html = client.get(meeting.url).get_data(as_text=True)
    assert "3 commentaires" in html and "3 comments" not in html
