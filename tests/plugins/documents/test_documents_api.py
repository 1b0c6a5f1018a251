"""The JSON API: multipart uploads, metadata, versions, downloads -- and the OpenAPI document."""
from __future__ import annotations

import io

from placette_plugins.documents.models import Document


def _post_files(client, slug, files, **fields):
    data = dict(fields)
    data["file"] = [(io.BytesIO(content), name) for name, content in files]
    return client.post(f"/api/v1/spaces/{slug}/documents/files", data=data,
                       content_type="multipart/form-data")


def test_api_upload_list_patch_versions_download_delete(client, make_space, make_user, sign_in,
                                                        sample, stored):
    space = make_space("apiville", plugins=["documents"])
    sign_in(make_user(member_of=space, role="animator"))
    response = _post_files(client, "apiville", [("cr.pdf", sample.pdf("un")), ("n.txt", b"notes")],
                           tags="budget, minutes", description="Réunion")
    assert response.status_code == 201, response.get_json()
    created = response.get_json()
    assert [d["title"] for d in created] == ["cr", "n"]
    assert created[0]["tags"] == ["budget", "minutes"]
    assert created[0]["file"] == {"name": "cr.pdf", "type": "pdf", "mime": "application/pdf",
                                  "size": len(sample.pdf("un")), "version": 1,
                                  "sha256": created[0]["file"]["sha256"]}
    doc_id = created[0]["id"]
    listing = client.get("/api/v1/spaces/apiville/documents/files")
    assert listing.headers["X-Total-Count"] == "2"
    patched = client.patch(f"/api/v1/spaces/apiville/documents/files/{doc_id}",
                           json={"title": "Compte rendu", "tags": ["cr"], "validated": True})
    assert patched.status_code == 200, patched.get_json()
    assert patched.get_json()["title"] == "Compte rendu" and patched.get_json()["validated"]
    bad = client.patch(f"/api/v1/spaces/apiville/documents/files/{doc_id}", json={"colour": "red"})
    assert bad.status_code == 422 and bad.get_json()["error"]["code"] == "invalid_body"
    version = client.post(f"/api/v1/spaces/apiville/documents/files/{doc_id}/versions",
                          data={"file": (io.BytesIO(sample.pdf("deux")), "cr2.pdf")},
                          content_type="multipart/form-data")
    assert version.status_code == 201 and version.get_json()["file"]["version"] == 2
    versions = client.get(f"/api/v1/spaces/apiville/documents/files/{doc_id}/versions").get_json()
    assert [v["number"] for v in versions] == [2, 1]
    old = client.get(versions[1]["download_url"])
    assert old.status_code == 200 and old.data == sample.pdf("un")
    restored = client.post(f"/api/v1/spaces/apiville/documents/files/{doc_id}/versions/1/restore")
    assert restored.status_code == 201 and restored.get_json()["file"]["version"] == 3
    assert client.get(f"/api/v1/spaces/apiville/documents/files/{doc_id}/download").data == \
        sample.pdf("un")
    assert client.delete(f"/api/v1/spaces/apiville/documents/files/{doc_id}").status_code == 204
    assert client.get(f"/api/v1/spaces/apiville/documents/files/{doc_id}").status_code == 404
    assert len(stored()) == 1  # the deleted document's two files are gone


def test_api_errors_are_json_and_store_nothing(client, make_space, make_user, sign_in, sample,
                                               stored):
    space = make_space("api2", plugins=["documents"])
    assert _post_files(client, "api2", [("a.pdf", sample.pdf())]).status_code == 401
    sign_in(make_user(member_of=space))
    response = _post_files(client, "api2", [("ok.pdf", sample.pdf()), ("x.pdf", sample.exe())])
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "executable"
    assert error["details"] == [{"file": "x.pdf", "code": "executable",
                                 "message": error["details"][0]["message"]}]
    assert _post_files(client, "api2", []).get_json()["error"]["code"] == "no_file"
    assert stored() == [] and Document.select().count() == 0
    assert client.get("/api/v1/spaces/api2/documents/files/999").get_json() == {
        "error": {"code": "not_found", "message": "not found"}}


def test_openapi_lists_the_documents_paths_with_multipart(client):
    document = client.get("/api/openapi.json").get_json()
    paths = document["paths"]
    base = "/api/v1/spaces/{slug}/documents/files"
    assert set(paths[base]) == {"get", "post"}
    assert set(paths[base + "/{document_id}"]) == {"get", "patch", "delete"}
    assert "get" in paths[base + "/{document_id}/download"]
    assert "post" in paths[base + "/{document_id}/versions"]
    assert "post" in paths[base + "/{document_id}/versions/{number}/restore"]
    body = paths[base]["post"]["requestBody"]["content"]["multipart/form-data"]["schema"]
    assert body["properties"]["file"]["items"]["format"] == "binary"
    from openapi_spec_validator import validate
    validate(document)


def test_range_requests_and_disposition(client, make_space, make_user, sign_in, sample):
    space = make_space("api3", plugins=["documents"])
    sign_in(make_user(member_of=space))
    content = "é".encode() * 5000
    _post_files(client, "api3", [("Réunion été.txt", content)])
    doc = Document.get()
    url = f"/s/api3/documents/files/{doc.id}/download"
    partial = client.get(url, headers={"Range": "bytes=100-199"})
    assert partial.status_code == 206
    assert partial.data == content[100:200]
    assert partial.headers["Content-Range"] == f"bytes 100-199/{len(content)}"
    full = client.get(url)
    assert "filename*=UTF-8''R%C3%A9union%20%C3%A9t%C3%A9.txt" in \
        full.headers["Content-Disposition"]
    assert full.headers["Cache-Control"].startswith("private")
    etag = full.headers["ETag"]
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
