"""A documents folder shown as a photo gallery: its described photos are copied (web size, with
their text alternative, caption and thumbnail) and shown as pictures; the originals stay
private; a folder the animator may not see cannot be picked."""
from __future__ import annotations

import importlib
import io

import placette
import pytest
from PIL import Image


def _jpeg(size=(900, 600), colour=(30, 120, 200)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "JPEG", quality=90)
    return out.getvalue()


@pytest.fixture
def photos_space(make_space):
    return make_space("fete-quartier", visibility="members", plugins=["documents", "showcase"],
                      name="Fête du quartier")


@pytest.fixture
def animator(photos_space, make_user):
    return make_user(name="Inès Animatrice", member_of=photos_space, role="animator")


def _folder(space, actor, name="Fête de la musique 2026", visibility=None):
    from placette_plugins.documents import library
    return library.create_folder(space, actor, name, visibility_value=visibility)


def _upload(client, sign_in, space, user, folder, name, content, alt=""):
    sign_in(user)
    response = client.post(f"/s/{space.slug}/documents/upload",
                           data={"folder": str(folder.id), "alt_text": alt,
                                 "files": [(io.BytesIO(content), name)]},
                           content_type="multipart/form-data")
    assert response.status_code in (302, 303), response.get_data(as_text=True)[:500]
    from placette_plugins.documents.models import Document
    return Document.select().order_by(Document.id.desc()).first()


def test_a_folder_of_photos_is_shown_as_a_gallery(app, client, sign_in, sign_out, photos_space,
                                                  animator, pick):
    from placette_plugins.showcase import service, store
    from placette_plugins.showcase.models import File
    folder = _folder(photos_space, animator)
    stage = _upload(client, sign_in, photos_space, animator, folder, "scene.jpg", _jpeg(),
                    alt="La scène devant la mairie, le groupe joue")
    _upload(client, sign_in, photos_space, animator, folder, "crowd.jpg",
            _jpeg(colour=(200, 60, 40)), alt="Le public danse sur la place")
    _upload(client, sign_in, photos_space, animator, folder, "sans-texte.jpg",
            _jpeg(colour=(10, 10, 10)))  # no text alternative: not shown
    offers = {o.resource.key: o for o in placette.showcase_offers(photos_space, animator)}
    key = f"documents.folder:{folder.id}"
    assert offers[key].category == "gallery" and offers[key].title == folder.name
    assert len(offers[key].files) == 2

    item = pick(photos_space, animator, key, "Les photos de la fête")
    sign_out()
    assert client.get(f"/s/{photos_space.slug}/documents/folders/{folder.id}").status_code == 404
    page = client.get(f"/vitrine/{photos_space.slug}/{item.id}").get_data(as_text=True)
    assert 'alt="La scène devant la mairie, le groupe joue"' in page
    assert 'alt="Le public danse sur la place"' in page
    assert "sans-texte" not in page
    photos = list(File.select().where((File.item == item.id) & File.thumbnail_of.is_null()))
    thumbs = list(File.select().where((File.item == item.id) & File.thumbnail_of.is_null(False)))
    assert len(photos) == 2 and len(thumbs) == 2
    for photo in photos:
        response = client.get(f"/vitrine/{photos_space.slug}/{item.id}/files/{photo.id}")
        assert response.status_code == 200 and response.mimetype == "image/jpeg"
        assert "attachment" not in response.headers.get("Content-Disposition", "")
    thumb = client.get(f"/vitrine/{photos_space.slug}/{item.id}/files/{thumbs[0].id}")
    with Image.open(io.BytesIO(thumb.data)) as image:
        assert max(image.size) <= 400  # the grid loads thumbnails, not the photos
    assert f"/files/{thumbs[0].id}" in page

    # The original goes away; the public copy stays until an animator republishes.
    from placette_plugins.documents import library
    library.delete(stage, animator)
    assert 'alt="La scène devant la mairie' in client.get(
        f"/vitrine/{photos_space.slug}/{item.id}").get_data(as_text=True)
    service.republish(service.item_in(photos_space, item.id), animator)
    page = client.get(f"/vitrine/{photos_space.slug}/{item.id}").get_data(as_text=True)
    assert "La scène devant la mairie" not in page and "Le public danse" in page

    keys = [f.storage_key for f in File.select().where(File.item == item.id)]
    service.withdraw(service.item_in(photos_space, item.id), animator)
    assert client.get(f"/vitrine/{photos_space.slug}/{item.id}").status_code == 410
    assert not any(store.path_of(k).exists() for k in keys)


def test_a_folder_one_may_not_see_cannot_be_picked(app, client, sign_in, photos_space, animator,
                                                   make_space, make_user):
    folder = _folder(photos_space, animator, "Réservé", visibility="animators")
    _upload(client, sign_in, photos_space, animator, folder, "a.jpg", _jpeg(), alt="Une photo")
    other = make_space("autre-conseil", visibility="public", plugins=["documents", "showcase"])
    other_animator = make_user(name="Olivier Autre", member_of=other, role="animator")
    member = make_user(name="Marc Membre", member_of=photos_space)
    key = f"documents.folder:{folder.id}"
    assert key not in {o.resource.key for o in placette.showcase_offers(photos_space, member)}
    assert placette.showcase_offer(placette.lookup_resource("documents", "folder", folder.id),
                                   member) is None

    sign_in(other_animator)
    response = client.post(f"/api/v1/spaces/{other.slug}/showcase/items",
                           json={"resource": key})
    assert response.status_code in (403, 404, 422)
    assert "Réservé" not in response.get_data(as_text=True)
    response = client.post(f"/api/v1/spaces/{photos_space.slug}/showcase/items",
                           json={"resource": key})
    assert response.status_code == 404
    assert "Réservé" not in response.get_data(as_text=True)


def test_folders_are_kept_in_the_registry(app, photos_space, animator):
    from placette_plugins.documents import library
    folder = _folder(photos_space, animator, "Photos")
    resource = placette.lookup_resource("documents", "folder", folder.id)
    assert resource.title == "Photos" and resource.url.endswith(f"/folders/{folder.id}")
    assert resource.author_id is None and resource.state == "visible"
    library.edit_folder(folder, animator, name="Photos 2026", visibility_value="animators")
    resource = placette.lookup_resource("documents", "folder", folder.id)
    assert resource.title == "Photos 2026" and resource.visibility == "animators"
    library.delete_folder(folder, animator)
    assert placette.lookup_resource("documents", "folder", folder.id) is None


def test_the_migration_registers_existing_folders(app, photos_space, animator):
    folder = _folder(photos_space, animator, "Archives photo")
    placette.withdraw_resource("documents", "folder", folder.id)
    migration = importlib.import_module(
        "placette_plugins.documents.migrations.0004_folder_resources")
    database = placette.database
    migration.up(None, database)
    migration.up(None, database)  # twice: nothing doubled
    resource = placette.lookup_resource("documents", "folder", folder.id)
    assert resource.title == "Archives photo"
    assert resource.url == f"/s/{photos_space.slug}/documents/folders/{folder.id}"
