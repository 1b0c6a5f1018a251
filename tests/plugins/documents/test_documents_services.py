"""Kernel services: entry-point discovery, resources and events, RGPD, tasks on a real queue,
X-Sendfile / X-Accel-Redirect, the demo seed."""
from __future__ import annotations

import io
import time

import pytest

import placette
from placette_plugins.documents import library
from placette_plugins.documents.models import Document, Folder, Version


def test_discovered_through_the_entry_point_like_any_plugin():
    from placette.plugin_manager import installed_plugins
    entry = installed_plugins()["documents"]
    assert entry.value == "placette_plugins.documents.plugin"


def test_upload_publishes_a_resource_and_emits_a_digest_event(client, make_space, make_user,
                                                              sign_in, upload, sample):
    from placette.kernel import registry
    from placette.models import Event
    space = make_space("ev", plugins=["documents"])
    member = sign_in(make_user(member_of=space))
    upload(space, [("cr.pdf", sample.pdf())], description="Le compte rendu")
    doc = Document.get()
    resource = placette.Resource.get(plugin="documents", kind="document", object_id=str(doc.id))
    assert resource.title == "cr" and resource.author_id == member.id
    assert resource.url == f"/s/ev/documents/files/{doc.id}"
    event = Event.get()
    assert event.name == "documents.document.created" and event.resource_id == resource.id
    assert registry().event_types["documents.document.created"].urgency == "normal"
    client.post(f"/s/ev/documents/files/{doc.id}/delete")
    assert not placette.Resource.select().where(placette.Resource.plugin == "documents").exists()


def test_rgpd_export_and_erase_keep_the_councils_memory(client, app, make_space, make_user,
                                                        sign_in, upload, sample):
    from placette.identity.rgpd import erase_user, export_user_data
    space = make_space("rgpd", plugins=["documents"])
    member = sign_in(make_user(member_of=space))
    upload(space, [("cr.pdf", sample.pdf())])
    with app.test_request_context():
        data = export_user_data(member)["plugins"]["documents"]
        assert data["documents_authored"][0]["file_name"] == "cr.pdf"
        assert data["versions_uploaded"][0]["version"] == 1
        erase_user(member)
    doc = Document.get()
    assert doc.author_id is None and Version.get().uploaded_by_id is None
    sign_in(make_user(member_of=space))
    assert client.get(f"/s/rgpd/documents/files/{doc.id}").status_code == 200


@pytest.mark.redis
def test_thumbnails_and_text_through_a_real_redis_queue(placette_config, redis_server,
                                                        redis_queue_name, make_space, make_user,
                                                        sample):
    """The same tasks, run by a huey consumer on Redis (as ``placette worker`` does)."""
    from placette.app import create_app
    from placette.db import database
    from placette.kernel import current
    config = placette_config.model_copy(update={"queue_url": redis_server})
    config.root = placette_config.root
    worker_app = create_app(config=config, testing=True, check_migrations=False,
                            queue_name=redis_queue_name, immediate_tasks=False)
    space = make_space("file", plugins=["documents"])
    member = make_user(member_of=space)
    with worker_app.app_context():
        database.connect(reuse_if_open=True)
        queue = current().queue
        docs = library.upload(space, member, [
            library.Incoming(io.BytesIO(sample.jpeg(size=(300, 200))), "photo.jpg"),
            library.Incoming(io.BytesIO(sample.pdf("Texte dans la file")), "cr.pdf")],
            alt_text="")
        assert queue.huey.pending_count() == 2
        assert Version.get(Version.file_type == "jpeg").image_status == "pending"
        consumer = queue.start_in_background(workers=1)
        try:
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                states = {v.file_type: (v.image_status, v.text_status) for v in Version.select()}
                if states["jpeg"][0] == "ready" and states["pdf"][1] == "done":
                    break
                time.sleep(0.2)
        finally:
            consumer.stop(graceful=True)
            queue.huey.flush()
        assert states == {"jpeg": ("ready", "none"), "pdf": ("none", "done")}
        assert "Texte dans la file" in Version.get(Version.file_type == "pdf").text
        assert len(docs) == 2


def test_a_file_that_fails_extraction_is_still_stored(client, make_space, make_user, sign_in,
                                                      upload):
    space = make_space("abime", plugins=["documents"])
    sign_in(make_user(member_of=space))
    broken = b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 9 0 R >> endobj\ntrailer garbage"
    assert upload(space, [("abime.pdf", broken)]).status_code == 302
    version = Version.get()
    assert version.text_status == "failed"
    doc = Document.get()
    assert client.get(f"/s/abime/documents/files/{doc.id}/download").data == broken


@pytest.mark.parametrize("mode,header", [("x-accel-redirect", "X-Accel-Redirect"),
                                         ("x-sendfile", "X-Sendfile")])
def test_web_server_can_send_the_bytes(client, app, make_space, make_user, sign_in, upload,
                                       sample, mode, header):
    from placette.kernel import current
    current().config.plugin_settings["documents"] = {"sendfile": mode,
                                                    "accel_prefix": "/_protected/"}
    space = make_space("nginx", visibility="private", plugins=["documents"])
    sign_in(make_user(member_of=space))
    upload(space, [("cr.pdf", sample.pdf())])
    doc = Document.get()
    version = Version.get()
    response = client.get(f"/s/nginx/documents/files/{doc.id}/download")
    assert response.status_code == 200 and response.data == b""
    value = response.headers[header]
    assert value.endswith(version.storage_key)
    if mode == "x-accel-redirect":
        assert value == "/_protected/" + version.storage_key
    assert response.headers["Content-Type"] == "application/pdf"
    assert "cr.pdf" in response.headers["Content-Disposition"]
    sign_in(make_user())
    assert client.get(f"/s/nginx/documents/files/{doc.id}/download").status_code == 404


def test_demo_seed_builds_libraries_with_minutes_pdfs_and_a_gallery(app):
    from placette.demo.city import seed
    with app.app_context():
        seed("demo-password", log=lambda *_: None)
    assert Folder.select().where(Folder.name == "Photos").count() == 8
    assert Document.select().where(Document.kind == "image").count() == 32
    pdf = Version.select().where(Version.file_type == "pdf").first()
    assert pdf.text_status == "done" and "Compte rendu" in (pdf.text or "") or \
        "Document" in (pdf.text or "")
    assert Document.select().where(Document.validated_at.is_null(False)).exists()
    assert Document.select().where(Document.visibility == "animators").exists()


def test_admins_set_limits_and_types_from_the_generated_form(client, make_space, make_user,
                                                             sign_in):
    from placette.modules import settings_of
    space = make_space("reglages", plugins=["documents"])
    sign_in(make_user(admin=True))
    url = "/s/reglages/manage/modules/documents/settings"
    page = client.get(url)
    assert page.status_code == 200 and 'name="max_file_mb"' in page.get_data(as_text=True)
    bad = client.post(url, data={"max_file_mb": "5", "quota_mb": "50",
                                 "allowed_types": "pdf, exe"})
    assert bad.status_code == 200 and "exe" in bad.get_data(as_text=True)
    good = client.post(url, data={"max_file_mb": "5", "quota_mb": "50",
                                  "allowed_types": "pdf, jpeg"})
    assert good.status_code == 302
    settings = settings_of(space, "documents")
    assert settings.max_file_mb == 5 and settings.allowed_types == ["pdf", "jpeg"]


def test_a_mistyped_instance_setting_stops_the_start(placette_config):
    from placette.app import create_app
    from placette.errors import PlacetteError
    config = placette_config.model_copy(update={"plugin_settings": {
        "documents": {"sendfile": "nginx"}}})
    config.root = placette_config.root
    with pytest.raises(PlacetteError, match="plugin.documents"):
        create_app(config=config, testing=True, check_migrations=False)
