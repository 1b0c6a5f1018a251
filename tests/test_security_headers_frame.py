"""The kernel's framing rule: every page is unframeable by other sites (CSP frame-ancestors
'self' and X-Frame-Options SAMEORIGIN), except a view that sets its own frame-ancestors -- then
X-Frame-Options, which cannot name other origins, is left out."""
from __future__ import annotations

import pytest
from flask import Blueprint


@pytest.fixture
def placette_extra_plugins():
    from gate_plugins import make_plugin

    def register_blueprints():
        bp = Blueprint("framed", __name__)

        @bp.route("/framed-embed")
        def embed():
            return "embed", 200, {"Content-Security-Policy":
                                  "frame-ancestors 'self' https://city.example"}

        @bp.route("/framed-other")
        def other():
            return "other", 200, {"Content-Security-Policy": "default-src 'self'"}
        return [bp]
    return {"framed": make_plugin("framed", register_blueprints=register_blueprints)}


@pytest.fixture
def placette_plugins():
    return ["framed"]


def test_only_a_view_with_its_own_frame_ancestors_may_be_framed(client):
    embed = client.get("/framed-embed")
    assert embed.headers["Content-Security-Policy"] == \
        "frame-ancestors 'self' https://city.example"
    assert "X-Frame-Options" not in embed.headers
    other = client.get("/framed-other")
    assert other.headers["X-Frame-Options"] == "SAMEORIGIN"
    home = client.get("/")
    assert home.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self';" in home.headers["Content-Security-Policy"]
