"""A French page names file types in French ("Texte OpenDocument", not "OpenDocument text")."""
from __future__ import annotations

import pytest


@pytest.fixture
def placette_language():
    return "fr"


def test_file_types_are_named_in_the_pages_language(client, make_space, make_user, sign_in,
                                                    upload, sample):
    space = make_space("bibliotheque", plugins=["documents"])
    sign_in(make_user(member_of=space))
    assert upload(space, [("avis.odt", sample.odt())]).status_code == 302
    page = client.get("/s/bibliotheque/documents/").get_data(as_text=True)
    assert "Texte OpenDocument" in page and "OpenDocument text" not in page
