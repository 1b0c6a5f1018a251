"""A third-party plugin's offer is frozen through the same rules: its hostile markup is
sanitised again before anyone reads it, and nothing of it is trusted as safe."""
from __future__ import annotations

import pytest

import placette


def _hostile_offer(resource, actor):
    if resource.plugin != "hostile":
        return None
    return placette.ShowcaseOffer(
        resource=resource, category="page", title="Offre piégée",
        body_html='<h1>Titre</h1><p onclick="x()">Texte<script>alert(1)</script></p>'
                  '<img src="x" onerror="alert(1)" alt="plan">'
                  '<table><tr><th scope="row">a</th><td>1</td></tr></table>')


@pytest.fixture
def placette_extra_plugins():
    from gate_plugins import make_plugin
    return {"hostile": make_plugin(
        "hostile", default_enabled=True,
        register_resource_kinds=lambda: [placette.ResourceKind("hostile", "thing", "Thing",
                                                               "Things")],
        showcase_item=_hostile_offer)}


@pytest.fixture
def placette_plugins():
    return ["pages", "showcase", "hostile"]


def test_a_third_party_offer_is_sanitised_when_frozen(app, client, make_space, make_user):
    from placette_plugins.showcase import service
    space = make_space("quartier-sud", visibility="public", plugins=["showcase", "hostile"])
    animator = make_user(member_of=space, role="animator")
    resource = placette.publish_resource("hostile", "thing", 7, space=space,
                                         title="Offre piégée", url="/x")
    item = service.pick(space, animator, f"hostile.thing:{resource.object_id}")
    assert "<script" not in item.body_html and "onclick" not in item.body_html
    assert "onerror" not in item.body_html and "<h1>" not in item.body_html
    assert '<th scope="row">a</th>' in item.body_html
    body = client.get(f"/vitrine/quartier-sud/{item.id}").get_data(as_text=True)
    assert "alert(1)" not in body and body.count("<h1") == 1
