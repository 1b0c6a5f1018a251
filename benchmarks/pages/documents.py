"""Benchmark pages of the ``documents`` plugin (see BENCH_INTERFACE: REQUIRES, seed, pages).

* ``documents_space`` -- one folder holding 500 documents (first page of its table);
* ``documents_city``  -- the city-wide "resources" view for the dashboard viewer;
* ``download_10mb``   -- a 10 MB file through the permission-checked download URL.

Two extra measurements for the report, called by ``run.py`` when present (both return
``{name: value}`` to merge into the results):

* :func:`measure_direct_read` -- reading the same 10 MB file straight from disk in this run, so
  the download's throughput can be compared with the disk's (``download_10mb`` p50 vs this);
* :func:`measure_photo_processing` -- 20 phone-sized photos of about 4 MB each, uploaded and
  processed (metadata stripped, web copy and thumbnail made): the issue's target is < 20 s.

Volume is bulk-inserted (``insert_many`` in chunks); only the 10 MB file and the photos are real
files in the instance's storage.
"""
from __future__ import annotations

import io
import time

import placette

REQUIRES = ["documents"]

FOLDER_DOCUMENTS = 500
PER_SPACE = {"small": 20, "medium": 10}
TEN_MB = 10 * 1024 * 1024

_state: dict = {}


def _models():
    from placette_plugins.documents.models import Document, Folder, Tag, Version
    return Document, Folder, Tag, Version


def _viewer_space(city):
    """A space the viewer belongs to (a member, so member-only documents count too)."""
    roles = placette.roles_of(city.viewer)
    for space in city.spaces:
        if roles.get(space.id) == "member":
            return space
    return city.spaces[0]


def _enable_everywhere(city) -> None:
    module = placette.Module
    have = {sid for (sid,) in module.select(module.space)
            .where((module.plugin == "documents") & (module.enabled == True)).tuples()}  # noqa: E712
    (module.update(enabled=True).where((module.plugin == "documents")
                                       & (module.space.not_in(list(have) or [0]))).execute())
    present = {sid for (sid,) in module.select(module.space)
               .where(module.plugin == "documents").tuples()}
    settings = {"max_file_mb": 50, "quota_mb": 100_000,
                "allowed_types": ["pdf", "odt", "docx", "jpeg", "png", "txt"]}
    rows = [{"space": s.id, "plugin": "documents", "enabled": True, "settings": settings,
             "position": 50, "updated_at": city.now} for s in city.spaces if s.id not in present]
    if rows:
        city.bulk_insert(module, rows)
    module.update(settings=settings).where(module.plugin == "documents").execute()


def _next_id(model) -> int:
    from peewee import fn
    return (model.select(fn.MAX(model.id)).scalar() or 0) + 1


def _fix_sequences(*models) -> None:
    database = placette.database
    if type(database.obj).__name__.lower().find("postgres") < 0:
        return
    for model in models:
        table = model._meta.table_name
        database.execute_sql(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                             f"(SELECT COALESCE(MAX(id), 1) FROM {table}))")


def seed(city) -> None:
    Document, Folder, Tag, Version = _models()
    rng = city.rng
    _enable_everywhere(city)
    space = _viewer_space(city)
    folder = Folder.create(space=space, name="Comptes rendus 2020-2026", created_at=city.now)
    doc_id, version_id = _next_id(Document), _next_id(Version)
    documents, versions, tags = [], [], []
    kinds = [("pdf", "pdf", "application/pdf"), ("odt", "text",
                                                 "application/vnd.oasis.opendocument.text"),
             ("jpeg", "image", "image/jpeg")]
    visibilities = [None] * 17 + ["members", "members", "animators"]

    def add(space_id, folder_id, title):
        nonlocal doc_id, version_id
        file_type, kind, mime = rng.choice(kinds)
        author = rng.choice(city.user_ids)
        documents.append({
            "id": doc_id, "space": space_id, "folder": folder_id, "title": title,
            "description": "", "alt_text": "Photo" if kind == "image" else "",
            "visibility": rng.choice(visibilities), "kind": kind, "author": author,
            "current_version_id": version_id, "created_at": city.now, "updated_at": city.now})
        versions.append({
            "id": version_id, "document": doc_id, "number": 1,
            "storage_key": f"bench/{doc_id:08d}", "file_name": f"{title}.{file_type}",
            "file_type": file_type, "mime": mime, "size": rng.randint(20_000, 5_000_000),
            "sha256": f"{doc_id:064d}", "uploaded_by": author, "created_at": city.now,
            "image_status": "none", "text_status": "done"})
        for name in rng.sample(["compte rendu", "budget", "mobilité", "école", "parc",
                                "urbanisme", "culture"], 2):
            tags.append({"document": doc_id, "name": name})
        doc_id += 1
        version_id += 1

    for index in range(FOLDER_DOCUMENTS):
        add(space.id, folder.id, f"Compte rendu {index + 1:03d}")
    for other in city.spaces:
        for index in range(PER_SPACE.get(city.scale, 10)):
            add(other.id, None, f"Document {other.id}-{index}")
    city.bulk_insert(Document, documents)
    city.bulk_insert(Version, versions)
    city.bulk_insert(Tag, tags)
    _fix_sequences(Document, Version)

    # One real 10 MB file, downloaded through the permission-checked URL.
    from placette_plugins.documents import library
    letters = "abcdefghijklmnopqrstuvwxyz \n"
    data = "".join(rng.choice(letters) for _ in range(4096)).encode() * (TEN_MB // 4096)
    big = library.upload(space, city.viewer, [library.Incoming(io.BytesIO(data),
                                                               "rapport-annuel.txt")])
    _state.update(space=space, folder=folder, big=big[0])


def pages(city) -> dict:
    space, folder, big = _state["space"], _state["folder"], _state["big"]
    return {
        "documents_space": (city.viewer, f"/s/{space.slug}/documents/folders/{folder.id}"),
        "documents_city": (city.viewer, "/documents/"),
        "download_10mb": (city.viewer, f"/s/{space.slug}/documents/files/{big.id}/download"),
    }


def measure_direct_read(city, repeat: int = 20) -> dict:
    """p50 of reading the 10 MB file from disk, and the disk's throughput (MB/s)."""
    from placette_plugins.documents import library
    from placette_plugins.documents.models import Version
    version = Version.get_by_id(_state["big"].current_version_id)
    path = library.storage().local_path(version.storage_key)
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        with open(path, "rb") as stream:
            while stream.read(1 << 20):
                pass
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    p50 = timings[len(timings) // 2]
    return {"download_10mb_direct_read_p50_ms": round(p50, 2),
            "download_10mb_direct_read_mb_s": round(10 / (p50 / 1000), 1)}


def phone_photo(rng, index: int, size=(4000, 3000)) -> bytes:
    """A 12-megapixel JPEG of about 4 MB with a phone's EXIF (GPS, orientation)."""
    from PIL import Image
    width, height = size
    grain = Image.effect_noise((width // 2, height // 2), 40 + index).resize(size)
    base = Image.merge("RGB", [grain, grain.transpose(Image.Transpose.FLIP_LEFT_RIGHT),
                               grain.transpose(Image.Transpose.FLIP_TOP_BOTTOM)])
    gradient = Image.linear_gradient("L").resize(size)
    sky = Image.merge("RGB", [gradient, gradient.transpose(Image.Transpose.ROTATE_90)
                              .resize(size), gradient])
    picture = Image.blend(base, sky, 0.55)
    exif = Image.Exif()
    exif[0x010F], exif[0x0110], exif[0x0112] = "Phone", "Model", 1 + (index % 2) * 5
    exif[0x8825] = {1: "N", 2: (48.0, 51.0, float(index)), 3: "E", 4: (2.0, 17.0, 40.0)}
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=88, exif=exif.tobytes())
    return out.getvalue()


def measure_photo_processing(city, count: int = 20) -> dict:
    """Upload ``count`` photos of ~4 MB and make their copies; seconds from first byte to last
    thumbnail (the photos are generated before the clock starts)."""
    from placette_plugins.documents import library, processing
    from placette_plugins.documents.models import Version
    space = _state["space"]
    photos = [phone_photo(city.rng, index) for index in range(count)]
    folder = library.create_folder(space, city.viewer, f"Photos {time.time():.0f}")
    started = time.perf_counter()
    created = library.upload(space, city.viewer, [
        library.Incoming(io.BytesIO(data), f"IMG_{index:04d}.jpg")
        for index, data in enumerate(photos)], folder=folder, alt_text="Photo")
    for document in created:
        version = Version.get_by_id(document.current_version_id)
        if version.image_status != "ready":
            processing.make_images(version.id)
    elapsed = time.perf_counter() - started
    ready = Version.select().where((Version.id.in_([d.current_version_id for d in created]))
                                   & (Version.image_status == "ready")).count()
    return {"photos_20x4mb_seconds": round(elapsed, 2), "photos_ready": ready,
            "photos_average_mb": round(sum(map(len, photos)) / len(photos) / 1e6, 2)}


EXTRAS = [measure_direct_read, measure_photo_processing]
