"""Search: one box over everything a person may see -- on SQLite (FTS5) and PostgreSQL alike.

Run this file on both engines (PLACETTE_TEST_DATABASE_URL): the engines differ, the behaviour a
person sees must not.
"""
from __future__ import annotations

import pytest

from placette.db import query_counter
from placette.notes import publish_note
from placette.resources import publish, withdraw
from placette.search.engines import forget, rebuild
from placette.spaces import remove_member, update_space

from search_helpers import BooksPlugin, titles


@pytest.fixture
def placette_extra_plugins():
    return {"books": BooksPlugin()}


@pytest.fixture
def council(make_space):
    return make_space("centre", visibility="network", plugins=["books"])


def test_accents_plurals_and_case_do_not_matter(client, council, make_user, sign_in):
    member = make_user(member_of=council)
    publish_note(council, member, "Réunion du conseil de quartier", "Ordre du jour : la mobilité.")
    publish_note(council, member, "Fête des voisins", "Rien à voir.")
    sign_in(member)
    for typed in ("reunion", "réunion", "réunions", "REUNIONS", "conseils", "quartiers",
                  "mobilite", "Mobilités"):
        assert titles(client, typed) == ["Réunion du conseil de quartier"], typed
    assert titles(client, "budget") == []


def test_results_follow_the_permission_gate(client, make_space, make_user, sign_in, sign_out):
    public = make_space("ouvert", visibility="public")
    network = make_space("reseau", visibility="network")
    private = make_space("prive", visibility="private")
    animator = make_user(member_of=[public, network, private], role="animator")
    member = make_user(member_of=[network, private])
    stranger = make_user()
    publish_note(public, animator, "Jardin public partagé", "")
    publish_note(network, animator, "Jardin du réseau", "")
    publish_note(private, animator, "Jardin secret du groupe", "")
    publish_note(private, animator, "Jardin des animateurs", "", visibility="animators")

    sign_out()
    assert titles(client, "jardin") == ["Jardin public partagé"]
    sign_in(stranger)
    assert sorted(titles(client, "jardin")) == ["Jardin du réseau", "Jardin public partagé"]
    sign_in(member)
    assert sorted(titles(client, "jardin")) == ["Jardin du réseau", "Jardin public partagé",
                                                "Jardin secret du groupe"]
    sign_in(animator)
    assert len(titles(client, "jardin")) == 4
    admin = make_user(admin=True)
    sign_in(admin)
    assert len(titles(client, "jardin")) == 4


def test_index_follows_edits_visibility_changes_and_withdrawal(client, council, make_user,
                                                               sign_in):
    member = make_user(member_of=council)
    stranger = make_user()
    note = publish_note(council, member, "Compost collectif", "Bacs au square.",
                        object_id="n1")
    sign_in(stranger)
    assert titles(client, "compost") == ["Compost collectif"]

    publish_note(council, member, "Potager collectif", "Bacs au square.", object_id="n1")
    assert titles(client, "compost") == []
    assert titles(client, "potager") == ["Potager collectif"]

    update_space(council, visibility="members")
    assert titles(client, "potager") == []          # the stranger may no longer read it
    sign_in(member)
    assert titles(client, "potager") == ["Potager collectif"]
    remove_member(council, member)
    sign_in(member)
    assert titles(client, "potager") == []          # removed: gone at once

    update_space(council, visibility="network")
    withdraw("placette", "note", note.object_id)
    assert titles(client, "potager") == []


def test_archived_space_disappears(client, council, make_user, sign_in):
    member = make_user(member_of=council)
    publish_note(council, member, "Vélo-école", "")
    sign_in(member)
    assert titles(client, "velo") == ["Vélo-école"]
    council.archived_at = council.created_at
    council.save()
    assert titles(client, "velo") == []


def test_a_new_resource_never_inherits_the_words_of_a_withdrawn_one(client, council, make_user,
                                                                     sign_in):
    member = make_user(member_of=council)
    first = publish_note(council, member, "Zèbre", "")
    withdraw("placette", "note", first.object_id)
    publish_note(council, member, "Girafe", "")   # may reuse the row id on SQLite
    sign_in(member)
    assert titles(client, "zebre") == []
    assert titles(client, "girafe") == ["Girafe"]


def test_plugins_feed_extra_text_and_disabled_modules_hide_results(client, council, make_user,
                                                                   sign_in):
    from placette.modules import set_module
    member = make_user(member_of=council)
    BooksPlugin.extra_text = {"7": "Le chapitre trois traite du budget participatif."}
    publish("books", "book", 7, space=council, title="Guide du conseiller", url="/b/7",
            author=member, summary="Un guide.")
    sign_in(member)
    response = client.get("/search", query_string={"q": "budgets participatifs"})
    html = response.get_data(as_text=True)
    assert "Guide du conseiller" in html
    assert "<mark>budget</mark> <mark>participatif</mark>" in html

    set_module(council, "books", False)
    assert titles(client, "budget") == []
    set_module(council, "books", True)
    assert titles(client, "budget") == ["Guide du conseiller"]


def test_a_failing_search_documents_hook_still_indexes_the_title(client, council, make_user,
                                                                 sign_in):
    member = make_user(member_of=council)

    class Broken(dict):
        def get(self, key, default=None):
            raise RuntimeError("PDF extraction crashed")

    BooksPlugin.extra_text = Broken()
    try:
        publish("books", "book", 8, space=council, title="Rapport annuel", url="/b/8")
    finally:
        BooksPlugin.extra_text = {}
    sign_in(member)
    assert titles(client, "rapport") == ["Rapport annuel"]


def test_space_filter_and_facets(client, make_space, make_user, sign_in):
    a = make_space("nord", name="Conseil Nord")
    b = make_space("sud", name="Conseil Sud")
    make_space("secret", visibility="private")
    member = make_user(member_of=[a, b])
    publish_note(a, member, "Marché du dimanche nord", "")
    publish_note(b, member, "Marché du dimanche sud", "")
    sign_in(member)
    assert titles(client, "marche", space="sud") == ["Marché du dimanche sud"]
    html = client.get("/search?q=marche").get_data(as_text=True)
    assert 'value="nord">Conseil Nord (1)</option>' in html
    assert client.get("/search?q=marche&space=nowhere").status_code == 404
    assert client.get("/search?q=marche&space=secret").status_code == 404


def test_facets_offer_the_busiest_spaces_and_the_total_counts_every_match(
        client, make_space, make_user, sign_in):
    """Beyond 15 spaces the filter offers the 15 holding the most matches, equal counts by name
    (the same order on both engines); the total still counts the matches of every space."""
    import re
    from placette.search.query import FACETS
    spaces = [make_space(f"f{n:02d}", name=f"Conseil {chr(ord('A') + n)}")
              for n in range(FACETS + 3)]
    member = make_user(member_of=spaces)
    busy = spaces[-1]  # "Conseil R": last by name, first by count
    for space in spaces:
        publish_note(space, member, f"Potager de {space.name}", "")
    publish_note(busy, member, "Potager bis", "")
    sign_in(member)
    html = client.get("/search?q=potager").get_data(as_text=True)
    assert f"{FACETS + 4} results" in html
    select = html.split('id="search-space"')[1].split("</select>")[0]
    offered = re.findall(r'<option value="(f\d\d)">([^<]+)</option>', select)
    assert offered[0] == ("f17", "Conseil R (2)")
    assert [name for _slug, name in offered[1:]] == [
        f"Conseil {chr(ord('A') + n)} (1)" for n in range(FACETS - 1)]


def test_councils_whose_name_matches_are_listed_first(client, make_space, make_user, sign_in):
    """Typing a council's name offers the council itself -- only those the person may see."""
    import re
    make_space("nord", name="Conseil Nord", visibility="public")
    make_space("nord-ouest", name="Conseil Nord-Ouest", visibility="network")
    make_space("nord-secret", name="Groupe Nord secret", visibility="private")

    def listed(query):
        html = client.get("/search", query_string={"q": query}).get_data(as_text=True)
        section = html.split('id="spaces-found"')[1].split("</section>")[0] \
            if 'id="spaces-found"' in html else ""
        return re.findall(r'<a href="/s/[^"]+">([^<]+)</a>', section)

    assert listed("nord") == ["Conseil Nord"]  # anonymous: the public council only
    sign_in(make_user())
    assert listed("NORD") == ["Conseil Nord", "Conseil Nord-Ouest"]
    assert listed("ouest") == ["Conseil Nord-Ouest"]
    assert listed("secret") == [] and listed("sud") == []


def test_pages_of_results(client, council, make_user, sign_in):
    member = make_user(member_of=council)
    for n in range(25):
        publish_note(council, member, f"Atelier numéro {n}", "")
    sign_in(member)
    first = titles(client, "atelier")
    second = titles(client, "atelier", page=2)
    assert len(first) == 20 and len(second) == 5
    assert not set(first) & set(second)
    html = client.get("/search?q=atelier").get_data(as_text=True)
    assert "25 results" in html and 'rel="next"' in html


def test_a_common_word_ranks_among_the_newest_matches_and_says_so(client, make_space, make_user,
                                                                   sign_in, monkeypatch):
    """Beyond the window, results are the most relevant of the newest matches the person may
    see, the page says "more than", and the API flags its total as a lower bound."""
    from placette.search import query
    monkeypatch.setattr(query, "RANK_WINDOW", 5)
    nord = make_space("nord", name="Conseil Nord")
    secret = make_space("secret", visibility="private")
    member = make_user(member_of=nord)
    outsider = make_user(member_of=secret)
    for n in range(5):
        publish_note(nord, member, f"Jardin partagé {n}", "")
    for n in range(3):  # newer, but invisible to the member: they must not use up the window
        publish_note(secret, outsider, f"Jardin secret {n}", "")
    sign_in(member)
    assert sorted(titles(client, "jardin")) == [f"Jardin partagé {n}" for n in range(5)]
    html = client.get("/search?q=jardin").get_data(as_text=True)
    assert "5 results" in html and "More than" not in html
    assert "X-Total-Capped" not in client.get("/api/v1/search?q=jardin").headers

    publish_note(nord, member, "Jardin partagé 5", "")
    shown = titles(client, "jardin")
    assert sorted(shown) == [f"Jardin partagé {n}" for n in range(1, 6)]  # the oldest left
    html = client.get("/search?q=jardin").get_data(as_text=True)
    assert "More than 5 results" in html and "most relevant of the 5 most recent" in html
    assert 'value="nord">Conseil Nord (5)</option>' in html  # facets count what is shown
    api = client.get("/api/v1/search?q=jardin")
    assert api.headers["X-Total-Count"] == "5" and api.headers["X-Total-Capped"] == "true"
    # Narrowing the words brings the older ones back.
    assert titles(client, "jardin 0") == ["Jardin partagé 0"]


def test_snippets_are_escaped_and_highlighted(client, council, make_user, sign_in):
    member = make_user(member_of=council)
    publish_note(council, member, "<script>alert(1)</script> Réunion",
                 "Texte <img src=x onerror=alert(2)> avant la réunion publique.")
    sign_in(member)
    html = client.get("/search?q=reunion").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; <mark>Réunion</mark>" in html
    assert "avant la <mark>réunion</mark> publique" in html


def test_marks_land_on_the_words_whatever_their_case_and_alphabet(client, council, make_user,
                                                                   sign_in):
    """Highlighting folds case and accents character for character: a word next to letters
    whose lower case is longer ("İ") or depends on context (a Greek capital sigma) is still
    marked where it stands, not shifted."""
    member = make_user(member_of=council)
    publish_note(council, member, "RÉUNIONS à İzmir", "ΣΟΦΙΑΣ et Ὀδυσσεύς : la réunion, ÉCOLE.")
    sign_in(member)
    html = client.get("/search?q=reunion").get_data(as_text=True)
    assert "<mark>RÉUNIONS</mark> à İzmir" in html
    assert "ΣΟΦΙΑΣ et Ὀδυσσεύς : la <mark>réunion</mark>, ÉCOLE." in html


TRICKY = ['"', '"""', "réunion\"", "NEAR(a b)", "a AND", "OR", "NOT", "-", "--", "* ^ :",
          "title:réunion", "réunion*", "(((", ")", "'; DROP TABLE placette_resource; --",
          "😀🎉", "réunion 😀", "&|!<->", "le la les", "-réunion", "🙂" * 200,
          "réunion " * 1500, "x" * 10_000]


@pytest.mark.parametrize("typed", TRICKY)
def test_whatever_people_type_never_raises(client, council, make_user, sign_in, typed):
    member = make_user(member_of=council)
    publish_note(council, member, "Réunion publique", "")
    sign_in(member)
    response = client.get("/search", query_string={"q": typed})
    assert response.status_code == 200
    api = client.get("/api/v1/search", query_string={"q": typed})
    assert api.status_code == 200 and isinstance(api.get_json(), list)


def test_a_nul_character_is_refused_clearly_not_a_crash(client, council, make_user, sign_in):
    sign_in(make_user(member_of=council))
    assert client.get("/search", query_string={"q": "\x00nul"}).status_code == 400
    api = client.get("/api/v1/search", query_string={"q": "réunion\x00"})
    assert api.status_code == 400 and api.get_json()["error"]["code"] == "invalid_characters"


def test_quoted_phrases_or_and_exclusion(client, council, make_user, sign_in):
    member = make_user(member_of=council)
    publish_note(council, member, "Conseil de quartier Nord", "")
    publish_note(council, member, "Quartier du conseil", "")
    publish_note(council, member, "Piscine municipale", "")
    sign_in(member)
    assert titles(client, '"conseil de quartier"') == ["Conseil de quartier Nord"]
    assert sorted(titles(client, "piscine OR nord")) == ["Conseil de quartier Nord",
                                                         "Piscine municipale"]
    assert titles(client, "quartier -nord") == ["Quartier du conseil"]


def test_api_search(client, make_space, make_user, sign_in):
    space = make_space("quartier", visibility="network")
    member = make_user(member_of=space)
    publish_note(space, member, "Réunion <b>plénière</b>", "Ordre du jour : réunions.")
    response = client.get("/api/v1/search?q=reunions")
    assert response.status_code == 200 and response.get_json() == []   # anonymous: network
    sign_in(member)
    response = client.get("/api/v1/search?q=reunions&space=quartier")
    items = response.get_json()
    assert response.headers["X-Total-Count"] == "1"
    assert items[0]["title"] == "Réunion <b>plénière</b>"
    assert items[0]["title_html"] == "<mark>Réunion</mark> &lt;b&gt;plénière&lt;/b&gt;"
    assert items[0]["space"] == "quartier" and items[0]["resource"].startswith("placette.note:")
    assert "réunions" in items[0]["snippet"] and "<mark>" in items[0]["snippet_html"]
    assert client.get("/api/v1/search?q=a&space=nowhere").get_json()["error"]["code"] == \
        "not_found"
    bad = client.get("/api/v1/search?q=a&per_page=5000")
    assert bad.status_code == 400 and bad.get_json()["error"]["code"] == "invalid_parameter"
    spec = client.get("/api/openapi.json").get_json()
    assert "get" in spec["paths"]["/api/v1/search"]
    assert "post" in spec["paths"]["/api/v1/reports"]


def test_rebuild_restores_a_lost_index(client, council, make_user, sign_in):
    member = make_user(member_of=council)
    note = publish_note(council, member, "Bibliothèque de rue", "")
    forget([note.id])
    sign_in(member)
    assert titles(client, "bibliotheque") == []
    assert rebuild() >= 1
    assert titles(client, "bibliotheque") == ["Bibliothèque de rue"]
    forget([note.id])
    rebuild(hooks=False)
    assert titles(client, "bibliotheques") == ["Bibliothèque de rue"]


def _queries_for(client, path: str) -> int:
    client.get(path)  # warm caches that are per-process, not per-request
    query_counter.reset()
    assert client.get(path).status_code == 200
    return query_counter.count


def test_query_count_does_not_grow_with_the_data(client, make_space, make_user, sign_in):
    spaces = [make_space(f"s{n}") for n in range(3)]
    member = make_user(member_of=spaces)
    for space in spaces:
        publish_note(space, member, "Réunion de printemps", "")
    sign_in(member)
    small = _queries_for(client, "/search?q=reunion")
    more = [make_space(f"t{n}") for n in range(6)]
    for space in more:
        for n in range(8):
            publish_note(space, member, f"Réunion numéro {n}", "Une réunion de plus.")
    large = _queries_for(client, "/search?q=reunion")
    assert large == small, (small, large)
    assert small <= 10


def test_marks_are_on_whole_words_starting_with_the_stem_and_survive_control_characters():
    """Only a word that starts with the searched stem is marked (not one holding it further in),
    the whole word is marked, and a text holding a control character is escaped all the same."""
    from markupsafe import Markup

    from placette.search.snippets import highlight, snippet
    text = "préréunion, _réunion, 1réunion, -réunion, (Réunions) <b>"
    assert highlight(text, {"reunion"}) == Markup(
        "préréunion, _réunion, 1réunion, -<mark>réunion</mark>, (<mark>Réunions</mark>) "
        "&lt;b&gt;")
    assert highlight("a\x00<réunion>\x01 & réunions", {"reunion"}) == Markup(
        "a\x00&lt;<mark>réunion</mark>&gt;\x01 &amp; <mark>réunions</mark>")
    assert snippet("<i>rien</i>", {"reunion"}) == Markup("&lt;i&gt;rien&lt;/i&gt;")


def _snippet_of_the_whole_text(text, stems, width):
    """What a snippet is, written the plain way: the whole source normalised, every matching
    word found, the passage around the first, the words wholly inside it marked."""
    from markupsafe import Markup

    from placette.search.snippets import SOURCE_CHARS, _hits, _marked
    text = " ".join((text or "")[:SOURCE_CHARS].split())
    if not text:
        return Markup("")
    hits = _hits(text, stems)
    start = max(0, hits[0][0] - width // 3) if hits else 0
    if start:
        space = text.rfind(" ", 0, start)
        start = space + 1 if space >= 0 and start - space < 30 else start
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start + width // 2 else end
    body = _marked(text[start:end], [(s, e) for s, e in hits if s >= start and e <= end],
                   offset=start)
    return Markup("".join(("… " if start else "", body, " …" if end < len(text) else "")))


_SNIPPET_WORDS = ["le", "conseil", "réunion", "Réunions", "préréunion", "_réunion", "-quartier",
                  "quartiers", "l'été", "x" * 45, "a\nb", "RÉUNION", "<b>", "&", "  ", "\t"]


@pytest.mark.parametrize("seed", range(8))
def test_a_snippet_read_piece_by_piece_is_the_one_of_the_whole_text(seed):
    """The snippet reads a long text a piece at a time, up to the passage it shows: the passage,
    its marks and its ellipses are exactly those of the whole text searched -- words cut by a
    piece's or the passage's edge included, wherever the first matching word lies, and when
    none does.  Texts of a few words to twenty thousand characters, seeded (the same every
    run)."""
    import random

    from placette.search.snippets import snippet
    chance = random.Random(seed)
    for _ in range(400):
        count = chance.choice([0, 1, 3, 30, 200, 600, 2500, 5000])
        text = "".join(chance.choice(_SNIPPET_WORDS) + chance.choice([" ", " ", "\n", ""])
                       for _ in range(count))
        stems = chance.choice([{"reunion"}, {"quarti"}, {"reunion", "quarti"}, {"zzz"}, set()])
        width = chance.choice([240, 40, 13, 300])
        assert snippet(text, stems, width) == _snippet_of_the_whole_text(text, stems, width), \
            (text[:200], stems, width)


def test_a_long_text_shows_the_passage_around_its_first_matching_word():
    """The minutes of a long meeting, the word searched far down: the passage is around it, with
    ellipses on both sides, and the word is marked."""
    from placette.search.snippets import snippet
    text = "Ordre du jour. " + "Le budget est présenté aux habitants. " * 400 + \
        "La réunion du quartier nord aura lieu en mai. " + "Questions diverses. " * 200
    passage = snippet(text, {"reunion"})
    assert passage.startswith("… ") and passage.endswith(" …")
    assert "La <mark>réunion</mark> du quartier nord aura lieu en mai." in passage
    assert len(passage.striptags()) < 260


@pytest.mark.parametrize("before", [1990, 1994, 1996, 1999, 2000, 2003])
def test_a_matching_word_across_the_first_piece_s_edge_is_found_whole(before):
    """The word sits where the first piece read would end (2,000 characters): it is still
    found and marked whole, not as two halves that match nothing."""
    from placette.search.snippets import PIECE_CHARS, snippet
    assert PIECE_CHARS == 2000
    filler = ("le conseil " * 200)[:before - 1] + " "
    passage = snippet(filler + "réunions publiques", {"reunion"})
    assert "<mark>réunions</mark> publiques" in passage
    assert passage == _snippet_of_the_whole_text(filler + "réunions publiques", {"reunion"}, 240)


def test_a_passage_that_ends_with_the_text_has_no_closing_ellipsis():
    """Only a passage that stops before the text's end says so with "…"."""
    from markupsafe import Markup

    from placette.search.snippets import snippet
    assert snippet("réunion abcde", {"reunion"}, 13) == Markup("<mark>réunion</mark> abcde")
    assert snippet("réunion abcde f", {"reunion"}, 13) == Markup("<mark>réunion</mark> …")


def test_a_page_of_results_is_one_statement(app, make_space, make_user):
    """The total, the facets and the page's hits -- their resource, space and start of text --
    come from one statement, whatever the page holds (the person's roles, read once a request
    for every permission check, aside)."""
    from placette.query_memo import viewer_key
    from placette.search.query import search

    spaces = [make_space(f"u{n}") for n in range(3)]
    member = make_user(member_of=spaces)
    for space in spaces:
        for n in range(4):
            publish_note(space, member, f"Réunion {n}", "Une réunion de plus.")
    with app.test_request_context("/search"):
        viewer_key(member, moderation=True)  # the roles, as the page's frame reads them
        query_counter.reset()
        found = search(member, "reunion", per_page=5)
        assert (found.total, len(found.hits), len(found.facets)) == (12, 5, 3)
        assert query_counter.count == 1
        query_counter.reset()
        assert len(search(member, "reunion", page=3, per_page=5).hits) == 2
        assert query_counter.count == 1
