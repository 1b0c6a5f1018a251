"""A gallery picked before its photos' thumbnails were made (a photo just uploaded, the worker
down): the grid never loads the heavy original -- the photo's text alternative stands in its
place -- and once the documents task has made the copies, the public copy gets them by itself
(the kernel event ``placette.showcase.files_ready``), without any republication.  Only photos
the copy holds and the folder still holds are completed; a withdrawn item stays withdrawn.

The queue is a real huey queue whose tasks wait until the test drains it, as a worker would."""
from __future__ import annotations

import io
import os
import re

import placette
import pytest
from PIL import Image

SPACE = "fete-quartier"


def _heavy_jpeg(seed: int = 0) -> bytes:
    """A phone-like photo: noise, so it weighs what a real one does (well over 256 KB)."""
    import random
    rng = random.Random(seed)
    pixels = bytes(rng.getrandbits(8) for _ in range(1000 * 700 * 3))
    out = io.BytesIO()
    Image.frombytes("RGB", (1000, 700), pixels).save(out, "JPEG", quality=95)
    data = out.getvalue()
    assert len(data) > 400 * 1024
    return data


@pytest.fixture
def photos_space(make_space):
    return make_space(SPACE, visibility="members", plugins=["documents", "showcase"],
                      name="Fête du quartier")


@pytest.fixture
def animator(photos_space, make_user):
    return make_user(name="Inès Animatrice", member_of=photos_space, role="animator")


@pytest.fixture
def worker(app):
    """The app's huey queue, holding its tasks (``immediate`` off) until ``worker.run()``."""
    huey = app.extensions["placette"].queue.huey

    class Worker:
        def queued(self) -> list[str]:
            return [t.name for t in huey.pending()]

        def run(self, only: str | None = None) -> list[str]:
            """Run the queued tasks (those named ``only``, the others put back), and what they
            queue in turn; returns the names run."""
            ran, kept = [], []
            while (task := huey.dequeue()) is not None:
                if only is not None and task.name != only:
                    kept.append(task)
                    continue
                huey.execute(task)
                ran.append(task.name)
            for task in kept:
                huey.enqueue(task)
            return ran

        def drop(self, name: str) -> int:
            """Lose the queued tasks ``name`` (a hand-over that never happened)."""
            every = list(iter(huey.dequeue, None))
            kept = [t for t in every if t.name != name]
            for task in kept:
                huey.enqueue(task)
            return len(every) - len(kept)

    huey.immediate = False
    yield Worker()
    huey.flush()
    huey.immediate = True


def _folder(space, actor, name="Fête de la musique 2026"):
    from placette_plugins.documents import library
    return library.create_folder(space, actor, name)


def _upload(space, actor, folder, name, content, alt):
    from placette_plugins.documents import library
    [document] = library.upload(space, actor, [library.Incoming(io.BytesIO(content), name)],
                                folder=folder, alt_text=alt)
    return document


def _pick(space, actor, folder):
    from placette_plugins.showcase import service
    return service.pick(space, actor, f"documents.folder:{folder.id}", "Les photos")


def _files(item):
    from placette_plugins.showcase.models import File
    rows = list(File.select().where(File.item == item.id).order_by(File.id))
    return ([f for f in rows if f.thumbnail_of_id is None],
            {f.thumbnail_of_id: f for f in rows if f.thumbnail_of_id is not None})


def _page(client, item) -> str:
    response = client.get(f"/vitrine/{SPACE}/{item.id}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _grid_images(page: str) -> list[str]:
    grid = page.split('class="photo-grid"', 1)[1].split("</ul>", 1)[0]
    return re.findall(r'<img src="([^"]+)"', grid)


def test_the_thumbnail_made_after_the_pick_reaches_the_public_copy(
        app, client, photos_space, animator, worker):
    from placette_plugins.showcase import service, store
    from placette_plugins.showcase.models import Item
    folder = _folder(photos_space, animator)
    original = _heavy_jpeg()
    _upload(photos_space, animator, folder, "scene.jpg", original, "La scène devant la mairie")
    assert worker.queued().count("documents.make_images") == 1  # the worker has not run yet

    item = _pick(photos_space, animator, folder)
    [photo], thumbnails = _files(item)
    assert thumbnails == {} and photo.size == len(original)  # frozen as uploaded, no thumbnail
    before = Item.get_by_id(item.id)

    # Meanwhile the grid loads no 4 MB original: the text alternative stands in, as a link.
    page = _page(client, item)
    assert _grid_images(page) == []
    assert 'class="photo-pending"' in page and "La scène devant la mairie" in page
    assert f"/vitrine/{SPACE}/{item.id}/files/{photo.id}" in page

    # The pick's own look-again runs first and finds nothing made yet.
    assert worker.run(only="showcase.complete_photos") == ["showcase.complete_photos"]
    assert _files(item)[1] == {}
    # Then the worker makes the images; the showcase hears it and completes the copy.
    ran = worker.run()
    assert "documents.make_images" in ran and "placette.events.listen" in ran
    [photo_now], thumbnails = _files(item)
    assert photo_now.id == photo.id and set(thumbnails) == {photo.id}
    assert photo_now.size < len(original)  # the web-sized copy replaced the original
    assert not store.path_of(photo.storage_key).exists()  # the original's copy is gone
    thumbnail = thumbnails[photo.id]
    with Image.open(store.path_of(thumbnail.storage_key)) as image:
        assert max(image.size) <= 400
    with Image.open(store.path_of(photo_now.storage_key)) as image:
        assert max(image.size) <= 1600

    page = _page(client, item)  # anonymous: the page cache does not keep the old page
    assert _grid_images(page) == [f"/vitrine/{SPACE}/{item.id}/files/{thumbnail.id}"]
    assert 'class="photo-pending"' not in page
    assert client.get(f"/vitrine/{SPACE}/{item.id}/files/{thumbnail.id}").status_code == 200

    # Nothing else of the copy moved: no republication, same text, photo text and place.
    after = Item.get_by_id(item.id)
    assert after.republished_at is None and after.updated_at == before.updated_at
    assert (after.title, after.introduction) == (before.title, before.introduction)
    assert (photo_now.alt, photo_now.caption, photo_now.position, photo_now.source) == (
        photo.alt, photo.caption, photo.position, photo.source)

    # Heard twice (a retried task), nothing doubles.
    from placette.events import listen
    from placette.models import Event
    event = Event.get(Event.name == "placette.showcase.files_ready")
    assert event.recipients == [] and event.data["sources"] == [photo.source]
    listen(event.id)
    assert service.complete_photos(item.id) == 0
    assert len(_files(item)[1]) == 1


def test_a_photo_made_while_the_pick_copied_it_is_completed_by_the_pick_itself(
        app, client, photos_space, animator, worker):
    """The images were made, and their event heard, before the picked copy was committed: the
    event found no copy to complete, the pick's own look-again does it."""
    folder = _folder(photos_space, animator)
    _upload(photos_space, animator, folder, "scene.jpg", _heavy_jpeg(), "La scène")
    item = _pick(photos_space, animator, folder)
    worker.run(only="documents.make_images")
    assert worker.drop("placette.events.listen") == 1  # as if heard before the copy existed
    assert _files(item)[1] == {}
    assert "showcase.complete_photos" in worker.run()
    [photo], thumbnails = _files(item)
    assert set(thumbnails) == {photo.id}
    assert len(_grid_images(_page(client, item))) == 1


def test_withdrawing_meanwhile_does_not_bring_the_item_back(app, client, photos_space, animator,
                                                            worker):
    from placette_plugins.showcase import service, store
    from placette_plugins.showcase.models import File, Item
    folder = _folder(photos_space, animator)
    _upload(photos_space, animator, folder, "scene.jpg", _heavy_jpeg(), "La scène")
    item = _pick(photos_space, animator, folder)
    service.withdraw(service.item_in(photos_space, item.id), animator)
    worker.run()
    item = Item.get_by_id(item.id)
    assert item.state == "withdrawn" and item.body_html == "" and item.summary == ""
    assert not File.select().where(File.item == item.id).exists()
    assert client.get(f"/vitrine/{SPACE}/{item.id}").status_code == 410
    assert [p.name for p in store.root().iterdir()] == []  # no copied bytes left behind
    assert service.complete_photos(item.id) == 0


def test_only_photos_the_copy_and_the_folder_still_hold_are_completed(
        app, client, photos_space, animator, worker):
    from placette_plugins.documents import library
    from placette_plugins.showcase.models import File
    folder = _folder(photos_space, animator)
    elsewhere = _folder(photos_space, animator, "Brouillons")
    kept = _upload(photos_space, animator, folder, "scene.jpg", _heavy_jpeg(1), "La scène")
    moved = _upload(photos_space, animator, folder, "erreur.jpg", _heavy_jpeg(2),
                    "Une photo mise là par erreur")
    item = _pick(photos_space, animator, folder)
    library.edit(moved, animator, folder=elsewhere)  # taken out of the folder after the pick
    _upload(photos_space, animator, folder, "apres.jpg", _heavy_jpeg(3),
            "Une photo arrivée après le choix")  # added after the pick
    worker.run()

    photos, thumbnails = _files(item)
    by_alt = {p.alt: p for p in photos}
    assert set(by_alt) == {"La scène", "Une photo mise là par erreur"}  # nothing added
    assert set(thumbnails) == {by_alt["La scène"].id}  # the moved photo is not completed
    page = _page(client, item)
    assert len(_grid_images(page)) == 1
    assert "Une photo arrivée après le choix" not in page
    assert File.select().where(File.item == item.id).count() == 3
    # An animator republishing shows the folder as it is now, every thumbnail in place.
    from placette_plugins.showcase import service
    service.republish(service.item_in(photos_space, item.id), animator)
    photos, thumbnails = _files(item)
    assert {p.alt for p in photos} == {"La scène", "Une photo arrivée après le choix"}
    assert len(thumbnails) == 2


def test_a_light_photo_without_thumbnail_is_shown_itself(app, client, photos_space, animator,
                                                        worker):
    """A small picture (at most 256 KB) needs no stand-in: the grid loads it while its
    thumbnail is being made."""
    folder = _folder(photos_space, animator)
    out = io.BytesIO()
    Image.new("RGB", (300, 200), (30, 120, 200)).save(out, "JPEG")
    _upload(photos_space, animator, folder, "petite.jpg", out.getvalue(), "Une petite photo")
    item = _pick(photos_space, animator, folder)
    [photo], _thumbnails = _files(item)
    assert _grid_images(_page(client, item)) == [f"/vitrine/{SPACE}/{item.id}/files/{photo.id}"]
    worker.run()
    [photo], thumbnails = _files(item)
    assert _grid_images(_page(client, item)) == [
        f"/vitrine/{SPACE}/{item.id}/files/{thumbnails[photo.id].id}"]


@pytest.mark.redis
def test_a_worker_on_redis_completes_the_gallery(placette_config, redis_server, redis_queue_name,
                                                 client, photos_space, animator):
    """The same, with ``placette worker``'s huey consumer on Redis running every task."""
    import time

    from placette.app import create_app
    from placette.db import database
    from placette.kernel import current
    config = placette_config.model_copy(update={"queue_url": redis_server})
    config.root = placette_config.root
    worker_app = create_app(config=config, testing=True, check_migrations=False,
                            queue_name=redis_queue_name, immediate_tasks=False)
    with worker_app.app_context():
        database.connect(reuse_if_open=True)
        queue = current().queue
        folder = _folder(photos_space, animator)
        _upload(photos_space, animator, folder, "scene.jpg", _heavy_jpeg(), "La scène")
        item = _pick(photos_space, animator, folder)
        assert _files(item)[1] == {}
        consumer = queue.start_in_background(workers=1)
        try:
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and not _files(item)[1]:
                time.sleep(0.2)
        finally:
            consumer.stop(graceful=True)
            queue.huey.flush()
        [photo], thumbnails = _files(item)
    assert set(thumbnails) == {photo.id}
    assert _grid_images(_page(client, item)) == [
        f"/vitrine/{SPACE}/{item.id}/files/{thumbnails[photo.id].id}"]
