"""Links are built once per process (placette.web.urls): the kept text must be the one Flask
would build, whatever page, path prefix or space asks for it."""
from __future__ import annotations

import pytest
from flask import url_for


@pytest.fixture
def placette_plugins():
    return ["pages"]  # a plugin's space blueprint fills in the space of the request


def test_links_keep_the_path_prefix_of_each_request(app, client, make_space):
    """A city served under /ville (a proxy's prefix) and at the root, by the same process: each
    page's links carry its own prefix, however often the other was served first."""
    make_space("quartier-nord", visibility="public")
    for _ in range(2):
        answer = client.get("/s/quartier-nord")
        assert answer.status_code == 200
        plain = answer.get_data(as_text=True)
        prefixed = client.get("/s/quartier-nord", environ_overrides={"SCRIPT_NAME": "/ville"})
        html = prefixed.get_data(as_text=True)
        assert prefixed.status_code == 200
        assert 'href="/ville/s/quartier-nord' in html
        assert 'href="/s/quartier-nord' in plain and "/ville/" not in plain


def test_a_space_link_names_the_space_of_the_request(app, make_space):
    """``url_for`` inside a space fills in that space (the blueprint's url_defaults): the kept
    link of one space is never handed to another."""
    make_space("nord", visibility="public")
    from placette.models import Space
    with app.test_request_context("/s/nord/"):
        from flask import g
        endpoint = next((rule.endpoint for rule in app.url_map.iter_rules()
                         if rule.rule.startswith("/s/<space>/") and rule.arguments == {"space"}),
                        None)
        assert endpoint is not None, "no space blueprint page to build a link to"
        g.space = Space.get(Space.slug == "nord")
        first = url_for(endpoint)
        g.space = Space(slug="sud")
        second = url_for(endpoint)
        assert "/s/nord/" in first and "/s/sud/" in second
        assert url_for(endpoint, space="est").startswith("/s/est/")


def test_links_with_an_anchor_or_unusual_values_are_built_as_flask_builds_them(app):
    with app.test_request_context("/"):
        assert url_for("spaces.home", slug="a", _anchor="top") == "/s/a#top"
        assert url_for("spaces.home", slug="a", page=["1", "2"]) == "/s/a?page=1&page=2"
        assert url_for("spaces.home", slug="a", _external=True).startswith("http")
        assert url_for("spaces.home", slug="a") == "/s/a"
    assert len(app.url_memo) <= 8192


def test_a_function_made_per_request_neither_grows_the_sync_memo_nor_runs_twice(app):
    """Flask asks ``ensure_sync`` of every request hook and view; PlacetteFlask keeps the
    answer per function.  A function made for one request (``after_this_request``) is a new
    function every time: it still runs once per request, and the memo stays bounded."""
    from flask import after_this_request

    from placette.web.urls import SYNC_MEMO_MAX
    ran = []

    @app.route("/_test/after-this-request")
    def marked():
        @after_this_request
        def stamp(response):
            ran.append(1)
            response.headers["X-Stamped"] = "yes"
            return response
        return "ok"

    client = app.test_client()
    for n in range(SYNC_MEMO_MAX + 50):  # each its own address: no page kept for another
        assert client.get(f"/_test/after-this-request?n={n}").headers["X-Stamped"] == "yes"
    assert len(ran) == SYNC_MEMO_MAX + 50
    assert len(app.sync_memo) <= SYNC_MEMO_MAX
