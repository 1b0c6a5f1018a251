"""A document's file is copied to the public store when picked: the public gets the copy, never
the private file; withdrawing deletes the copy and the address answers 410."""
from __future__ import annotations

import io

from placette_plugins.documents.models import Document


def _upload(client, sign_in, space, user, name, content):
    sign_in(user)
    response = client.post(f"/s/{space.slug}/documents/upload",
                           data={"folder": "", "files": [(io.BytesIO(content), name)]},
                           content_type="multipart/form-data")
    assert response.status_code in (200, 302, 303)
    return Document.select().order_by(Document.id.desc()).first()


def test_a_private_groups_document_published_on_purpose(app, client, group, people, sign_in,
                                                        sign_out, pick, instance_dir):
    from placette_plugins.documents.demo import simple_pdf
    from placette_plugins.showcase import service, store
    content = simple_pdf("Avis du groupe sur le parc", ["Le groupe est favorable."])
    doc = _upload(client, sign_in, group, people["group_animator"], "avis-parc.pdf", content)
    sign_out()
    assert client.get(f"/s/groupe-secret/documents/files/{doc.id}").status_code == 404
    item = pick(group, people["group_animator"], f"documents.document:{doc.id}",
                "Le groupe publie son avis")
    page = client.get(f"/vitrine/groupe-secret/{item.id}").get_data(as_text=True)
    assert "avis-parc.pdf" in page
    file_id = item.files[0].id
    url = f"/vitrine/groupe-secret/{item.id}/files/{file_id}"
    response = client.get(url)
    assert response.status_code == 200 and response.data == content
    assert response.mimetype == "application/pdf"
    copy = store.path_of(item.files[0].storage_key)
    assert copy.exists() and "showcase" in str(copy)
    service.withdraw(item, people["group_animator"])
    assert client.get(url).status_code == 410
    assert not copy.exists()


def test_only_raster_images_are_shown_inline(app, client, council, people, pick):
    """A copied SVG (it may hold a script) or HTML file is always a download."""
    from placette_plugins.showcase import store
    from placette_plugins.showcase.models import File
    from placette_plugins.pages import service as pages
    page = pages.create_page(council, people["animator"], {"title": "Avec fichiers"},
                             notify=False)
    item = pick(council, people["animator"], f"pages.page:{page.id}")
    kinds = {"plan.svg": "image/svg+xml", "page.html": "text/html", "photo.png": "image/png"}
    for name, mime in kinds.items():
        File.create(item=item.id, name=name, content_type=mime, size=3,
                    storage_key=store.put(b"<svg><script>alert(1)</script></svg>"))
    for f in File.select().where(File.item == item.id):
        response = client.get(f"/vitrine/quartier-nord/{item.id}/files/{f.id}")
        disposition = response.headers.get("Content-Disposition", "")
        assert disposition.startswith("attachment") == (f.name != "photo.png"), f.name
