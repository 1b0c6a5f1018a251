"""Titles read as French (issue 17, point 11): "Agenda du Conseil des personnes handicapées", not
"Agenda de Conseil ...".  A space's name takes its article in French sentences -- guessed from
the name, or chosen by the city on the space's edit page -- contracted with the word before."""
from __future__ import annotations

import html
import re

import pytest

from placette.articles import guess_article


@pytest.fixture
def placette_language():
    return "fr"


@pytest.fixture
def placette_plugins():
    return ["agenda", "documents", "pages"]


def _h1(response) -> str:
    assert response.status_code == 200
    found = re.search(r"<h1[^>]*>(.*?)</h1>", response.get_data(as_text=True), re.S)
    return html.unescape(re.sub(r"<[^>]+>", "", found.group(1))).strip()


@pytest.mark.parametrize("name, article", [
    ("Conseil des personnes handicapées", "le"), ("Quartier Centre-ville", "le"),
    ("Groupe avis budget", "le"), ("Commission des finances", "la"),
    ("Assemblée des jeunes", "l'"), ("Ateliers du budget", "les"),
    ("Villeneuve-sur-Loire", ""), ("", ""),
])
def test_the_article_is_guessed_from_the_name(name, article):
    assert guess_article(name) == article


def test_titles_contract_de_and_the_article(client, make_space):
    for slug, name in [("handicap", "Conseil des personnes handicapées"),
                       ("centre", "Quartier Centre-ville"), ("ville", "Villeneuve-sur-Loire"),
                       ("jeunes", "Assemblée des jeunes"), ("ateliers", "Ateliers du budget"),
                       ("angers", "Angers")]:
        make_space(slug, name=name, visibility="public", plugins=["agenda", "documents", "pages"])
    assert _h1(client.get("/s/handicap/agenda/")) == "Agenda du Conseil des personnes handicapées"
    assert _h1(client.get("/s/centre/documents/")) == "Bibliothèque du Quartier Centre-ville"
    assert _h1(client.get("/s/ville/pages/")) == "Pages de Villeneuve-sur-Loire"
    assert _h1(client.get("/s/jeunes/agenda/")) == "Agenda de l’Assemblée des jeunes"
    assert _h1(client.get("/s/ateliers/agenda/")) == "Agenda des Ateliers du budget"
    assert _h1(client.get("/s/angers/agenda/")) == "Agenda d’Angers"


def test_in_english_the_name_is_left_alone(client, make_space):
    make_space("handicap", name="Conseil des personnes handicapées", visibility="public",
               plugins=["agenda"])
    assert _h1(client.get("/s/handicap/agenda/?lang=en")) == \
        "Agenda of Conseil des personnes handicapées"


def test_the_city_chooses_the_article_on_the_edit_page(client, make_space, make_user, sign_in):
    space = make_space("velorution", name="Vélorution", visibility="public", plugins=["agenda"])
    assert _h1(client.get("/s/velorution/agenda/")) == "Agenda de Vélorution"
    sign_in(make_user(name="Claire", admin=True))
    edit = client.get("/s/velorution/manage/edit").get_data(as_text=True)
    assert "Article devant le nom, en français" in edit
    response = client.post("/s/velorution/manage/edit", data={
        "name": "Vélorution", "description": "", "allow_join_requests": "y",
        "kind": space.kind, "visibility": "public", "article": "la"})
    assert response.status_code == 302
    assert _h1(client.get("/s/velorution/agenda/")) == "Agenda de la Vélorution"
    assert _h1(client.get("/s/velorution/manage/")) == "Gérer la Vélorution"
    edit = client.get("/s/velorution/manage/edit").get_data(as_text=True)
    assert "selected" in re.search(r'<option[^>]*value="la"[^>]*>', edit).group(0)


def test_a_name_is_still_escaped(client, make_space):
    make_space("balise", name="Conseil <b>gras</b>", visibility="public", plugins=["agenda"])
    text = client.get("/s/balise/agenda/").get_data(as_text=True)
    assert "Agenda du Conseil &lt;b&gt;gras&lt;/b&gt;" in text
    assert "<b>gras" not in text
