"""The public store: the bytes of shown items' files, copied there when an item is (re)published.

Kept apart from every private store (``<uploads>/showcase/``), under random keys, so serving a
file never asks another plugin anything and never reaches a private file."""
from __future__ import annotations

import os
import secrets
from pathlib import Path

import placette


def root() -> Path:
    config = placette.current_config()
    folder = config.path(config.uploads_dir) / "showcase"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _path(key: str) -> Path:
    if not key.isalnum():
        raise ValueError(f"invalid storage key {key!r}")
    return root() / key


def put(data: bytes) -> str:
    key = secrets.token_hex(16)
    tmp = root() / f".{key}.tmp"
    tmp.write_bytes(data)
    os.replace(tmp, _path(key))
    return key


def path_of(key: str) -> Path:
    return _path(key)


def delete(key: str) -> None:
    try:
        _path(key).unlink()
    except (FileNotFoundError, ValueError):
        pass
