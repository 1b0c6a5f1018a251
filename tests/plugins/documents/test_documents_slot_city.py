"""Other plugins attach documents through the resource.attachments slot; the city-wide view;
query counts that do not grow with the data."""
from __future__ import annotations

import io

import pytest

import placette
from placette import hookimpl
from placette_plugins.documents import library
from placette_plugins.documents.models import Attachment, Document


class MinutesPlugin:
    """A stand-in for the agenda: it publishes meetings and renders the attachments slot."""

    @hookimpl
    def register_manifest(self):
        return placette.PluginManifest(name="minutes", title="Minutes")

    @hookimpl
    def register_resource_kinds(self):
        return [placette.ResourceKind("minutes", "meeting", "Meeting")]

    @hookimpl
    def register_blueprints(self):
        from flask import render_template_string
        bp = placette.space_blueprint("minutes", __name__)

        @bp.route("/<int:meeting_id>")
        def meeting(space, meeting_id):
            resource = placette.Resource.get_or_none(plugin="minutes", kind="meeting",
                                                     object_id=str(meeting_id))
            if resource is None or not placette.can(__import__("flask_login").current_user,
                                                    "view", resource):
                from flask import abort
                abort(404)
            return render_template_string(
                "<h1>{{ r.title }}</h1>{{ slot('resource.attachments', resource=r) }}",
                r=resource)
        return [bp]


@pytest.fixture
def placette_plugins():
    return ["documents", "minutes"]


@pytest.fixture
def placette_extra_plugins():
    return {"minutes": MinutesPlugin()}


def _meeting(space, number, visibility=None):
    return placette.publish_resource("minutes", "meeting", number, space=space,
                                     title=f"Réunion {number}",
                                     url=f"/s/{space.slug}/minutes/{number}",
                                     visibility=visibility)


def test_attach_a_document_to_another_plugins_item(client, app, make_space, make_user, sign_in,
                                                   sample):
    space = make_space("cq", plugins=["documents", "minutes"])
    member = sign_in(make_user(member_of=space))
    with app.app_context():
        meeting = _meeting(space, 1)
        doc = library.upload(space, member, [library.Incoming(io.BytesIO(sample.pdf()),
                                                              "ordre du jour.pdf")])[0]
    page = client.get("/s/cq/minutes/1").get_data(as_text=True)
    assert "Attached documents" in page or "Documents joints" in page
    response = client.post("/s/cq/documents/attach", data={
        "resource_id": str(meeting.id), "document": str(doc.id), "next": "/s/cq/minutes/1"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/minutes/1")
    response = client.post("/s/cq/documents/attach", data={
        "resource_id": str(meeting.id), "next": "https://evil.example/",
        "files": [(io.BytesIO(sample.pdf("compte rendu")), "compte rendu.pdf")]},
        content_type="multipart/form-data")
    assert response.headers["Location"].endswith("/s/cq/minutes/1")  # no open redirect
    page = client.get("/s/cq/minutes/1").get_data(as_text=True)
    assert "ordre du jour" in page and "compte rendu" in page
    assert Attachment.select().count() == 2
    detail = client.get(f"/s/cq/documents/files/{doc.id}").get_data(as_text=True)
    assert "Réunion 1" in detail


def test_the_item_page_links_to_a_page_that_attaches_a_document(
        client, app, make_space, make_user, sign_in, sample):
    """The item's page carries a link, not a list of the space's documents: the choice is a
    page of its own, which leaves out what is attached and what the person may not see, posts
    without JavaScript and goes back to the item."""
    space = make_space("cq3", plugins=["documents", "minutes"])
    animator = make_user(member_of=space, role="animator")
    member = sign_in(make_user(member_of=space))
    with app.app_context():
        meeting = _meeting(space, 4)
        agenda = library.upload(space, member, [library.Incoming(io.BytesIO(sample.pdf()),
                                                                 "ordre du jour.pdf")])[0]
        budget = library.upload(space, member, [library.Incoming(io.BytesIO(sample.pdf()),
                                                                 "budget.pdf")])[0]
        secret = library.upload(space, animator, [library.Incoming(io.BytesIO(sample.pdf()),
                                                                   "brouillon.pdf")],
                                visibility_value="animators")[0]
        library.attach(budget, meeting, member)
    page = client.get("/s/cq3/minutes/4").get_data(as_text=True)
    assert "<select" not in page and "ordre du jour" not in page
    link = f"/s/cq3/documents/attach?resource={meeting.id}&amp;next=/s/cq3/minutes/4"
    assert link in page
    form = client.get(link.replace("&amp;", "&"))
    html = form.get_data(as_text=True)
    assert form.status_code == 200 and "Réunion 4" in html
    assert f'<option value="{agenda.id}">ordre du jour</option>' in html
    assert f'value="{budget.id}"' not in html          # attached already
    assert f'value="{secret.id}"' not in html          # the member may not see it
    assert 'name="next" type="hidden" value="/s/cq3/minutes/4"' in html
    sent = client.post("/s/cq3/documents/attach", data={
        "resource_id": str(meeting.id), "document": str(agenda.id), "next": "/s/cq3/minutes/4"})
    assert sent.headers["Location"].endswith("/s/cq3/minutes/4")
    assert "ordre du jour" in client.get("/s/cq3/minutes/4").get_data(as_text=True)
    elsewhere = client.get(f"/s/cq3/documents/attach?resource={meeting.id}"
                           f"&next=https://evil.example/").get_data(as_text=True)
    assert "evil.example" not in elsewhere             # back to the item instead
    sign_in(make_user())                               # may read, may not attach
    assert client.get(f"/s/cq3/documents/attach?resource={meeting.id}").status_code == 403
    assert client.get("/s/cq3/documents/attach?resource=999999").status_code == 404
    assert client.get("/s/cq3/documents/attach?resource=x").status_code == 404


def test_attachments_respect_permissions(client, app, make_space, make_user, sign_in, sample):
    space = make_space("cq2", visibility="public", plugins=["documents", "minutes"])
    animator = make_user(member_of=space, role="animator")
    with app.app_context():
        meeting = _meeting(space, 2)
        hidden_meeting = _meeting(space, 3, visibility="animators")
        draft = library.upload(space, animator, [library.Incoming(io.BytesIO(sample.pdf()),
                                                                  "brouillon.pdf")],
                               visibility_value="animators")[0]
        shown = library.upload(space, animator, [library.Incoming(io.BytesIO(sample.pdf()),
                                                                  "public.pdf")])[0]
        library.attach(draft, meeting, animator)
        library.attach(shown, meeting, animator)
    page = client.get("/s/cq2/minutes/2").get_data(as_text=True)  # anonymous visitor
    assert "public" in page and "brouillon" not in page
    assert "/documents/attach" not in page  # no attach form for a visitor
    visitor = sign_in(make_user())
    assert visitor
    response = client.post("/s/cq2/documents/attach", data={
        "resource_id": str(meeting.id), "document": str(shown.id)})
    assert response.status_code == 403
    member = sign_in(make_user(member_of=space))
    assert member
    assert client.post("/s/cq2/documents/attach", data={
        "resource_id": str(hidden_meeting.id), "document": str(shown.id)}).status_code == 404
    assert client.post("/s/cq2/documents/attach", data={
        "resource_id": str(meeting.id), "document": str(draft.id)}).status_code == 404
    assert Attachment.select().count() == 2


def test_city_view_filters_by_space_tag_and_type(client, app, make_space, make_user, sign_in,
                                                 sample):
    north = make_space("nord", visibility="public", plugins=["documents"])
    south = make_space("sud", visibility="public", plugins=["documents"])
    hidden = make_space("cache", visibility="private", plugins=["documents"])
    off = make_space("eteint", visibility="public", plugins=["documents"])
    user = make_user(member_of=[north, south, hidden, off], role="animator")
    with app.app_context():
        library.upload(north, user, [library.Incoming(io.BytesIO(sample.pdf()), "budget.pdf")],
                       tags="budget")
        library.upload(south, user, [library.Incoming(io.BytesIO(sample.jpeg()), "parc.jpg")],
                       tags="parc", alt_text="Le parc")
        library.upload(hidden, user, [library.Incoming(io.BytesIO(sample.pdf()),
                                                       "secret.pdf")])
        library.upload(off, user, [library.Incoming(io.BytesIO(sample.pdf()), "eteint.pdf")])
    from placette.modules import set_module
    set_module(off, "documents", False)
    page = client.get("/documents/").get_data(as_text=True)
    assert "budget" in page and "parc" in page
    assert "secret" not in page and "eteint" not in page
    assert "budget" not in client.get("/documents/?space=sud").get_data(as_text=True)
    by_tag = client.get("/documents/?tag=parc").get_data(as_text=True)
    assert "parc" in by_tag and "budget.pdf" not in by_tag and ">budget<" not in by_tag
    by_type = client.get("/documents/?type=image").get_data(as_text=True)
    assert ">parc<" in by_type and ">budget<" not in by_type
    menu = client.get("/").get_data(as_text=True)
    assert 'href="/documents/"' in menu


def test_city_view_space_filter_offers_the_spaces_that_have_matches(client, app, make_space,
                                                                     make_user, sign_in,
                                                                     sample, monkeypatch):
    """The space filter lists the spaces holding matching documents, busiest first, with their
    count -- never a space the visitor cannot read, and never every library of the city."""
    import re

    from placette_plugins.documents import queries
    monkeypatch.setattr(queries, "CITY_FACETS", 2)
    spaces = {slug: make_space(slug, name=slug.title(), visibility=visibility,
                               plugins=["documents"])
              for slug, visibility in (("nord", "public"), ("sud", "public"),
                                       ("est", "public"), ("cache", "private"))}
    user = make_user(member_of=list(spaces.values()), role="animator")
    with app.app_context():
        for slug, count in (("nord", 3), ("sud", 2), ("est", 1), ("cache", 4)):
            library.upload(spaces[slug], user, [
                library.Incoming(io.BytesIO(sample.pdf()), f"{slug}-{n}.pdf")
                for n in range(count)])

    def options(url):
        html = client.get(url).get_data(as_text=True)
        select = html.split('id="f-space"')[1].split("</select>")[0]
        return re.findall(r'<option value="([^"]*)"( selected)?>([^<]*)</option>', select)

    assert options("/documents/") == [("", "", "All"), ("nord", "", "Nord (3)"),
                                      ("sud", "", "Sud (2)")]  # "cache" is private
    assert "6 documents" in client.get("/documents/").get_data(as_text=True)
    # A space without a match for the words stays selected, so the person sees the filter.
    assert ("est", " selected", "Est (0)") in options("/documents/?space=est&q=nord")
    assert ("cache", " selected", "Cache (0)") not in options("/documents/?space=cache")
    sign_in(user)
    assert ("cache", "", "Cache (4)") in options("/documents/")


def _count(client, url):
    from placette.db import query_counter
    client.get(url)  # warm-up, as the benchmarks do
    query_counter.reset()
    response = client.get(url)
    assert response.status_code == 200, url
    return query_counter.count


def test_query_counts_do_not_grow_with_the_data(client, app, make_space, make_user, sign_in,
                                                sample):
    space = make_space("plein", plugins=["documents"])
    user = sign_in(make_user(member_of=space, role="animator"))

    def add(n, start):
        with app.app_context():
            folder = library.create_folder(space, user, f"Dossier {start}")
            for i in range(n):
                library.upload(space, user, [library.Incoming(
                    io.BytesIO(f"note {start + i}".encode()), f"n{start + i}.txt")],
                    tags=f"t{i % 3}, commun", folder=folder)
                library.upload(space, user, [library.Incoming(
                    io.BytesIO(f"note {start + i}".encode()), f"r{start + i}.txt")])
        return folder

    folder = add(3, 0)
    small = {url: _count(client, url) for url in (
        "/s/plein/documents/", f"/s/plein/documents/folders/{folder.id}", "/documents/",
        "/api/v1/spaces/plein/documents/files")}
    big_folder = add(30, 100)
    big = {url: _count(client, url.replace(f"folders/{folder.id}",
                                           f"folders/{big_folder.id}")) for url in small}
    assert big == small, (small, big)
    assert Document.select().count() == 66


def test_a_new_upload_neither_rewrites_the_tags_sql_nor_mixes_tags(client, app, make_space,
                                                                   make_user, sign_in, sample):
    """The tags of a list are read with the page's ids as late values: after an upload the page
    lists other ids, each row keeps its own tags, and the SQL is the one written before (a
    benchmark asking the same page again must measure what people get after a write)."""
    north = make_space("nord", visibility="public", plugins=["documents"])
    user = make_user(member_of=[north], role="animator")
    sign_in(user)
    with app.app_context():
        library.upload(north, user, [library.Incoming(io.BytesIO(sample.pdf()), "budget.pdf")],
                       tags="budget")
    first = client.get("/documents/").get_data(as_text=True)
    assert "#budget" in first
    with app.app_context():
        library.upload(north, user, [library.Incoming(io.BytesIO(sample.jpeg()), "parc.jpg")],
                       tags="parc", alt_text="Le parc")
        library.upload(north, user, [library.Incoming(io.BytesIO(sample.pdf()), "velo.pdf")],
                       tags="mobilité")
    page = client.get("/documents/").get_data(as_text=True)
    rows = {title: page.split(f">{title}<", 1)[1].split("</th>", 1)[0]
            for title in ("budget", "parc", "velo")}
    assert "#budget" in rows["budget"] and "#parc" in rows["parc"] and \
        "#mobilité" in rows["velo"]
    assert "#parc" not in rows["budget"] and "#budget" not in rows["velo"]
    with app.app_context():
        from placette.query_memo import _memo
        keys = [k for k in _memo().entries if k[0] == "documents.tags_of"]
    # one SQL text per page size seen (one row, then three), not one per set of ids
    assert sorted(k[1] for k in keys) == [(1,), (3,)]
