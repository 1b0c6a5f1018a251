"""The instance configuration: ``placette.toml`` in the instance folder, overridden by environment.

Everything an operator may set lives here, validated once at start-up.  A wrong or missing key
raises :class:`~placette.errors.ConfigError` with one line naming the key and the file, because the
person reading it is installing a city's site, not debugging Python.

Environment variables win over the file (twelve-factor deployments set secrets that way):
``PLACETTE_<KEY>`` for top-level keys (``PLACETTE_DATABASE_URL``, ``PLACETTE_REDIS_URL``,
``PLACETTE_SECRET_KEY``, ``PLACETTE_PLUGINS`` as a comma-separated list...) and
``PLACETTE_<SECTION>_<KEY>`` for sections (``PLACETTE_MAIL_BACKEND``, ``PLACETTE_SMTP_HOST``,
``PLACETTE_WEB_PROXIES``, ``PLACETTE_SMS_AUTH_TOKEN``...).
"""
from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .errors import ConfigError

CONFIG_FILENAME = "placette.toml"
INSTANCE_ENV = "PLACETTE_INSTANCE"
QUEUE_URL_DEFAULT = "sqlite:///queue.sqlite3"


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class MailConfig(_Section):
    """Where e-mails go: ``.eml`` files in the outbox (default, zero services) or an SMTP server."""

    backend: Literal["outbox", "smtp"] = "outbox"
    outbox_dir: str = "outbox"
    sender: str = "Placette <no-reply@localhost>"
    smtp_host: str = "localhost"
    smtp_port: int = 25
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_starttls: bool = False


class ThemeConfig(_Section):
    """A city's look: an optional theme folder (templates/ and static/) plus logo and colours."""

    path: str = ""
    logo: str = ""
    primary_color: str = "#1d4f91"
    accent_color: str = "#b3261e"

    @field_validator("primary_color", "accent_color")
    @classmethod
    def _hex_colour(cls, value: str) -> str:
        text = value.strip()
        if not (text.startswith("#") and len(text) in (4, 7)
                and all(c in "0123456789abcdefABCDEF" for c in text[1:])):
            raise ValueError("must be a colour like #1d4f91")
        return text


class PageCacheConfig(_Section):
    """Public pages served again to anonymous visitors while nothing they show has changed
    (see ``placette.page_cache``)."""

    enabled: bool = True
    max_age: int = Field(default=60, ge=1, le=3600)  # seconds a kept page may be served
    memory_mb: int = Field(default=64, ge=1, le=65536)  # per process, without Redis
    max_page_kb: int = Field(default=512, ge=1, le=65536)  # bigger pages are not kept


class WebConfig(_Section):
    """How the web processes are reached.

    ``proxies``: how many reverse proxies stand in front (nginx: 1).  Their ``X-Forwarded-For``,
    ``-Proto`` and ``-Host`` are trusted for exactly that many hops; with 0 (the default, right
    for ``placette run`` or ``placette demo`` reached directly) they are ignored, so nobody can
    pick the client address the rate limits count.
    """

    proxies: int = Field(default=0, ge=0, le=5)


class SmsConfig(_Section):
    """How text messages leave (the ``sms`` plugin reads it): stored in the database's outbox
    (default, zero services; listed on the admin page) or sent through Twilio.

    Twilio credentials: ``account_sid`` with ``auth_token``, or with an API key (``api_key`` +
    ``api_secret``; the auth token is still needed to check the signatures of Twilio's webhooks).
    The sender is ``messaging_service_sid`` or ``from_number``.  ``api_base`` is Twilio's REST
    address (tests point it to a stub on 127.0.0.1).  ``two_way``: the sender receives replies
    (a short code or a number that allows it); with a one-way sender (alphanumeric, the rule for
    French mobile numbers) the texts say how to answer on the web instead.
    """

    backend: Literal["outbox", "twilio"] = "outbox"
    account_sid: str = ""
    auth_token: str = ""
    api_key: str = ""
    api_secret: str = ""
    messaging_service_sid: str = ""
    from_number: str = ""
    api_base: str = "https://api.twilio.com"
    two_way: bool = True
    default_region: str = Field(default="FR", min_length=2, max_length=2)
    retention_days: int = Field(default=90, ge=1, le=3650)  # message bodies, then erased


class InstanceConfig(_Section):
    """The validated contents of ``placette.toml``; paths are resolved against the instance folder."""

    city: str = "Placette"
    secret_key: str = Field(min_length=16)
    base_url: str = "http://127.0.0.1:5000"
    database_url: str = "sqlite:///placette.sqlite3"
    queue_url: str = "sqlite:///queue.sqlite3"
    # Distinct names let several instances share one Redis.
    queue_name: str = Field(default="placette", min_length=1, max_length=64,
                            pattern=r"^[A-Za-z0-9_.:-]+$")
    redis_url: str = ""
    uploads_dir: str = "uploads"
    default_language: Literal["fr", "en"] = "fr"
    languages: list[Literal["fr", "en"]] = ["fr", "en"]
    timezone: str = "Europe/Paris"
    plugins: list[str] = []
    space_kinds: list[str] = ["city", "neighbourhood", "thematic", "group"]
    max_body_bytes: int = 64 * 1024 * 1024
    sign_in_rate_limit: str = "10 per minute;50 per hour"
    report_rate_limit: str = "10 per 10 minutes;50 per day"
    login_link_minutes: int = Field(default=15, ge=1, le=24 * 60)
    invitation_days: int = Field(default=14, ge=1, le=365)
    digest_hour: int = Field(7, ge=0, le=23)  # local hour from which daily digests go out
    mail: MailConfig = MailConfig()
    theme: ThemeConfig = ThemeConfig()
    page_cache: PageCacheConfig = PageCacheConfig()
    web: WebConfig = WebConfig()
    sms: SmsConfig = SmsConfig()
    plugin_settings: dict[str, dict[str, Any]] = Field(default_factory=dict, alias="plugin")

    # Set by load(), not by the file.
    root: Path = Path(".")
    source: Path = Path(CONFIG_FILENAME)

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r} (try Europe/Paris)") from None
        return value

    @field_validator("database_url")
    @classmethod
    def _database_scheme(cls, value: str) -> str:
        if not value.startswith(("sqlite:///", "postgresql://", "postgres://")):
            raise ValueError("must start with sqlite:/// or postgresql://")
        return value

    @field_validator("queue_url")
    @classmethod
    def _queue_scheme(cls, value: str) -> str:
        if not value.startswith(("sqlite:///", "redis://", "rediss://", "memory://")):
            raise ValueError("must start with sqlite:///, redis:// or memory://")
        return value

    @field_validator("sign_in_rate_limit", "report_rate_limit")
    @classmethod
    def _rate_limit(cls, value: str) -> str:
        from limits import parse_many
        try:
            parse_many(value)
        except ValueError:
            raise ValueError("must look like \"10 per minute;50 per hour\"") from None
        return value

    @field_validator("redis_url")
    @classmethod
    def _redis_scheme(cls, value: str) -> str:
        if value and not value.startswith(("redis://", "rediss://", "unix://")):
            raise ValueError("must be empty or start with redis://")
        return value

    @field_validator("base_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        from urllib.parse import urlparse
        parsed = urlparse(value)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise ValueError("must be the public address of the site, like "
                             "https://participation.example.org")
        return value.rstrip("/")

    def path(self, relative: str) -> Path:
        """Resolve a path from the file against the instance folder (absolute paths stay)."""
        candidate = Path(relative).expanduser()
        return candidate if candidate.is_absolute() else self.root / candidate

    def sqlite_path(self, url: str) -> Path:
        return self.path(url[len("sqlite:///"):])

    @property
    def effective_queue_url(self) -> str:
        """Redis, when configured, carries the queue unless the queue is set explicitly elsewhere."""
        if self.redis_url and self.queue_url == QUEUE_URL_DEFAULT:
            return self.redis_url
        return self.queue_url

    def settings_for(self, plugin: str) -> dict[str, Any]:
        """Instance-wide settings of one plugin (``[plugin.NAME]`` tables in the file)."""
        return dict(self.plugin_settings.get(plugin, {}))


# Environment variable -> (section or None, key). Values are parsed the way the file would be.
_LIST_KEYS = {"plugins", "languages", "space_kinds"}


def _env_overrides(environ: dict[str, str],
                   origins: dict[str, str] | None = None) -> dict[str, Any]:
    """The ``PLACETTE_*`` variables as a nested dict; ``origins`` maps ``key.path`` -> variable."""
    data: dict[str, Any] = {}
    origins = {} if origins is None else origins
    sections = {"mail": set(MailConfig.model_fields), "theme": set(ThemeConfig.model_fields),
                "page_cache": set(PageCacheConfig.model_fields),
                "web": set(WebConfig.model_fields), "sms": set(SmsConfig.model_fields)}
    top = set(InstanceConfig.model_fields) - set(sections) - {"plugin_settings", "root", "source"}
    for name, raw in environ.items():
        if not name.startswith("PLACETTE_") or name == INSTANCE_ENV:
            continue
        key = name[len("PLACETTE_"):].lower()
        if key in top:
            data[key] = [p.strip() for p in raw.split(",") if p.strip()] if key in _LIST_KEYS else raw
            origins[key] = name
            continue
        for section, fields in sections.items():
            if key.startswith(section + "_") and key[len(section) + 1:] in fields:
                data.setdefault(section, {})[key[len(section) + 1:]] = raw
                origins[f"{section}.{key[len(section) + 1:]}"] = name
            elif section == "mail" and key.startswith("smtp_") and key in fields:
                data.setdefault("mail", {})[key] = raw
                origins[f"mail.{key}"] = name
    return data


def _merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _location(error: dict[str, Any]) -> str:
    return ".".join(str(p) for p in error["loc"] if p != "__root__") or "(file)"


def _describe(error: dict[str, Any]) -> str:
    """One readable phrase for pydantic's first error, always naming the key."""
    location = _location(error)
    kind = error["type"]
    if kind == "extra_forbidden":
        return f"unknown key '{location}'"
    if kind == "missing":
        return f"missing key '{location}'"
    message = str(error["msg"])
    for prefix in ("Value error, ", "Assertion failed, "):
        if message.startswith(prefix):
            message = message[len(prefix):]
    return f"key '{location}': {message}"


def _error_line(source: Path, error: dict[str, Any], origins: dict[str, str]) -> str:
    """``<file>: <problem>``, or, when an environment variable set the value, say so too."""
    location = _location(error)
    variable = origins.get(location) or origins.get(location.split(".")[0])
    if variable and error["type"] != "missing":
        return f"{source}: {_describe(error)} (set by the environment variable {variable})"
    return f"{source}: {_describe(error)}"


def resolve_instance_dir(instance: str | os.PathLike | None) -> Path:
    """The instance folder from the option, else ``$PLACETTE_INSTANCE``, else the current folder."""
    chosen = instance or os.environ.get(INSTANCE_ENV) or "."
    return Path(chosen).expanduser().resolve()


def load(instance: str | os.PathLike | None = None,
         environ: dict[str, str] | None = None) -> InstanceConfig:
    """Read, override and validate the configuration of one instance folder."""
    root = resolve_instance_dir(instance)
    source = root / CONFIG_FILENAME
    if not source.is_file():
        raise ConfigError(f"{source}: no such file -- create an instance with "
                          f"`placette init {root} --city \"Your city\"` or pass --instance DIR")
    try:
        data = tomllib.loads(source.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{source}: not valid TOML ({exc})") from None
    except OSError as exc:
        raise ConfigError(f"{source}: cannot be read ({exc.strerror})") from None
    origins: dict[str, str] = {}
    data = _merge(data, _env_overrides(dict(os.environ if environ is None else environ), origins))
    try:
        config = InstanceConfig.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(_error_line(source, exc.errors()[0], origins)) from None
    config.root = root
    config.source = source
    return config


def from_mapping(root: Path, data: dict[str, Any]) -> InstanceConfig:
    """Build a configuration without a file (tests, embedded use); same validation as :func:`load`."""
    try:
        config = InstanceConfig.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(f"(settings): {_describe(exc.errors()[0])}") from None
    config.root = Path(root)
    config.source = Path(root) / CONFIG_FILENAME
    return config
