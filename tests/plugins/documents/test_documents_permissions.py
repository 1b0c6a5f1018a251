"""Who may see and do what: 404 for whoever may not see, on pages, files, API and lists."""
from __future__ import annotations

import pytest

from placette_plugins.documents import library
from placette_plugins.documents.models import Document


@pytest.fixture
def private_file(app, make_space, make_user, sample):
    space = make_space("groupe-prive", visibility="private", plugins=["documents"])
    member = make_user(member_of=space)
    import io
    with app.test_request_context():
        doc = library.upload(space, member, [library.Incoming(io.BytesIO(sample.pdf("secret")),
                                                              "avis.pdf")])[0]
    return space, member, doc


def _urls(space, doc):
    base = f"/s/{space.slug}/documents/files/{doc.id}"
    api = f"/api/v1/spaces/{space.slug}/documents/files/{doc.id}"
    return [base, base + "/download", base + "/versions/1/download", base + "/thumbnail",
            api, api + "/download", api + "/versions"]


def test_private_file_url_copied_to_a_non_member_is_404(client, make_user, sign_in, sign_out,
                                                         private_file):
    space, member, doc = private_file
    sign_in(member)
    assert client.get(_urls(space, doc)[1]).status_code == 200
    sign_in(make_user())
    for url in _urls(space, doc):
        assert client.get(url).status_code == 404, url
    sign_out()
    for url in _urls(space, doc):
        assert client.get(url).status_code == 404, url


def test_private_file_url_after_the_members_removal_is_404(client, sign_in, private_file):
    from placette.spaces import remove_member
    space, member, doc = private_file
    sign_in(member)
    download = _urls(space, doc)[1]
    assert client.get(download).status_code == 200
    remove_member(space, member)
    for url in _urls(space, doc):
        assert client.get(url).status_code == 404, url


def test_animators_only_document_is_hidden_from_members_everywhere(client, app, make_space,
                                                                    make_user, sign_in, sample):
    import io
    space = make_space("conseil", visibility="public", plugins=["documents"])
    animator = make_user(member_of=space, role="animator")
    member = make_user(member_of=space)
    with app.test_request_context():
        draft = library.upload(space, animator, [library.Incoming(
            io.BytesIO(sample.pdf("brouillon")), "brouillon.pdf")],
            visibility_value="animators")[0]
        library.upload(space, animator, [library.Incoming(io.BytesIO(sample.pdf("ok")),
                                                          "public.pdf")])
    assert draft.visibility == "animators"
    for who in (member, None):
        if who:
            sign_in(who)
        for url in _urls(space, draft):
            assert client.get(url).status_code == 404, (who, url)
        listing = client.get("/s/conseil/documents/").get_data(as_text=True)
        assert "public" in listing and "brouillon" not in listing
        assert "brouillon" not in client.get("/documents/").get_data(as_text=True)
        api = client.get("/api/v1/spaces/conseil/documents/files").get_json()
        assert [d["title"] for d in api] == ["public"]
    sign_in(animator)
    assert client.get(_urls(space, draft)[1]).status_code == 200
    assert "brouillon" in client.get("/documents/").get_data(as_text=True)


def test_members_cannot_pick_a_visibility_they_could_not_read(client, make_space, make_user,
                                                               sign_in, upload, sample):
    space = make_space("c2", plugins=["documents"])
    sign_in(make_user(member_of=space))
    page = client.get("/s/c2/documents/upload").get_data(as_text=True)
    assert 'value="animators"' not in page
    response = upload(space, [("a.pdf", sample.pdf())], visibility="animators", json=True)
    assert response.status_code == 422
    assert Document.select().count() == 0


def test_only_animators_validate_and_authors_edit_their_own(client, app, make_space, make_user,
                                                            sign_in, upload, sample):
    space = make_space("c3", plugins=["documents"])
    author = sign_in(make_user(member_of=space))
    upload(space, [("mine.pdf", sample.pdf())])
    doc = Document.get()
    assert client.post(f"/s/c3/documents/files/{doc.id}/validate",
                       data={"validated": "y"}).status_code == 403
    assert client.post(f"/s/c3/documents/files/{doc.id}/edit",
                       data={"title": "Mon avis", "visibility": ""}).status_code == 302
    other = sign_in(make_user(member_of=space))
    assert other.id != author.id
    assert client.post(f"/s/c3/documents/files/{doc.id}/edit",
                       data={"title": "Volé"}).status_code == 403
    assert client.post(f"/s/c3/documents/files/{doc.id}/delete").status_code == 403
    sign_in(make_user(member_of=space, role="animator"))
    assert client.post(f"/s/c3/documents/files/{doc.id}/validate",
                       data={"validated": "y"}).status_code == 302
    doc = Document.get_by_id(doc.id)
    assert doc.title == "Mon avis" and doc.validated_at is not None
    assert "Validated by the city" in client.get("/s/c3/documents/").get_data(as_text=True) \
        or "Validé par la ville" in client.get("/s/c3/documents/").get_data(as_text=True)


def test_narrowing_a_folder_narrows_its_contents(client, app, make_space, make_user, sign_in,
                                                 sample):
    import io
    space = make_space("c4", visibility="public", plugins=["documents"])
    animator = make_user(member_of=space, role="animator")
    with app.test_request_context():
        folder = library.create_folder(space, animator, "Dossier")
        sub = library.create_folder(space, animator, "Sous-dossier", parent=folder)
        doc = library.upload(space, animator, [library.Incoming(io.BytesIO(sample.pdf()),
                                                                "a.pdf")], folder=sub)[0]
    assert client.get(f"/s/c4/documents/files/{doc.id}/download").status_code == 200
    with app.test_request_context():
        library.edit_folder(folder, animator, visibility_value="members")
    assert Document.get_by_id(doc.id).visibility == "members"
    assert client.get(f"/s/c4/documents/files/{doc.id}/download").status_code == 404
    assert client.get(f"/s/c4/documents/folders/{sub.id}").status_code == 404
    import placette
    assert placette.Resource.get(object_id=str(doc.id)).visibility == "members"


def test_module_off_means_gone(client, make_space, make_user, sign_in, upload, sample):
    from placette.modules import set_module
    space = make_space("c5", plugins=["documents"])
    sign_in(make_user(member_of=space))
    upload(space, [("a.pdf", sample.pdf())])
    doc = Document.get()
    set_module(space, "documents", False)
    for url in _urls(space, doc):
        assert client.get(url).status_code == 404, url
    assert "a" not in [d.get("title") for d in []]
    assert "/s/c5/documents/files" not in client.get("/documents/").get_data(as_text=True)


def test_an_animator_demoted_to_member_loses_the_animators_documents_at_once(
        client, app, make_space, make_user, sign_in, sample):
    """Library lists are written once per viewer: the demotion changes the viewer, so the
    next folder page and city view no longer list the animators' draft."""
    import io
    from placette.models import Membership
    space = make_space("conseil", visibility="public", plugins=["documents"])
    animator = make_user(member_of=space, role="animator")
    with app.test_request_context():
        library.upload(space, animator, [library.Incoming(io.BytesIO(sample.pdf("brouillon")),
                                                          "brouillon.pdf")],
                       visibility_value="animators")
    sign_in(animator)
    for page in ("/s/conseil/documents/", "/documents/"):
        assert "brouillon" in client.get(page).get_data(as_text=True), page
    Membership.update(role="member").where(Membership.user == animator.id).execute()
    for page in ("/s/conseil/documents/", "/documents/"):
        assert "brouillon" not in client.get(page).get_data(as_text=True), page
