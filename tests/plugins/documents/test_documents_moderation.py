"""A document hidden or held by moderation vanishes for everyone but its author and the space's
animators: library lists, folders, the gallery and photo viewer, the city-wide resources view, its
page, every file address (download, old versions, thumbnail, web copy), the API, and the
attachments shown on another plugin's item.  Restored, it is back everywhere."""
from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from moderation_helpers import decide, hide, resource_of, restore

TITLE = "Photo douteuse"


@pytest.fixture
def placette_plugins():
    return ["documents", "agenda"]


@pytest.fixture
def council(make_space):
    return make_space("cq", visibility="network", plugins=["documents", "agenda"])


@pytest.fixture
def people(council, make_user):
    class People:
        animator = make_user(member_of=council, role="animator", name="Karim")
        author = make_user(member_of=council, name="Autrice")
        other = make_user(member_of=council, name="Voisin")
        reporter = make_user(member_of=council, name="Signaleur")
    return People


@pytest.fixture
def photo(council, people, upload, sample, sign_in, client):
    """A described photo in a folder, attached to a meeting of the council's agenda."""
    from placette_plugins.agenda import service
    from placette_plugins.documents import library
    from placette_plugins.documents.models import Document
    folder = library.create_folder(council, people.animator, "Affiches")
    sign_in(people.author)
    response = upload(council, [("affiche.jpg", sample.jpeg())], folder=folder,
                      title=TITLE, alt_text="Une affiche du quartier")
    assert response.status_code == 302
    doc = Document.get(Document.title == TITLE)
    start = dt.datetime.now().replace(microsecond=0) + dt.timedelta(days=5)
    meeting = service.create_meeting(council, people.animator, {
        "title": "Conseil", "starts_at": start, "ends_at": start + dt.timedelta(hours=2)})
    sign_in(people.animator)
    attached = client.post("/s/cq/documents/attach", data={
        "resource_id": str(resource_of("agenda", "meeting", meeting.id).id),
        "document": str(doc.id)})
    assert attached.status_code == 302
    return SimpleNamespace(id=doc.id, folder_id=folder.id, meeting=meeting)


def surfaces(client, sign_in, person, doc) -> dict[str, object]:
    """What ``person`` finds of the document: True/False for lists, statuses for addresses."""
    sign_in(person)
    files = f"/s/cq/documents/files/{doc.id}"
    api = "/api/v1/spaces/cq/documents/files"

    def lists(path, marker=TITLE):
        response = client.get(path)
        assert response.status_code == 200, path
        return marker in response.get_data(as_text=True)

    return {
        "library": lists(f"/s/cq/documents/folders/{doc.folder_id}"),
        "gallery": lists(f"/s/cq/documents/folders/{doc.folder_id}/gallery",
                         f"/s/cq/documents/photos/{doc.id}"),
        "city resources": lists("/documents/"),
        "attachments": lists(f"/s/cq/agenda/{doc.meeting.id}"),
        "api list": any(d["title"] == TITLE for d in client.get(
            api, query_string={"folder_id": doc.folder_id}).get_json()),
        "page": client.get(files).status_code,
        "photo": client.get(f"/s/cq/documents/photos/{doc.id}").status_code,
        "download": client.get(f"{files}/download").status_code,
        "version 1": client.get(f"{files}/versions/1/download").status_code,
        "thumbnail": client.get(f"{files}/thumbnail").status_code,
        "web copy": client.get(f"{files}/web").status_code,
        "api detail": client.get(f"{api}/{doc.id}").status_code,
        "api download": client.get(f"{api}/{doc.id}/download").status_code,
    }


EVERYWHERE = {"library": True, "gallery": True, "city resources": True, "attachments": True,
              "api list": True, "page": 200, "photo": 200, "download": 200, "version 1": 200,
              "thumbnail": 200, "web copy": 200, "api detail": 200, "api download": 200}
NOWHERE = {"library": False, "gallery": False, "city resources": False, "attachments": False,
           "api list": False, "page": 404, "photo": 404, "download": 404, "version 1": 404,
           "thumbnail": 404, "web copy": 404, "api detail": 404, "api download": 404}


def test_a_hidden_document_is_gone_for_others_kept_for_author_and_animators(
        client, sign_in, people, photo):
    assert surfaces(client, sign_in, people.other, photo) == EVERYWHERE
    resource = resource_of("documents", "document", photo.id)
    page = client.get(f"/s/cq/documents/files/{photo.id}").get_data(as_text=True)
    assert f"resource={resource.key}" in page          # reported from its page

    hide(client, sign_in, people.reporter, people.animator, resource, reason="Hors charte.")

    assert surfaces(client, sign_in, people.other, photo) == NOWHERE
    sign_in(people.other)
    api = client.get(f"/api/v1/spaces/cq/documents/files/{photo.id}/download")
    assert api.get_json()["error"]["code"] == "not_found"
    assert client.get("/documents/", query_string={"q": "douteuse"}).get_data(
        as_text=True).count(TITLE) == 0
    for insider in (people.author, people.animator):
        assert surfaces(client, sign_in, insider, photo) == EVERYWHERE, insider.display_name
        page = client.get(f"/s/cq/documents/files/{photo.id}").get_data(as_text=True)
        assert "Hidden by the moderators" in page and "Hors charte." in page
        assert page.count("Hidden by the moderators") == 1

    restore(client, sign_in, people.animator, resource)
    assert surfaces(client, sign_in, people.other, photo) == EVERYWHERE


def test_a_newcomers_document_awaits_review(client, sign_in, council, people, upload, sample):
    from placette.space_settings import set_space_settings
    from placette_plugins.documents.models import Document
    set_space_settings(council, {"premoderation_count": 1})
    sign_in(people.author)
    upload(council, [("tract.pdf", sample.pdf("Tract"))], title="Tract du collectif")
    doc = Document.get()
    resource = resource_of("documents", "document", doc.id)
    assert resource.state == "pending"
    page = client.get(f"/s/cq/documents/files/{doc.id}").get_data(as_text=True)
    assert "Awaiting an animator" in page
    sign_in(people.other)
    assert "Tract du collectif" not in client.get("/s/cq/documents/").get_data(as_text=True)
    assert client.get(f"/s/cq/documents/files/{doc.id}/download").status_code == 404
    decide(client, sign_in, people.animator, resource, "approve")
    sign_in(people.other)
    assert "Tract du collectif" in client.get("/s/cq/documents/").get_data(as_text=True)
    assert client.get(f"/s/cq/documents/files/{doc.id}/download").status_code == 200


def test_a_hidden_meeting_takes_its_attachments_form_with_it(client, sign_in, council, people,
                                                             photo):
    """Attaching to (or detaching from) an item one may no longer see is a 404."""
    from placette_plugins.documents.models import Attachment
    meeting_resource = resource_of("agenda", "meeting", photo.meeting.id)
    attachment = Attachment.get()
    hide(client, sign_in, people.reporter, people.animator, meeting_resource)
    sign_in(people.other)
    attach = client.post("/s/cq/documents/attach", data={
        "resource_id": str(meeting_resource.id), "document": str(photo.id)})
    assert attach.status_code == 404
    assert client.post(f"/s/cq/documents/attachments/{attachment.id}/remove").status_code == 404
    assert Attachment.select().count() == 1
    page = client.get(f"/s/cq/documents/files/{photo.id}").get_data(as_text=True)
    assert "Attached to" not in page                   # the hidden meeting is not named


def test_query_counts_stay_flat_with_hidden_documents(client, sign_in, council, people, upload,
                                                      sample):
    from placette.db import query_counter
    from placette.models import Resource
    from placette_plugins.documents.models import Document
    pages = ["/s/cq/documents/", "/s/cq/documents/gallery", "/documents/",
             "/api/v1/spaces/cq/documents/files"]

    def add(n):
        sign_in(people.author)
        start = Document.select().count()
        upload(council, [(f"photo{start + i}.jpg", sample.jpeg(colour=(i * 9 % 255, 20, 20)))
                         for i in range(n)], alt_text="Une photo")
        every_other = [str(d.id) for d in Document.select(Document.id) if d.id % 2 == 0]
        (Resource.update(state="hidden")
         .where((Resource.plugin == "documents")
                & Resource.object_id.in_(every_other)).execute())

    def counts(person):
        sign_in(person)
        found = {}
        for path in pages:
            client.get(path)
            query_counter.reset()
            assert client.get(path).status_code == 200, path
            found[path] = query_counter.count
        return found

    add(2)
    small = {p.display_name: counts(p) for p in (people.other, people.animator)}
    add(12)
    large = {p.display_name: counts(p) for p in (people.other, people.animator)}
    assert small == large
