"""Issue 18, item to settle: the documents plugin's ``next`` goes through the kernel's rule
(``placette.safe_next``), which refuses ``/\\evil.com`` -- a path browsers read as another site."""
from __future__ import annotations

import io

import pytest

import placette
from placette_plugins.documents import library


class Minutes:
    @placette.hookimpl
    def register_manifest(self):
        return placette.PluginManifest(name="minutes", title="Minutes")

    @placette.hookimpl
    def register_resource_kinds(self):
        return [placette.ResourceKind("minutes", "meeting", "Meeting")]


@pytest.fixture
def placette_plugins():
    return ["documents", "minutes"]


@pytest.fixture
def placette_extra_plugins():
    return {"minutes": Minutes()}


@pytest.mark.parametrize("target", ["/\\evil.example", "/\\/evil.example", "//evil.example",
                                    "https://evil.example/", "/\tevil"])
def test_attach_never_bounces_to_another_site(client, app, make_space, make_user, sign_in,
                                              sample, target):
    space = make_space("cq", plugins=["documents", "minutes"])
    member = sign_in(make_user(member_of=space))
    meeting = placette.publish_resource("minutes", "meeting", 1, space=space, title="Réunion",
                                        url="/s/cq/minutes/1")
    doc = library.upload(space, member, [library.Incoming(io.BytesIO(sample.pdf()),
                                                          "ordre du jour.pdf")])[0]
    response = client.post("/s/cq/documents/attach", data={
        "resource_id": str(meeting.id), "document": str(doc.id), "next": target})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/s/cq/minutes/1"), response.headers["Location"]


def test_a_same_site_next_is_kept(client, make_space, make_user, sign_in, sample):
    space = make_space("cq", plugins=["documents", "minutes"])
    member = sign_in(make_user(member_of=space))
    meeting = placette.publish_resource("minutes", "meeting", 1, space=space, title="Réunion",
                                        url="/s/cq/minutes/1")
    doc = library.upload(space, member, [library.Incoming(io.BytesIO(sample.pdf()), "a.pdf")])[0]
    response = client.post("/s/cq/documents/attach", data={
        "resource_id": str(meeting.id), "document": str(doc.id), "next": "/s/cq/documents/"})
    assert response.headers["Location"].endswith("/s/cq/documents/")
