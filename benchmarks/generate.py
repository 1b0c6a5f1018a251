"""Generate a seeded city for the benchmarks: thousands of people, hundreds of spaces, fast.

``build_city(scale, plugins)`` writes a fresh instance folder with the plugins activated and
migrated, then bulk-inserts the kernel's rows -- people, spaces and their tree, memberships,
modules -- in chunks inside one transaction.  No row goes through the ORM one by one and no
password is hashed (benchmark people sign in through a session the harness forges): 50,000
people take a second or two on SQLite, so the benchmark measures pages, not its own set-up.

Page modules (``benchmarks/pages/*.py``) then add their plugin's volume with ``city.bulk_insert``
in their ``seed(city)``.  Everything is drawn from ``city.rng`` (seeded): two runs build the same
city, so two measurements compare the same data.
"""
from __future__ import annotations

import datetime as dt
import json
import random
import secrets
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

# SQLite refuses statements with more bound parameters than this (3.32+ default: 32766).
MAX_SQL_PARAMETERS = 30000


@dataclass(frozen=True)
class Scale:
    """How big a city is."""

    name: str
    members: int
    spaces: int


SCALES = {
    "small": Scale("small", members=1_000, spaces=20),
    "medium": Scale("medium", members=50_000, spaces=1_000),
    # A metropolis (issue 24): PostgreSQL only in practice (``run.py --database-url``).
    "large": Scale("large", members=1_000_000, spaces=20_000),
}

FIRST = ["Martine", "Karim", "Youssef", "Claire", "Léa", "Jean", "Fatima", "Pierre", "Sophie",
         "Mamadou", "Nathalie", "Hugo", "Inès", "Bernard", "Chloé", "Ahmed", "Lucie", "Thomas"]
LAST = ["Martin", "Dubois", "Thomas", "Robert", "Petit", "Durand", "Leroy", "Moreau", "Simon",
        "Laurent", "Michel", "Garcia", "Benali", "Diallo", "Nguyen", "Haddad", "Traoré", "Lopez"]
TOPICS = ["Mobilité douce", "Jardins partagés", "Budget", "Écoles", "Propreté", "Culture",
          "Sport", "Sécurité routière", "Logement", "Commerces", "Numérique", "Solidarité"]
VIEWER_SPACES = 20


@dataclass
class BenchCity:
    """The generated city, handed to every page module's ``seed`` and ``pages``."""

    scale: str
    rng: random.Random
    spaces: list  # every Space, the city space first
    councils: list  # neighbourhood and thematic councils
    user_ids: list[int]
    viewer: Any  # member of 20 spaces: the "dashboard" person
    admin: Any  # a city administrator
    now: dt.datetime
    app: Any = None  # the Flask app of the instance (run.py measures it)
    instance_dir: Path | None = None
    database_url: str = ""
    timings: dict[str, float] = field(default_factory=dict)

    def bulk_insert(self, model, rows: list[dict], chunk: int = 1000) -> int:
        """Insert ``rows`` (dicts keyed by field name) in chunks; returns how many went in.

        Chunks shrink for wide rows so a statement never exceeds SQLite's parameter limit.
        Call it inside the transaction the harness opens around ``seed`` -- no commit per chunk.
        """
        return bulk_insert(model, rows, chunk)

    @property
    def groups(self) -> list:
        return [s for s in self.spaces if s.kind == "group"]


def bulk_insert(model, rows: list[dict], chunk: int = 1000) -> int:
    """Insert many rows fast: the statement is written once, values go through the fields.

    peewee writes a multi-row INSERT node by node -- 90% of the time it took to generate a
    medium city.  Here the SQL text is built once and the rows are sent with the driver's bulk
    call (``executemany`` on SQLite, ``COPY`` on PostgreSQL).  Values are converted by
    each field's ``db_value`` (dates, JSON, foreign keys given as ids or rows) and fields left
    out get their model default, as with ``insert_many``.  Rows must all have the same keys
    (field names, column names or Field objects); otherwise this falls back to ``insert_many``.
    """
    if not rows:
        return 0
    from placette.db import database, is_postgres
    meta = model._meta
    keys = list(rows[0])
    if any(len(row) != len(keys) or any(k not in row for k in keys) for row in rows):
        return _insert_many(model, rows, chunk)
    fields = []
    for key in keys:
        field = key if hasattr(key, "db_value") else (meta.fields.get(key) or meta.columns.get(key))
        if field is None:
            raise KeyError(f"{model.__name__} has no field {key!r}")
        fields.append(field)
    given = {f.name for f in fields}
    defaults = [f for f in meta.sorted_fields
                if f.name not in given and f is not meta.primary_key and f.default is not None]
    columns = ", ".join(f'"{f.column_name}"' for f in fields + defaults)
    table = f'"{meta.table_name}"'

    def values(row):
        out = [field.db_value(row[key]) for key, field in zip(keys, fields)]
        for field in defaults:
            default = field.default() if callable(field.default) else field.default
            out.append(field.db_value(default))
        return tuple(out)

    cursor = database.cursor()
    if is_postgres():
        _copy_rows(cursor, table, columns, (values(row) for row in rows))
        return len(rows)
    marks = ", ".join("?" for _ in range(len(fields) + len(defaults)))
    for start in range(0, len(rows), chunk):
        batch = [values(row) for row in rows[start:start + chunk]]
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", batch)
    return len(rows)


COPY_NULL = "\\N"


def _copy_rows(cursor, table: str, columns: str, tuples, batch: int = 200_000) -> None:
    """PostgreSQL's ``COPY ... FROM STDIN`` (CSV): several times faster than multi-row INSERTs
    for the million-member city.  ``None`` is sent as ``\\N``; every other value as its text
    (what the field's ``db_value`` gave: dates, JSON text, booleans)."""
    import csv
    import io
    sql = f"COPY {table} ({columns}) FROM STDIN WITH (FORMAT csv, NULL '{COPY_NULL}')"
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    pending = 0
    for row in tuples:
        writer.writerow([COPY_NULL if v is None else v for v in row])
        pending += 1
        if pending >= batch:
            buffer.seek(0)
            cursor.copy_expert(sql, buffer)
            buffer, pending = io.StringIO(), 0
            writer = csv.writer(buffer, lineterminator="\n")
    if pending:
        buffer.seek(0)
        cursor.copy_expert(sql, buffer)


def _insert_many(model, rows: list[dict], chunk: int) -> int:
    width = max(max(len(r) for r in rows), 1)
    size = max(1, min(chunk, MAX_SQL_PARAMETERS // width))
    for start in range(0, len(rows), size):
        model.insert_many(rows[start:start + size]).execute()
    return len(rows)


def _reset_sequences(models: Iterable) -> None:
    """After inserting explicit ids on PostgreSQL, move each id sequence past the largest id."""
    from placette.db import database, is_postgres
    if not is_postgres():
        return
    for model in models:
        table = model._meta.table_name
        database.execute_sql(
            f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
            f"COALESCE((SELECT MAX(id) FROM \"{table}\"), 0) + 1, false)")


def reset_all_sequences() -> None:
    """:func:`_reset_sequences` for every kernel and plugin model with an integer id."""
    import peewee

    from placette.kernel import current
    from placette.models import CORE_MODELS
    models = [m for m in dict.fromkeys(CORE_MODELS + current().registry.all_models())
              if isinstance(m._meta.primary_key, peewee.AutoField)
              and m._meta.primary_key.column_name == "id"
              and not getattr(m._meta, "extension_module", None)]
    _reset_sequences(models)


def plugin_closure(names: Iterable[str]) -> list[str]:
    """The plugins to activate so that ``names`` start: each with what it requires."""
    from placette.plugin_manager import installed_plugins
    installed = installed_plugins()
    chosen: list[str] = []

    def visit(name: str) -> None:
        if name in chosen:
            return
        module = installed[name].load()
        manifest = module.register_manifest() if hasattr(module, "register_manifest") else None
        for required in getattr(manifest, "requires", ()) or ():
            visit(required)
        chosen.append(name)

    for name in names:
        visit(name)
    return chosen


def make_instance(plugins: list[str], directory: Path | None = None,
                  database_url: str | None = None) -> tuple[Any, Path]:
    """A fresh instance folder with ``plugins`` activated, migrated; returns (app, folder)."""
    from placette.app import create_app, migration_sources
    from placette.db import database
    from placette.db.migrations import migrate
    from placette.instance import init_instance
    from placette.kernel import current
    from placette.db.wipe import wipe_database

    directory = Path(directory or tempfile.mkdtemp(prefix="placette-bench-"))
    extra = {"queue_url": "memory://"}
    if database_url:
        extra["database_url"] = database_url
    init_instance(directory, "Benchville", plugins, extra=extra)
    app = create_app(directory, check_migrations=False, immediate_tasks=True)
    app.config["WTF_CSRF_ENABLED"] = False
    with app.app_context(), database.connection_context():
        migrate(migration_sources(current().registry), log=lambda _m: None)
        if database_url:  # a server database may hold a previous run's city
            wipe_database()
    return app, directory


def build_city(scale: str | Scale, plugins: Iterable[str] = (), seed: int = 2026,
               directory: Path | None = None, database_url: str | None = None) -> BenchCity:
    """Create the instance and the kernel's data for ``scale`` (``small`` or ``medium``)."""
    from placette.db import database, utcnow
    from placette.kernel import current
    from placette.models import Membership, Module, Space, SpaceParent, User

    size = SCALES[scale] if isinstance(scale, str) else scale
    plugins = plugin_closure(plugins)
    started = time.perf_counter()
    app, directory = make_instance(plugins, directory, database_url)
    timings = {"instance_s": time.perf_counter() - started}
    rng = random.Random(seed)
    now = utcnow().replace(microsecond=0)

    with app.app_context(), database.connection_context():
        registry = current().registry
        started = time.perf_counter()
        with database.atomic():
            space_rows, council_ids, group_ids = _space_rows(size, rng, now)
            bulk_insert(Space, space_rows)
            bulk_insert(SpaceParent, _parent_rows(rng, council_ids, group_ids))
            bulk_insert(Module, _module_rows(registry, [r["id"] for r in space_rows], now))
            user_rows = _user_rows(size, rng, now)
            bulk_insert(User, user_rows)
            user_ids = [r["id"] for r in user_rows]
            admin_id, viewer_id = user_ids[0], user_ids[1]
            bulk_insert(Membership, _membership_rows(rng, user_ids, admin_id, viewer_id,
                                                     space_rows, council_ids, group_ids, now))
            _reset_sequences([User, Space, SpaceParent, Module, Membership])
        timings["kernel_rows_s"] = time.perf_counter() - started
        spaces = list(Space.select().order_by(Space.id))
        by_id = {s.id: s for s in spaces}
        city = BenchCity(
            scale=size.name, rng=rng, spaces=spaces,
            councils=[by_id[i] for i in council_ids], user_ids=user_ids,
            viewer=User.get_by_id(viewer_id), admin=User.get_by_id(admin_id), now=now,
            app=app, instance_dir=directory,
            database_url=current().config.database_url, timings=timings)
    return city


# -- rows -----------------------------------------------------------------------------------------

def _space_rows(size: Scale, rng: random.Random, now: dt.datetime):
    """One city space, about 12% councils (neighbourhood and thematic), the rest working groups."""
    councils = max(3, size.spaces * 12 // 100)
    thematic = max(1, councils // 4)
    rows, council_ids, group_ids = [], [], []
    rows.append(_space(1, "ville", "Benchville", "city", "public", 0, now))
    for index in range(councils):
        sid = len(rows) + 1
        kind = "thematic" if index < thematic else "neighbourhood"
        label = "Conseil thématique" if kind == "thematic" else "Conseil de quartier"
        visibility = ("public", "network", "network", "members")[index % 4]
        rows.append(_space(sid, f"conseil-{index + 1}", f"{label} {index + 1}", kind,
                           visibility, index, now))
        council_ids.append(sid)
    while len(rows) < size.spaces:
        sid = len(rows) + 1
        topic = rng.choice(TOPICS)
        visibility = rng.choice(("network", "network", "public", "members", "private"))
        rows.append(_space(sid, f"groupe-{sid}", f"Groupe {topic} {sid}", "group", visibility,
                           0, now))
        group_ids.append(sid)
    return rows, council_ids, group_ids


def _space(sid, slug, name, kind, visibility, position, now):
    return {"id": sid, "slug": slug, "name": name, "kind": kind, "visibility": visibility,
            "description": f"**{name}** : avis, propositions et rencontres du conseil.",
            "allow_join_requests": visibility != "private", "position": position,
            "created_at": now, "archived_at": None}


def _parent_rows(rng, council_ids, group_ids):
    rows = [{"child": cid, "parent": 1} for cid in council_ids]
    for gid in group_ids:
        for parent in rng.sample(council_ids, k=min(len(council_ids), rng.choice((1, 1, 2, 3)))):
            rows.append({"child": gid, "parent": parent})
    return rows


def _module_rows(registry, space_ids, now):
    rows = []
    for position, info in enumerate(registry.ordered()):
        settings = json.dumps(info.manifest.default_settings(), sort_keys=True)
        for sid in space_ids:
            rows.append({"space": sid, "plugin": info.name, "enabled": True,
                         "settings": json.loads(settings), "position": position,
                         "updated_at": now})
    return rows


def _user_rows(size: Scale, rng, now):
    rows = []
    for index in range(size.members):
        uid = index + 1
        if uid == 1:
            email, name = "admin@bench.example", "Claire Admin"
        elif uid == 2:
            email, name = "viewer@bench.example", "Martine Viewer"
        else:
            email, name = f"person{uid}@bench.example", f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        rows.append({"id": uid, "email": email, "display_name": name,
                     "language": "fr" if rng.random() < 0.9 else "en", "phone": None,
                     "password_hash": None, "is_admin": uid == 1,
                     "auth_stamp": secrets.token_hex(8), "suspended_at": None,
                     "suspended_reason": None, "notification_prefs": {},
                     "created_at": now - dt.timedelta(days=rng.randint(0, 900)),
                     "last_seen_at": None})
    return rows


def _membership_rows(rng, user_ids, admin_id, viewer_id, space_rows, council_ids, group_ids,
                     now):
    """Everybody in one council; a third also in a working group; animators in each space.

    The viewer belongs to 20 spaces (animator of one, guest of one), the admin administers the
    city space.
    """
    taken: set[tuple[int, int]] = set()
    rows = []

    def add(uid, sid, role="member", expires_at=None):
        if (uid, sid) in taken:
            return
        taken.add((uid, sid))
        rows.append({"user": uid, "space": sid, "role": role, "expires_at": expires_at,
                     "created_at": now - dt.timedelta(days=rng.randint(0, 600)),
                     "invited_by": None})

    add(admin_id, 1, "admin")
    viewer_spaces = list(dict.fromkeys(council_ids[:VIEWER_SPACES // 2] + group_ids + [1]
                                       + council_ids))[:VIEWER_SPACES]
    for index, sid in enumerate(viewer_spaces):
        role = "animator" if index == 0 else ("guest" if index == 1 else "member")
        add(viewer_id, sid, role, now + dt.timedelta(days=30) if role == "guest" else None)
    everyone = [uid for uid in user_ids if uid not in (admin_id, viewer_id)]
    for uid in everyone:
        add(uid, rng.choice(council_ids))
        if group_ids and rng.random() < 0.33:
            add(uid, rng.choice(group_ids))
    for sid in [r["id"] for r in space_rows]:
        for uid in rng.sample(everyone, k=min(2, len(everyone))):
            if (uid, sid) not in taken:
                add(uid, sid, "animator")
    return rows
