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
