"""Backups of the embedded default: one ``.tar.gz`` holding the whole instance's state.

``placette backup`` writes the SQLite database through SQLite's online backup API (a consistent
copy while the site keeps serving, WAL included), the uploads folder and ``placette.toml`` (its
secret key signs every session and every link already mailed: a restored site without it signs
everybody out), plus a ``MANIFEST.json`` saying what is inside.  The task queue is left out on
purpose: replaying yesterday's queued mails after a restore would send them twice.

``placette restore FILE`` unpacks such an archive into an instance folder -- a new one (the
configuration comes from the archive) or an existing one (its configuration is kept; the database
and uploads are replaced, the previous database set aside next to it, only with ``--force``).
The restored database is integrity-checked before it takes the place of the old one.

PostgreSQL deployments back up with ``pg_dump`` (see docs/operations.md): that is the engine's own
consistent, incremental-friendly tool, and nothing here would do it better.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sqlite3
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .config import CONFIG_FILENAME, InstanceConfig, load
from .errors import PlacetteError

DATABASE_MEMBER = "database.sqlite3"
UPLOADS_MEMBER = "uploads"
MANIFEST_MEMBER = "MANIFEST.json"
FORMAT = 1


class BackupError(PlacetteError):
    pass


@dataclass
class BackupResult:
    path: Path
    database_bytes: int
    uploads: int


def sqlite_file(config: InstanceConfig) -> Path:
    if not config.database_url.startswith("sqlite:///"):
        raise BackupError("this instance's database is PostgreSQL: back it up with pg_dump "
                          "(docs/operations.md, 'Backups'); `placette backup` covers the "
                          "embedded SQLite default")
    path = config.sqlite_path(config.database_url)
    if not path.is_file():
        raise BackupError(f"{path}: no database file -- run `placette migrate` first")
    return path


def snapshot_sqlite(source: Path, target: Path) -> None:
    """A consistent copy of a live SQLite database (online backup API: readers and writers
    carry on; the copy is a single file, WAL folded in)."""
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=30)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst, pages=4096)
        dst.execute("PRAGMA journal_mode=DELETE")  # a self-contained file in the archive
    finally:
        dst.close()
        src.close()


def _migration_state(db_path: Path) -> dict[str, list[str]]:
    state: dict[str, list[str]] = {}
    con = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        tables = [r[0] for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name LIKE '%\\_migrations' "
            "ESCAPE '\\'")]
        for table in tables:
            state[table[:-len("_migrations")]] = [
                r[0] for r in con.execute(f'SELECT name FROM "{table}" ORDER BY name')]
    finally:
        con.close()
    return state


def backup(instance: str | os.PathLike | None, output: Path | None = None) -> BackupResult:
    config = load(instance)
    db_path = sqlite_file(config)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S")
    if output is None:
        output = config.root / "backups" / f"placette-{stamp}.tar.gz"
    output = Path(output).expanduser().resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    uploads_dir = config.path(config.uploads_dir)
    with tempfile.TemporaryDirectory(prefix="placette-backup-") as work:
        snapshot = Path(work) / DATABASE_MEMBER
        snapshot_sqlite(db_path, snapshot)
        files = sorted(p for p in uploads_dir.rglob("*") if p.is_file()) \
            if uploads_dir.is_dir() else []
        manifest = {
            "format": FORMAT, "created_at": stamp, "city": config.city,
            "placette": _version(), "database_bytes": snapshot.stat().st_size,
            "uploads": len(files), "migrations": _migration_state(snapshot),
        }
        (Path(work) / MANIFEST_MEMBER).write_text(json.dumps(manifest, indent=2),
                                                  encoding="utf-8")
        partial = output.with_name(output.name + ".partial")
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # holds the secret
        with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as archive:
            archive.add(Path(work) / MANIFEST_MEMBER, MANIFEST_MEMBER)
            archive.add(config.source, CONFIG_FILENAME)
            archive.add(snapshot, DATABASE_MEMBER)
            if uploads_dir.is_dir():
                archive.add(uploads_dir, UPLOADS_MEMBER)
        os.replace(partial, output)
    return BackupResult(output, manifest["database_bytes"], len(files))


def _version() -> str:
    from .version import __version__
    return __version__


def read_manifest(archive_path: Path) -> dict:
    try:
        with tarfile.open(archive_path, "r:gz") as archive:
            member = archive.extractfile(MANIFEST_MEMBER)
            if member is None:
                raise KeyError(MANIFEST_MEMBER)
            return json.loads(member.read())
    except (tarfile.TarError, KeyError, OSError, json.JSONDecodeError) as exc:
        raise BackupError(f"{archive_path}: not a placette backup ({exc})") from None


def restore(archive_path: Path, instance: str | os.PathLike | None, force: bool = False,
            log=print) -> Path:
    """Unpack a backup into an instance folder; returns the restored database's path."""
    from .config import resolve_instance_dir
    archive_path = Path(archive_path).expanduser().resolve()
    if not archive_path.is_file():
        raise BackupError(f"{archive_path}: no such file")
    manifest = read_manifest(archive_path)
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{archive_path}: backup format {manifest.get('format')} is not "
                          f"supported by this version (expects {FORMAT})")
    root = resolve_instance_dir(instance)
    root.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="placette-restore-", dir=root) as work:
        work_dir = Path(work)
        with tarfile.open(archive_path, "r:gz") as archive:
            archive.extractall(work_dir, filter="data")  # no absolute paths, no escaping links
        unpacked_db = work_dir / DATABASE_MEMBER
        if not unpacked_db.is_file():
            raise BackupError(f"{archive_path}: the archive holds no database")
        check = sqlite3.connect(unpacked_db)
        try:
            verdict = check.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            check.close()
        if verdict != "ok":
            raise BackupError(f"{archive_path}: the database in the archive is damaged "
                              f"({verdict})")

        config_file = root / CONFIG_FILENAME
        new_instance = not config_file.exists()
        if new_instance:
            shutil.copy2(work_dir / CONFIG_FILENAME, config_file)
            config_file.chmod(0o600)
        config = load(root)
        db_path = sqlite_path_for_restore(config)
        uploads_dir = config.path(config.uploads_dir)
        has_data = db_path.exists() or (uploads_dir.is_dir() and any(uploads_dir.iterdir()))
        if has_data and not force:
            raise BackupError(f"{root} already has a database or uploads: pass --force to "
                              f"replace them (the current database is kept aside)")
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S")
        db_path.parent.mkdir(parents=True, exist_ok=True)
        if db_path.exists():
            aside = db_path.with_name(f"{db_path.name}.before-restore-{stamp}")
            snapshot_sqlite(db_path, aside)
            log(f"previous database kept as {aside}")
        for suffix in ("-wal", "-shm"):
            Path(f"{db_path}{suffix}").unlink(missing_ok=True)
        os.replace(unpacked_db, db_path)
        if uploads_dir.exists():
            shutil.rmtree(uploads_dir)
        unpacked_uploads = work_dir / UPLOADS_MEMBER
        if unpacked_uploads.is_dir():
            shutil.move(str(unpacked_uploads), uploads_dir)
        else:
            uploads_dir.mkdir(parents=True)
        for sub in ("outbox",):
            (root / sub).mkdir(exist_ok=True)
    log(f"restored {manifest.get('city', '?')} from {manifest.get('created_at', '?')} "
        f"({manifest.get('uploads', 0)} uploaded files) into {root}"
        + ("" if not new_instance else " (configuration from the backup)"))
    return db_path


def sqlite_path_for_restore(config: InstanceConfig) -> Path:
    if not config.database_url.startswith("sqlite:///"):
        raise BackupError("this instance is configured for PostgreSQL: restore the backup into "
                          "a SQLite instance, then `placette db copy --to postgresql://...`")
    return config.sqlite_path(config.database_url)
