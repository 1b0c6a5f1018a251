"""Create an instance folder: the one place a city's installation keeps its state.

An instance is ``placette.toml`` plus what the default (embedded) setup needs: the SQLite database,
the SQLite task queue, the uploads folder and the mail outbox.  Nothing is written outside it.
"""
from __future__ import annotations

import secrets
from pathlib import Path

import tomli_w

from pydantic import ValidationError

from .config import CONFIG_FILENAME, InstanceConfig
from .config import _describe as describe
from .errors import ConfigError


def init_instance(directory: Path, city: str, plugins: list[str] | None = None,
                  language: str = "fr", base_url: str = "http://127.0.0.1:5000",
                  extra: dict | None = None) -> Path:
    """Write a new instance folder and return the path of its configuration file.

    Refuses to overwrite an existing ``placette.toml``: the secret key inside signs every session
    and link already sent, and losing it silently would sign everybody out.
    """
    directory = Path(directory).expanduser().resolve()
    target = directory / CONFIG_FILENAME
    if target.exists():
        raise ConfigError(f"{target}: already exists -- not overwriting an instance")
    settings = {
        "city": city,
        "secret_key": secrets.token_urlsafe(48),
        "base_url": base_url,
        "database_url": "sqlite:///placette.sqlite3",
        "queue_url": "sqlite:///queue.sqlite3",
        "uploads_dir": "uploads",
        "default_language": language,
        "timezone": "Europe/Paris",
        "plugins": list(plugins or []),
        "mail": {"backend": "outbox", "outbox_dir": "outbox",
                 "sender": f"{city} <no-reply@localhost>"},
    }
    if extra:
        settings.update(extra)
    try:
        InstanceConfig.model_validate(settings)
    except ValidationError as exc:
        raise ConfigError(f"{target}: not written, {describe(exc.errors()[0])}") from None
    directory.mkdir(parents=True, exist_ok=True)
    for sub in ("uploads", "outbox"):
        (directory / sub).mkdir(exist_ok=True)
    header = ("# placette instance configuration.  Environment variables override any key:\n"
              "# PLACETTE_DATABASE_URL, PLACETTE_REDIS_URL, PLACETTE_SECRET_KEY, PLACETTE_PLUGINS,\n"
              "# PLACETTE_QUEUE_URL, PLACETTE_QUEUE_NAME (web and workers must agree on both),\n"
              "# PLACETTE_MAIL_BACKEND, PLACETTE_SMTP_HOST...  See docs/operations.md for every key.\n")
    target.write_text(header + tomli_w.dumps(settings), encoding="utf-8")
    target.chmod(0o600)
    return target
