"""The example city instance (examples/city) really brands the site: its home page template, its
logo and its colours are what a visitor gets -- and the colours keep the pages accessible."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "city"


@pytest.fixture
def city_app(tmp_path, monkeypatch):
    """An app built from a copy of examples/city (with the plugins installed here)."""
    from placette.app import create_app, migration_sources
    from placette.config import load
    from placette.db import database
    from placette.db.migrations import migrate
    from placette.kernel import current
    from placette.plugin_manager import installed_plugins

    folder = tmp_path / "villebrune"
    shutil.copytree(EXAMPLE, folder)
    for name in [k for k in list(__import__("os").environ) if k.startswith("PLACETTE_")]:
        monkeypatch.delenv(name)
    wanted = load(folder).plugins
    monkeypatch.setenv("PLACETTE_PLUGINS", ",".join(p for p in wanted if p in installed_plugins()))
    app = create_app(folder, check_migrations=False, immediate_tasks=True)
    with app.app_context(), database.connection_context():
        migrate(migration_sources(current().registry), log=lambda _m: None)
        from placette.spaces import create_space
        create_space("ville", "Villebrune", "city", "public")
        create_space("quartier-du-lac", "Conseil du Lac", "neighbourhood", "public")
    app = create_app(folder, immediate_tasks=True)  # as production: migrations checked
    yield app


def test_example_city_serves_its_own_home_page_logo_and_colours(city_app):
    client = city_app.test_client()
    page = client.get("/").get_data(as_text=True)
    assert "<h1>Villebrune participe</h1>" in page          # the overridden template
    assert "Conseil du Lac" in page                          # still fed by the kernel's view
    assert "Citizen participation in" not in page            # the default one is not used
    assert 'src="/static/img/villebrune.svg"' in page         # the logo, in header and hero
    assert "--primary: #0b5c4b; --accent: #a4262c;" in page  # the colours

    logo = client.get("/static/img/villebrune.svg")
    assert logo.status_code == 200
    assert logo.data == (EXAMPLE / "theme" / "static" / "img" / "villebrune.svg").read_bytes()
    # Pages the theme does not override come from the default theme, with the city's look.
    directory = client.get("/spaces").get_data(as_text=True)
    assert "Villebrune" in directory and "--primary: #0b5c4b" in directory
    assert client.get("/static/css/placette.css").status_code == 200


@pytest.mark.browser
def test_example_city_colours_pass_axe(city_app, page):
    from placette.testing import ThreadedServer, axe_violations
    with ThreadedServer(city_app) as server:
        for path in ("/", "/spaces", "/auth/sign-in"):
            page.goto(server.url + path)
            found = [(v["id"], v["impact"]) for v in axe_violations(page)]
            assert not found, f"{path}: {found}"


DEPLOY = EXAMPLE.parent / "deploy"


def test_deploy_files_agree_with_the_app():
    """The units, the proxy and the compose file name what the code really provides."""
    import yaml
    web = (DEPLOY / "systemd" / "placette-web.service").read_text()
    assert '"placette.wsgi:app"' in web and "--no-control-socket" in web
    assert "placette worker" in (DEPLOY / "systemd" / "placette-worker@.service").read_text()
    assert "placette backup --output" in (DEPLOY / "systemd" / "placette-backup.service").read_text()

    nginx = (DEPLOY / "nginx" / "placette.conf").read_text()
    # ProxyFix(x_for=1, x_proto=1, x_host=1) in placette.app: one proxy sets these three.
    for header in ("X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Host"):
        assert f"proxy_set_header {header}" in nginx
    protected = nginx.split("location /_protected/", 1)[1].split("}", 1)[0]
    assert "internal;" in protected and "uploads/" in protected

    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    assert {"db", "redis", "web", "worker"} <= set(compose["services"])
    assert compose["services"]["worker"]["command"][:2] == ["placette", "worker"]
    env = compose["x-placette"]["environment"]
    assert env["PLACETTE_DATABASE_URL"].startswith("postgresql://")
    assert env["PLACETTE_REDIS_URL"].startswith("redis://")

    from placette.config import _env_overrides
    settings = _env_overrides(dict(line.split("=", 1) for line in
                                   (DEPLOY / "placette.env").read_text().splitlines()
                                   if line and not line.startswith("#")))
    assert settings["mail"]["backend"] == "smtp" and settings["mail"]["smtp_host"]
    assert settings["database_url"].startswith("postgresql://")
    assert settings["web"]["proxies"] == "1"  # nginx in front: its X-Forwarded-For is trusted


def test_operations_guide_documents_every_configuration_key():
    """Adding a setting without documenting it fails here: operators read the guide, not code."""
    from placette.config import (InstanceConfig, MailConfig, PageCacheConfig, SmsConfig,
                                 ThemeConfig, WebConfig)
    guide = (EXAMPLE.parent.parent / "docs" / "operations.md").read_text(encoding="utf-8")
    internal = {"root", "source", "plugin_settings", "mail", "theme", "page_cache", "web", "sms"}
    for key in set(InstanceConfig.model_fields) - internal:
        assert f"| `{key}` |" in guide, f"docs/operations.md does not document `{key}`"
    for section, model in (("mail", MailConfig), ("theme", ThemeConfig),
                           ("page_cache", PageCacheConfig), ("web", WebConfig),
                           ("sms", SmsConfig)):
        for key in model.model_fields:
            assert f"| `[{section}] {key}` |" in guide, f"`[{section}] {key}` undocumented"
    assert "| `[plugin.NAME]` |" in guide
