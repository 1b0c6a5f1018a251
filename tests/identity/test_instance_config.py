"""`placette init`, the configuration file and its environment overrides, as an operator meets
them: the real console script, in a subprocess."""
from __future__ import annotations

import stat
import tomllib

import pytest

from placette.config import load

from .helpers import assert_one_line_error, clean_env, placette


def test_init_writes_the_instance_folder(tmp_path):
    target = tmp_path / "ville"
    result = placette("init", target, "--city", "Ville-sur-Test")
    assert result.returncode == 0, result.stderr
    assert "placette migrate" in result.stdout  # says what to do next

    config_file = target / "placette.toml"
    settings = tomllib.loads(config_file.read_text())
    assert settings["city"] == "Ville-sur-Test"
    assert len(settings["secret_key"]) >= 32
    assert settings["database_url"] == "sqlite:///placette.sqlite3"
    assert settings["queue_url"] == "sqlite:///queue.sqlite3"
    assert settings["uploads_dir"] == "uploads"
    assert settings["mail"] == {"backend": "outbox", "outbox_dir": "outbox",
                                "sender": "Ville-sur-Test <no-reply@localhost>"}
    assert settings["default_language"] == "fr"
    from placette.plugin_manager import installed_plugins
    assert settings["plugins"] == sorted(installed_plugins())
    assert (target / "uploads").is_dir() and (target / "outbox").is_dir()
    # The secret key is readable by its owner only.
    assert stat.S_IMODE(config_file.stat().st_mode) == 0o600

    # The file is valid as written: paths resolve inside the folder.
    config = load(target, environ={})
    assert config.sqlite_path(config.database_url) == target.resolve() / "placette.sqlite3"
    assert config.path(config.mail.outbox_dir) == target.resolve() / "outbox"

    # Each instance gets its own secret.
    other = tmp_path / "autre"
    assert placette("init", other, "--city", "Autre").returncode == 0
    assert tomllib.loads((other / "placette.toml").read_text())["secret_key"] \
        != settings["secret_key"]


def test_init_refuses_to_overwrite_an_instance(tmp_path):
    target = tmp_path / "ville"
    assert placette("init", target, "--city", "Ville").returncode == 0
    before = (target / "placette.toml").read_text()
    result = placette("init", target, "--city", "Autre nom")
    assert_one_line_error(result, str(target / "placette.toml"), "already exists")
    assert (target / "placette.toml").read_text() == before


@pytest.mark.parametrize("args, expected", [
    (["--plugins", "nonexistent"], ["--plugins", "nonexistent", "not installed"]),
    (["--base-url", "ville.fr"], ["base_url", "not written"]),
])
def test_init_refuses_bad_options_and_writes_nothing(tmp_path, args, expected):
    target = tmp_path / "ville"
    result = placette("init", target, "--city", "Ville", *args)
    assert_one_line_error(result, *expected)
    assert not (target / "placette.toml").exists()


def _good_file(tmp_path) -> str:
    target = tmp_path / "good"
    assert placette("init", target, "--city", "Ville").returncode == 0
    return (target / "placette.toml").read_text()


BROKEN = [
    # (what an operator might write, what the one line must name)
    ("unknown key", lambda s: s + '\ncolour = "blue"\n', ["unknown key 'mail.colour'"]),
    ("unknown top key", lambda s: 'colour = "blue"\n' + s, ["unknown key 'colour'"]),
    ("bad type", lambda s: s.replace("plugins = []", "plugins = 3"),
     ["key 'plugins'", "valid list"]),
    ("bad integer", lambda s: 'max_body_bytes = "lots"\n' + s, ["key 'max_body_bytes'"]),
    ("bad database URL", lambda s: s.replace('"sqlite:///placette.sqlite3"', '"mysql://db/x"'),
     ["key 'database_url'", "sqlite:///", "postgresql://"]),
    ("bad redis URL", lambda s: 'redis_url = "localhost:6379"\n' + s,
     ["key 'redis_url'", "redis://"]),
    ("bad base URL", lambda s: s.replace('"http://127.0.0.1:5000"', '"ville.fr"'),
     ["key 'base_url'"]),
    ("bad time zone", lambda s: s.replace('"Europe/Paris"', '"Europe/Lutece"'),
     ["key 'timezone'", "Europe/Lutece"]),
    ("bad language", lambda s: s.replace('default_language = "fr"', 'default_language = "de"'),
     ["key 'default_language'"]),
    ("bad mail backend", lambda s: s.replace('backend = "outbox"', 'backend = "pigeon"'),
     ["key 'mail.backend'"]),
    ("bad rate limit", lambda s: 'sign_in_rate_limit = "often"\n' + s,
     ["key 'sign_in_rate_limit'"]),
    ("missing key", lambda s: "\n".join(l for l in s.splitlines()
                                         if not l.startswith("secret_key")),
     ["missing key 'secret_key'"]),
    ("invalid TOML", lambda s: s.replace('timezone = "Europe/Paris"', "timezone = Europe/Paris"),
     ["not valid TOML", "line"]),
    ("not UTF-8", lambda s: s.replace("Ville", "Ville-\udce9"), ["not valid TOML"]),
]


@pytest.mark.parametrize("case, edit, expected", BROKEN, ids=[c[0] for c in BROKEN])
def test_a_wrong_key_gives_one_line_naming_key_and_file(tmp_path, case, edit, expected):
    folder = tmp_path / "broken"
    folder.mkdir()
    text = edit(_good_file(tmp_path))
    (folder / "placette.toml").write_bytes(text.encode("utf-8", "surrogateescape"))
    result = placette("migrate", "--instance", folder)
    assert_one_line_error(result, "Error:", str(folder / "placette.toml"), *expected)
    assert result.stdout == ""


@pytest.mark.parametrize("command", [
    ["migrate"], ["run", "--port", "1"], ["worker"], ["users", "create", "a@example.org"],
    ["tokens", "create", "a@example.org"], ["plugins", "list"], ["spaces", "list"],
    ["migrations", "status"],
])
def test_a_missing_instance_gives_one_line(tmp_path, command):
    missing = tmp_path / "nowhere"
    result = placette(*command, "--instance", missing)
    assert_one_line_error(result, str(missing / "placette.toml"), "no such file",
                          "placette init")


def test_environment_overrides_the_file(tmp_path):
    folder = tmp_path / "ville"
    assert placette("init", folder, "--city", "Ville").returncode == 0
    elsewhere = tmp_path / "data" / "elsewhere.sqlite3"

    # PLACETTE_DATABASE_URL: the database is created where the environment says.
    result = placette("migrate", "--instance", folder,
                      env=clean_env(PLACETTE_DATABASE_URL=f"sqlite:///{elsewhere}"))
    assert result.returncode == 0, result.stderr
    assert elsewhere.is_file()
    assert not (folder / "placette.toml").read_text().count("elsewhere")
    assert not (folder / "placette.sqlite3").exists()

    # Lists from the environment are comma-separated; the value is used (here: refused).
    result = placette("migrate", "--instance", folder,
                      env=clean_env(PLACETTE_PLUGINS="nonexistent-plugin"))
    assert_one_line_error(result, "plugin 'nonexistent-plugin'", "not installed")


@pytest.mark.parametrize("variable, value, expected", [
    ("PLACETTE_DATABASE_URL", "mysql://db/x", "key 'database_url'"),
    ("PLACETTE_REDIS_URL", "cache:6379", "key 'redis_url'"),
    ("PLACETTE_TIMEZONE", "Mars/Olympus", "key 'timezone'"),
    ("PLACETTE_MAIL_BACKEND", "pigeon", "key 'mail.backend'"),
    ("PLACETTE_SMTP_PORT", "twenty-five", "key 'mail.smtp_port'"),
    ("PLACETTE_QUEUE_NAME", "two words", "key 'queue_name'"),
])
def test_a_wrong_environment_value_names_the_variable(migrated_instance, variable, value,
                                                        expected):
    result = placette("migrate", "--instance", migrated_instance,
                      env=clean_env(**{variable: value}))
    assert_one_line_error(result, expected, variable, str(migrated_instance / "placette.toml"))


def test_an_unreachable_database_is_one_line_without_its_password(migrated_instance):
    url = "postgresql://placette:s3cret@127.0.0.1:9/placette"
    for command in (["migrate"], ["run"], ["spaces", "list"]):
        result = placette(*command, "--instance", migrated_instance,
                          env=clean_env(PLACETTE_DATABASE_URL=url))
        line = assert_one_line_error(result, "key 'database_url'", "cannot use the database",
                                     "PLACETTE_DATABASE_URL")
        assert "s3cret" not in line


def test_environment_parsing_in_process(tmp_path):
    folder = tmp_path / "ville"
    assert placette("init", folder, "--city", "Ville").returncode == 0
    config = load(folder, environ={
        "PLACETTE_PLUGINS": "agenda, documents", "PLACETTE_CITY": "Autre-Ville",
        "PLACETTE_MAIL_SMTP_HOST": "smtp.ville.fr", "PLACETTE_SMTP_PORT": "587",
        "PLACETTE_REDIS_URL": "redis://cache:6379/2", "PLACETTE_QUEUE_NAME": "ville-a",
        "PLACETTE_INSTANCE": "/ignored", "PLACETTE_TEST_DATABASE_URL": "ignored"})
    assert config.plugins == ["agenda", "documents"]
    assert config.city == "Autre-Ville"
    assert (config.mail.smtp_host, config.mail.smtp_port) == ("smtp.ville.fr", 587)
    # Redis, once configured, carries the queue too (unless queue_url says otherwise).
    assert config.effective_queue_url == "redis://cache:6379/2"
    assert config.queue_name == "ville-a"
    assert load(folder, environ={}).queue_name == "placette"
