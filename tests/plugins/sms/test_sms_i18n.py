"""The plugin's catalogues are complete and compiled; a French member gets French texts and
pages."""
from __future__ import annotations

from pathlib import Path

from placette.testing import catalogue_problems

import placette_plugins.sms as package


def test_catalogues_are_complete_and_compiled():
    assert catalogue_problems(Path(package.__file__).parent / "translations") == []


def test_french_profile_page(app, client, make_user, council, sign_in):
    sign_in(make_user(member_of=council, language="fr"))
    page = client.get("/me/sms")
    assert "Numéro de mobile" in page.text and "Pas encore de numéro." in page.text
    refused = client.post("/me/sms/phone", data={"phone": "08 99 23 45 67"})
    assert "numéros de mobile" in refused.text
