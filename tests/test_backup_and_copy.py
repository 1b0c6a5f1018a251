"""Claire's safety nets, run as she would run them: back up, restore into a new instance, and
move a SQLite instance to PostgreSQL -- then a person signs in and finds the same spaces."""
from __future__ import annotations

import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

PASSWORD = "a-long-password-1"


def placette(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("PLACETTE_")}
    environ.update(env or {})
    return subprocess.run([sys.executable, "-m", "placette.cli", *args], env=environ,
                          capture_output=True, text=True, timeout=180)


def seeded_instance(folder: Path) -> dict:
    """A SQLite instance with spaces (tree, every visibility), people and an uploaded file."""
    from placette.app import create_app, migration_sources
    from placette.db import database
    from placette.db.migrations import migrate
    from placette.identity.accounts import create_user
    from placette.instance import init_instance
    from placette.kernel import current
    from placette.spaces import add_member, create_space

    init_instance(folder, "Backupville", [])
    app = create_app(folder, check_migrations=False, immediate_tasks=True)
    with app.app_context(), database.connection_context():
        migrate(migration_sources(current().registry), log=lambda _m: None)
        city = create_space("ville", "Backupville", "city", "public")
        north = create_space("quartier-nord", "Conseil Nord", "neighbourhood", "network",
                             parents=[city])
        group = create_space("velo", "Groupe Vélo <b>", "group", "private", parents=[north])
        create_space("autre", "Conseil Sud", "neighbourhood", "members", parents=[city])
        martine = create_user("martine@example.org", "Martine", password=PASSWORD)
        add_member(north, martine, "member")
        add_member(group, martine, "animator")
    (folder / "uploads" / "minutes").mkdir(parents=True)
    (folder / "uploads" / "minutes" / "cr.pdf").write_bytes(b"%PDF-1.4 minutes " * 100)
    return {"spaces": ["Conseil Nord", "Groupe Vélo <b>"], "hidden": "Conseil Sud"}


def signed_in_dashboard(instance: Path, env: dict | None = None) -> str:
    """Build the instance's app as production would and sign Martine in with her password."""
    from placette.app import create_app
    old = {k: os.environ.get(k) for k in (env or {})}
    os.environ.update(env or {})
    try:
        app = create_app(instance, immediate_tasks=True)
    finally:
        for key, value in old.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    app.config["WTF_CSRF_ENABLED"] = False
    client = app.test_client()
    response = client.post("/auth/password", data={"pw-email": "martine@example.org",
                                                    "pw-password": PASSWORD, "pw-next": "/"},
                           follow_redirects=True)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_backup_restores_into_a_new_instance_with_the_same_spaces_and_files(tmp_path):
    source = tmp_path / "ville"
    expected = seeded_instance(source)
    archive = tmp_path / "saved" / "ville.tar.gz"

    made = placette("backup", "--output", str(archive), "--instance", str(source))
    assert made.returncode == 0, made.stderr
    assert archive.is_file() and oct(archive.stat().st_mode & 0o777) == "0o600"
    with tarfile.open(archive) as content:
        names = set(content.getnames())
    assert {"MANIFEST.json", "placette.toml", "database.sqlite3",
            "uploads/minutes/cr.pdf"} <= names

    target = tmp_path / "new-server" / "placette"
    restored = placette("restore", str(archive), "--instance", str(target))
    assert restored.returncode == 0, restored.stderr
    assert (target / "uploads" / "minutes" / "cr.pdf").read_bytes() == \
        (source / "uploads" / "minutes" / "cr.pdf").read_bytes()

    page = signed_in_dashboard(target)
    for name in expected["spaces"]:
        assert name.replace("<", "&lt;").replace(">", "&gt;") in page
    assert expected["hidden"] not in page

    # Restoring over a live instance needs --force and keeps the previous database aside.
    again = placette("restore", str(archive), "--instance", str(target))
    assert again.returncode == 2 and "--force" in again.stderr
    forced = placette("restore", str(archive), "--instance", str(target), "--force")
    assert forced.returncode == 0, forced.stderr
    assert list(target.glob("placette.sqlite3.before-restore-*"))
    assert "Conseil Nord" in signed_in_dashboard(target)


def test_restore_refuses_what_is_not_a_backup(tmp_path):
    bogus = tmp_path / "notes.tar.gz"
    with tarfile.open(bogus, "w:gz") as archive:
        path = tmp_path / "hello.txt"
        path.write_text("hello")
        archive.add(path, "hello.txt")
    result = placette("restore", str(bogus), "--instance", str(tmp_path / "x"))
    assert result.returncode == 2
    assert result.stderr.startswith("Error: ") and "not a placette backup" in result.stderr
    assert "Traceback" not in result.stderr


def test_backup_of_a_postgresql_instance_points_to_pg_dump(tmp_path):
    from placette.instance import init_instance
    init_instance(tmp_path / "pg", "Pgville", [],
                  extra={"database_url": "postgresql://placette@db.invalid/placette"})
    result = placette("backup", "--instance", str(tmp_path / "pg"))
    assert result.returncode == 2 and "pg_dump" in result.stderr


@pytest.mark.postgres
def test_sqlite_instance_copied_into_postgresql_keeps_people_and_spaces(tmp_path, postgres):
    from placette.db import bind, database, open_database
    from placette.testing import wipe_database

    def wipe_target():
        bind(open_database(postgres))
        with database.connection_context():
            wipe_database()

    source = tmp_path / "ville"
    expected = seeded_instance(source)
    wipe_target()
    try:
        copied = placette("db", "copy", "--to", postgres, "--instance", str(source))
        assert copied.returncode == 0, copied.stderr
        assert "placette_membership" in copied.stdout and "Copied" in copied.stdout

        page = signed_in_dashboard(source, env={"PLACETTE_DATABASE_URL": postgres})
        for name in expected["spaces"]:
            assert name.replace("<", "&lt;").replace(">", "&gt;") in page

        # Sequences moved past the copied ids: the next space and person get fresh ids.
        from placette.app import create_app
        from placette.identity.accounts import create_user
        from placette.models import Space
        from placette.spaces import create_space
        os.environ["PLACETTE_DATABASE_URL"] = postgres
        try:
            app = create_app(source, immediate_tasks=True)
        finally:
            os.environ.pop("PLACETTE_DATABASE_URL")
        with app.app_context(), database.connection_context():
            assert Space.select().count() == 4
            fresh = create_space("nouveau", "Nouveau conseil", "neighbourhood")
            assert fresh.id > max(s.id for s in Space.select().where(Space.id != fresh.id))
            create_user("someone-new@example.org", "Someone")

        # A second copy into the now non-empty target is refused, nothing written.
        again = placette("db", "copy", "--to", postgres, "--instance", str(source))
        assert again.returncode == 2 and "not empty" in again.stderr
    finally:
        wipe_target()


NOTES_MIGRATION = '''
from peewee import *


def up(migrator, db):
    class Space(Model):
        class Meta:
            database = db
            table_name = "placette_space"

    class Note(Model):
        space = ForeignKeyField(Space, on_delete="CASCADE")
        parent = ForeignKeyField("self", null=True, on_delete="CASCADE")
        body = TextField()
        pinned = BooleanField(default=False)
        written_at = DateTimeField()

        class Meta:
            database = db
            table_name = "notes_note"
    db.create_tables([Note])
'''


def notes_plugin(migrations: Path):
    """A plugin with its own table: a foreign key to the kernel and one to itself (replies)."""
    import types

    import peewee

    import placette

    class Note(placette.BaseModel):
        space = peewee.ForeignKeyField(placette.Space, on_delete="CASCADE")
        parent = peewee.ForeignKeyField("self", null=True, on_delete="CASCADE")
        body = peewee.TextField()
        pinned = peewee.BooleanField(default=False)
        written_at = peewee.DateTimeField()

        class Meta:
            table_name = "notes_note"

    plugin = types.SimpleNamespace(Note=Note)
    plugin.register_manifest = placette.hookimpl(
        lambda: placette.PluginManifest(name="notes", title="Notes"))
    plugin.register_models = placette.hookimpl(lambda: [Note])
    plugin.register_migrations = placette.hookimpl(lambda: migrations)
    return plugin


@pytest.mark.postgres
def test_copy_includes_plugin_tables_in_dependency_order(tmp_path, postgres):
    import datetime as dt

    from placette.app import create_app, migration_sources
    from placette.config import from_mapping
    from placette.db import bind, database, open_database
    from placette.db.copy import copy_database
    from placette.db.migrations import migrate
    from placette.kernel import current
    from placette.models import CORE_MODELS, Space
    from placette.spaces import create_space
    from placette.testing import wipe_database

    migrations = tmp_path / "notes_migrations"
    migrations.mkdir()
    (migrations / "0001_initial.py").write_text(NOTES_MIGRATION, encoding="utf-8")
    plugin = notes_plugin(migrations)
    (tmp_path / "src").mkdir()
    config = from_mapping(tmp_path / "src", {
        "secret_key": "x" * 20, "database_url": f"sqlite:///{tmp_path / 'src' / 'db.sqlite3'}",
        "queue_url": "memory://", "plugins": ["notes"]})
    app = create_app(config=config, extra_plugins={"notes": plugin}, check_migrations=False,
                     immediate_tasks=True)
    Note = plugin.Note
    with app.app_context():
        registry = current().registry
        source = database.obj
        with database.connection_context():
            migrate(migration_sources(registry), log=lambda _m: None)
            space = create_space("nord", "Conseil Nord", "neighbourhood")
            when = dt.datetime(2026, 3, 1, 18, 30)
            root = Note.create(space=space, body="Ordre du jour", pinned=True, written_at=when)
            reply = Note.create(space=space, parent=root, body="Ajouter le budget",
                                written_at=when)
            Note.create(space=space, parent=reply, body="D'accord", written_at=when)

        target = open_database(postgres)
        bind(target)
        with database.connection_context():
            wipe_database()
        bind(source)
        with database.connection_context():
            report = copy_database(
                CORE_MODELS + registry.all_models(), postgres,
                migrate_target=lambda _db: migrate(migration_sources(registry),
                                                   log=lambda _m: None),
                log=lambda _m: None)
        tables = [t for t, _n in report.tables]
        assert tables.index("placette_space") < tables.index("notes_note")
        assert dict(report.tables)["notes_note"] == 3

        bind(target)
        try:
            with database.connection_context():
                copied = {n.body: n for n in Note.select()}
                assert copied["D'accord"].parent.body == "Ajouter le budget"
                assert copied["Ordre du jour"].pinned is True
                assert copied["Ordre du jour"].written_at == when
                assert copied["Ordre du jour"].space.slug == "nord"
                # sequences moved on: a new note gets a fresh id
                assert Note.create(space=Space.get(), body="nouveau", written_at=when).id == 4
        finally:
            with database.connection_context():
                wipe_database()


# -- the demo city, moved and saved as a city would -------------------------------------------

DEMO_PASSWORD = "demo-password"
QUERIES = ["budget", "vélo", "réunion", "jardin", "conseil"]


@pytest.fixture(scope="module")
def demo_city(tmp_path_factory) -> Path:
    """The demo city, seeded once for this module (every plugin, every kind of content)."""
    folder = tmp_path_factory.mktemp("demo") / "city"
    made = placette("demo", "--no-serve", "--data-dir", str(folder))
    assert made.returncode == 0, made.stderr
    return folder


def build_app(instance: Path, database_url: str | None = None):
    from placette.app import create_app
    if database_url:
        os.environ["PLACETTE_DATABASE_URL"] = database_url
    try:
        app = create_app(instance, immediate_tasks=True)
    finally:
        os.environ.pop("PLACETTE_DATABASE_URL", None)
    app.config["WTF_CSRF_ENABLED"] = False
    return app


def _plain(value):
    """One spelling per value whatever the engine (SQLite text dates, PostgreSQL timestamps)."""
    import datetime as dt
    import decimal
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value.normalize())
    if isinstance(value, (bytes, memoryview)):
        return bytes(value).hex()
    return value


def content_fingerprint(app) -> dict[str, tuple[int, str]]:
    """Every copied table: its row count and a checksum of its rows, read through the models."""
    import hashlib

    from placette.db import database
    from placette.db.copy import _is_copyable, dependency_order
    from placette.kernel import current
    from placette.models import CORE_MODELS
    found = {}
    with app.app_context(), database.connection_context():
        for model in dependency_order(CORE_MODELS + current().registry.all_models()):
            if not _is_copyable(model):
                continue
            fields = list(model._meta.sorted_fields)
            digest = hashlib.sha256()
            count = 0
            rows = sorted(tuple(_plain(v) for v in row)
                          for row in model.select(*fields).tuples())
            for row in rows:
                digest.update(repr(row).encode())
                count += 1
            found[model._meta.table_name] = (count, digest.hexdigest())
    return found


def search_results(client, query: str) -> list[str]:
    """Everything found, every page.  The two engines rank differently (FTS5's bm25,
    PostgreSQL's ts_rank): what is found must be the same, not its order."""
    found = []
    for page in range(1, 40):
        response = client.get(f"/api/v1/search?q={query}&per_page=50&page={page}")
        assert response.status_code == 200, response.get_data(as_text=True)
        if not response.get_json():
            break
        found += [hit["resource"] for hit in response.get_json()]
    return sorted(found)


def answers(app) -> dict:
    """What people see: searches and every GET API path of every public space, anonymous and
    as the city administrator (statuses, and the JSON or the page title)."""
    import re
    anonymous = app.test_client()
    admin = app.test_client()
    signed = admin.post("/auth/password", data={"pw-email": "admin@example.org",
                                                "pw-password": DEMO_PASSWORD, "pw-next": "/"})
    assert signed.status_code == 302
    seen = {}
    for who, client in (("anonymous", anonymous), ("admin", admin)):
        for query in QUERIES:
            seen[(who, "search", query)] = search_results(client, query)
        spaces = client.get("/api/v1/spaces").get_json()
        seen[(who, "spaces")] = spaces
        paths = ["/", "/search?q=budget"]
        for rule in app.url_map.iter_rules():
            if "GET" not in rule.methods or not rule.rule.startswith("/api/v1/"):
                continue
            if set(rule.arguments) == set():
                paths.append(rule.rule)
            elif set(rule.arguments) == {"slug"}:
                paths += [rule.rule.replace("<slug>", s["slug"]) for s in spaces[:4]]
        for path in sorted(set(paths)):
            response = client.get(path, headers={"Accept-Language": "fr"})
            if response.is_json:
                body = response.get_json()
            else:
                body = re.findall(r"<title>(.*?)</title>", response.get_data(as_text=True))
            seen[(who, path)] = (response.status_code, body)
    return seen


@pytest.mark.postgres
def test_demo_city_moved_to_postgresql_and_back_is_the_same_city(demo_city, tmp_path, postgres):
    """The issue's complaint: after ``db copy`` search found nothing until a reindex.  Now the
    copy builds the index itself and says so, and the city answers the same on every engine."""
    from placette.db import bind, database, open_database
    from placette.testing import wipe_database

    def wipe_target():
        bind(open_database(postgres))
        with database.connection_context():
            wipe_database()

    original = build_app(demo_city)
    # Signing in writes (a session, the last sign-in): the fingerprint is taken after it.
    before_answers = answers(original)
    before = content_fingerprint(original)
    assert before_answers[("anonymous", "search", "budget")], "the demo city has budget items"
    wipe_target()
    try:
        copied = placette("db", "copy", "--to", postgres, "--instance", str(demo_city))
        assert copied.returncode == 0, copied.stderr
        assert "search index built for" in copied.stdout
        on_postgres = build_app(demo_city, postgres)
        assert content_fingerprint(on_postgres) == before
        assert answers(on_postgres) == before_answers
        before = content_fingerprint(on_postgres)

        back = f"sqlite:///{tmp_path / 'back.sqlite3'}"
        returned = placette("db", "copy", "--to", back, "--instance", str(demo_city),
                            env={"PLACETTE_DATABASE_URL": postgres})
        assert returned.returncode == 0, returned.stderr
        assert "search index built for" in returned.stdout
        on_sqlite_again = build_app(demo_city, back)
        assert content_fingerprint(on_sqlite_again) == before
        assert answers(on_sqlite_again) == before_answers
    finally:
        wipe_target()


def test_demo_city_backup_restored_elsewhere_answers_the_same(demo_city, tmp_path):
    original = build_app(demo_city)
    before_answers = answers(original)
    before = content_fingerprint(original)
    archive = tmp_path / "demo.tar.gz"
    made = placette("backup", "--output", str(archive), "--instance", str(demo_city))
    assert made.returncode == 0, made.stderr
    target = tmp_path / "restored"
    restored = placette("restore", str(archive), "--instance", str(target))
    assert restored.returncode == 0, restored.stderr
    again = build_app(target)
    assert content_fingerprint(again) == before
    assert answers(again) == before_answers


@pytest.mark.postgres
def test_postgresql_backup_and_restore_as_documented(demo_city, tmp_path, postgres):
    """docs/operations.md's PostgreSQL procedure (pg_dump, pg_restore into a new database)
    gives back the same city, search included."""
    import shutil

    import psycopg2
    from psycopg2.extensions import parse_dsn

    from placette.db import bind, database, open_database
    from placette.testing import wipe_database
    if not shutil.which("pg_dump"):
        pytest.skip("pg_dump is not installed")
    second = parse_dsn(postgres)
    restored_name = f"{second['dbname']}_restore"

    def admin_sql(statement):
        connection = psycopg2.connect(postgres)
        connection.autocommit = True
        try:
            connection.cursor().execute(statement)
        finally:
            connection.close()

    bind(open_database(postgres))
    with database.connection_context():
        wipe_database()
    try:
        copied = placette("db", "copy", "--to", postgres, "--instance", str(demo_city))
        assert copied.returncode == 0, copied.stderr
        on_postgres = build_app(demo_city, postgres)
        before_answers = answers(on_postgres)
        before = content_fingerprint(on_postgres)
        dump = tmp_path / "placette.dump"
        subprocess.run(["pg_dump", "--format=custom", f"--file={dump}", postgres], check=True,
                       timeout=120)
        admin_sql(f'DROP DATABASE IF EXISTS "{restored_name}" WITH (FORCE)')
        admin_sql(f'CREATE DATABASE "{restored_name}"')
        restored_url = postgres.rsplit("/", 1)[0] + "/" + restored_name
        subprocess.run(["pg_restore", f"--dbname={restored_url}", "--no-owner", str(dump)],
                       check=True, timeout=120)
        again = build_app(demo_city, restored_url)
        assert content_fingerprint(again) == before
        assert answers(again) == before_answers
    finally:
        bind(open_database(postgres))
        with database.connection_context():
            wipe_database()
        admin_sql(f'DROP DATABASE IF EXISTS "{restored_name}" WITH (FORCE)')
