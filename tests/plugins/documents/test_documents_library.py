"""The library as members use it: folders, upload several files, list, download, versions."""
from __future__ import annotations

import io

from placette_plugins.documents.models import Document, Folder, Version


def test_member_uploads_several_files_and_downloads_them(client, make_space, make_user, sign_in,
                                                          upload, sample, stored):
    space = make_space("nord", plugins=["documents"])
    member = sign_in(make_user(member_of=space))
    response = upload(space, [("Compte rendu.pdf", sample.pdf("Le square sera rénové")),
                              ("notes.odt", sample.odt()), ("avis.docx", sample.docx())],
                      tags="minutes, Budget")
    assert response.status_code == 302, response.get_data(as_text=True)
    assert Document.select().count() == 3
    assert len(stored()) == 3
    page = client.get("/s/nord/documents/").get_data(as_text=True)
    for title in ("Compte rendu", "notes", "avis"):
        assert title in page
    doc = Document.get(Document.title == "Compte rendu")
    assert doc.author_id == member.id
    download = client.get(f"/s/nord/documents/files/{doc.id}/download")
    assert download.status_code == 200
    assert download.data == sample.pdf("Le square sera rénové")
    assert download.headers["Content-Type"] == "application/pdf"
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert "Compte rendu.pdf" in download.headers["Content-Disposition"]
    odt = Document.get(Document.title == "notes")
    odt_download = client.get(f"/s/nord/documents/files/{odt.id}/download")
    assert odt_download.headers["Content-Type"] == "application/vnd.oasis.opendocument.text"
    assert odt_download.headers["Content-Disposition"].startswith("attachment")


def test_text_is_extracted_for_search(client, app, make_space, make_user, sign_in, upload,
                                      sample):
    space = make_space("sud", plugins=["documents"])
    sign_in(make_user(member_of=space))
    upload(space, [("cr.pdf", sample.pdf("Le square Voltaire sera rénové")),
                   ("texte.odt", sample.odt("Piste cyclable rue Jaurès")),
                   ("avis.docx", sample.docx("Avis sur le budget des écoles"))])
    from placette.kernel import registry
    texts = {}
    for doc in Document.select():
        version = Version.get_by_id(doc.current_version_id)
        assert version.text_status == "done", version.file_name
        resource = __import__("placette").Resource.get(object_id=str(doc.id))
        texts[doc.title] = "\n".join(registry().collect("search_documents", resource=resource))
    assert "square Voltaire" in texts["cr"]
    assert "Piste cyclable rue Jaurès" in texts["texte"]
    assert "budget des écoles" in texts["avis"]


def test_versions_keep_old_files_and_restore(client, make_space, make_user, sign_in, upload,
                                             sample):
    space = make_space("est", plugins=["documents"])
    animator = sign_in(make_user(member_of=space, role="animator"))
    upload(space, [("budget.pdf", sample.pdf("version un"))])
    doc = Document.get()
    response = client.post(f"/s/est/documents/files/{doc.id}/versions",
                           data={"file": (io.BytesIO(sample.pdf("version deux")), "budget-v2.pdf")},
                           content_type="multipart/form-data")
    assert response.status_code == 302
    assert client.get(f"/s/est/documents/files/{doc.id}/download").data == sample.pdf(
        "version deux")
    assert client.get(f"/s/est/documents/files/{doc.id}/versions/1/download").data == \
        sample.pdf("version un")
    page = client.get(f"/s/est/documents/files/{doc.id}").get_data(as_text=True)
    assert animator.display_name in page and "budget-v2.pdf" in page
    response = client.post(f"/s/est/documents/files/{doc.id}/versions/1/restore")
    assert response.status_code == 302
    assert client.get(f"/s/est/documents/files/{doc.id}/download").data == sample.pdf(
        "version un")
    assert [v.number for v in Version.select().order_by(Version.number)] == [1, 2, 3]
    assert Version.get(Version.number == 3).restored_from == 1


def test_folders_nest_and_show_a_breadcrumb(client, make_space, make_user, sign_in, upload,
                                            sample):
    space = make_space("ouest", plugins=["documents"])
    sign_in(make_user(member_of=space, role="animator"))
    client.post("/s/ouest/documents/folders", data={"name": "Réunions", "parent": ""})
    parent = Folder.get(Folder.name == "Réunions")
    client.post("/s/ouest/documents/folders", data={"name": "2026", "parent": str(parent.id)})
    child = Folder.get(Folder.name == "2026")
    assert child.parent_id == parent.id
    upload(space, [("cr.pdf", sample.pdf())], folder=child)
    page = client.get(f"/s/ouest/documents/folders/{child.id}").get_data(as_text=True)
    assert "Réunions" in page and "cr" in page
    assert Document.get().folder_id == child.id


def test_pages_speak_french_by_default(client, make_space, make_user,
                                                              sign_in):
    make_space("langue", plugins=["documents"])
    sign_in(make_user(language="fr"))
    page = client.get("/s/langue/documents/").get_data(as_text=True)
    assert "Bibliothèque de Langue" in page and 'href="/documents/"' in page
    assert "Ressources" in page


def test_pages_in_english_for_english_speakers(client, make_space, make_user, sign_in):
    make_space("langue", plugins=["documents"])
    sign_in(make_user(language="en"))
    page = client.get("/s/langue/documents/").get_data(as_text=True)
    assert "Library of Langue" in page and "Resources" in page


def test_a_search_passage_does_not_repeat_the_title(client, make_space, make_user, sign_in,
                                                     upload, sample):
    space = make_space("ouest", plugins=["documents"])
    sign_in(make_user(member_of=space, role="animator"))
    upload(space, [("Réunion publique.pdf", sample.pdf("Ordre du jour : les marchés"))])
    doc = Document.get()
    client.post(f"/s/ouest/documents/files/{doc.id}/edit",
                data={"title": "Réunion publique", "description": "Réunion publique du quartier.",
                      "tags": "", "visibility": "", "alt_text": "Réunion publique du quartier."})
    page = client.get("/search", query_string={"q": "reunion"}).get_data(as_text=True)
    assert "Ordre du jour" in page  # the file's text still feeds the search
    passage = page.split('<p class="snippet">', 1)[1].split("</p>", 1)[0]
    assert Document.get().description == "Réunion publique du quartier."
    assert passage.count("publique") == 1, passage


def test_leaving_a_private_group_drops_its_documents_from_the_city_view(
        client, make_space, make_user, sign_in, upload, sample):
    """The city's resources page is written once per viewer (placette.prepared): leaving the
    group changes the viewer, so its documents and its name in the space filter go at once."""
    from placette.models import Membership
    group = make_space("cercle-prive", name="Cercle privé", visibility="private",
                       plugins=["documents"])
    member = sign_in(make_user(member_of=group))
    assert upload(group, [("Note confidentielle.pdf", sample.pdf())]).status_code == 302
    for query in ("", "?q=confidentielle", "?space=cercle-prive"):
        page = client.get(f"/documents/{query}").get_data(as_text=True)
        assert "Note confidentielle" in page and "Cercle privé" in page, query
    Membership.delete().where(Membership.user == member.id).execute()
    for query in ("", "?q=confidentielle", "?space=cercle-prive"):
        page = client.get(f"/documents/{query}").get_data(as_text=True)
        assert "Note confidentielle" not in page and "Cercle privé" not in page, query
