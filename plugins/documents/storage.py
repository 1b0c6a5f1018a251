"""Where the bytes live, behind a small interface so an object store can be added later.

:class:`LocalStorage` (the default) keeps files under the instance's ``uploads_dir``, in
``documents/``.  Keys are random (``ab/abcdef...``) and never contain anything a person typed.
Writes are atomic: bytes go to a temporary file in the same file system, are flushed and
``fsync``-ed, then renamed into place (and the folder ``fsync``-ed) -- a failed or interrupted
upload leaves no half-written file under a real key, and :meth:`Storage.sweep` removes stale
temporary files a killed process may have left.
"""
from __future__ import annotations

import abc
import hashlib
import os
import secrets
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

CHUNK = 1 << 20


class TooLarge(Exception):
    """The stream went past the size limit while being written (nothing is kept)."""


@dataclass
class Staged:
    """A file written to temporary storage, not yet under a key."""

    path: Path
    size: int
    sha256: str


class Storage(abc.ABC):
    """The interface.  A key is an opaque string; derived files use ``key + suffix``.

    An object store implements the six abstract methods (Python refuses to build one that
    forgets any); ``local_path`` and ``sweep`` have defaults that suit stores without files."""

    @abc.abstractmethod
    def stage(self, stream: BinaryIO, limit: int) -> Staged:
        """Copy ``stream`` to a temporary file (at most ``limit`` bytes, else :class:`TooLarge`)."""

    def stage_bytes(self, data: bytes) -> Staged:
        """Stage bytes made in memory (a cleaned photo, a generated thumbnail)."""
        import io
        return self.stage(io.BytesIO(data), len(data))

    @abc.abstractmethod
    def commit(self, staged: Staged, key: str | None = None) -> str:
        """Move a staged file under a key (new random key by default) atomically."""

    @abc.abstractmethod
    def discard(self, staged: Staged) -> None:
        """Drop a staged file that will not be kept (a refused or failed upload)."""

    @abc.abstractmethod
    def open(self, key: str) -> BinaryIO:
        """A readable, seekable binary stream of the stored file (range requests seek)."""

    @abc.abstractmethod
    def delete(self, key: str) -> None:
        """Remove a stored file; a key that is already gone is not an error."""

    @abc.abstractmethod
    def exists(self, key: str) -> bool:
        """Whether a file is stored under ``key``."""

    def local_path(self, key: str) -> Path | None:
        """A path on this machine, when there is one (``send_file``, X-Sendfile); else None."""
        return None

    def sweep(self, older_than: float = 3600) -> int:
        """Remove temporary files left by interrupted writes; returns how many."""
        return 0

    @staticmethod
    def new_key() -> str:
        token = secrets.token_hex(16)
        return f"{token[:2]}/{token}"


class LocalStorage(Storage):
    """Files in a folder of the instance (``<uploads_dir>/documents``)."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self.tmp = self.root / ".tmp"
        self.tmp.mkdir(parents=True, exist_ok=True)

    def _path(self, key: str) -> Path:
        if not key or ".." in key or key.startswith("/") or "\\" in key or "\x00" in key:
            raise ValueError(f"invalid storage key {key!r}")
        return self.root / key

    def stage(self, stream: BinaryIO, limit: int) -> Staged:
        digest = hashlib.sha256()
        size = 0
        handle, name = tempfile.mkstemp(dir=self.tmp, prefix="up-")
        path = Path(name)
        try:
            with os.fdopen(handle, "wb") as out:
                while True:
                    chunk = stream.read(CHUNK)
                    if not chunk:
                        break
                    size += len(chunk)
                    if size > limit:
                        raise TooLarge()
                    digest.update(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
        except BaseException:
            path.unlink(missing_ok=True)
            raise
        return Staged(path, size, digest.hexdigest())

    def commit(self, staged: Staged, key: str | None = None) -> str:
        key = key or self.new_key()
        target = self._path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staged.path, target)
        _fsync_dir(target.parent)
        return key

    def discard(self, staged: Staged) -> None:
        staged.path.unlink(missing_ok=True)

    def open(self, key: str) -> BinaryIO:
        return open(self._path(key), "rb")

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def local_path(self, key: str) -> Path | None:
        return self._path(key)

    def sweep(self, older_than: float = 3600) -> int:
        removed = 0
        limit = time.time() - older_than
        for path in self.tmp.glob("up-*"):
            try:
                if path.stat().st_mtime < limit:
                    path.unlink()
                    removed += 1
            except FileNotFoundError:
                pass
        return removed


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def storage_for(config) -> Storage:
    """The instance's storage (only the local one exists today)."""
    return LocalStorage(config.path(config.uploads_dir) / "documents")
