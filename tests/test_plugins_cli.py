"""``placette plugins list|enable|disable`` through the real console script, with a plugin
distribution discovered through the ``placette.plugins`` entry-point group (a ``.dist-info``
folder on PYTHONPATH, exactly what ``pip install`` leaves behind)."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

PLUGIN_SOURCE = textwrap.dedent('''
    """Two tiny plugins shipped by one distribution: gatetwo requires gateone."""
    from types import SimpleNamespace

    import placette
    from placette import hookimpl
    from pydantic import Field


    class OneSettings(placette.SettingsSchema):
        size: int = Field(3, ge=1, le=9)


    def _plugin(name, **manifest):
        plugin = SimpleNamespace()
        plugin.register_manifest = hookimpl(lambda: placette.PluginManifest(
            name=name, title=name.title(), version="1.2.3", **manifest))
        return plugin


    one = _plugin("gateone", settings=OneSettings)
    two = _plugin("gatetwo", requires=("gateone",))


    def _commands(cli):
        import click

        @cli.group("gateone")
        def group():
            """Gate one's own commands."""

        @group.command("hello")
        def hello():
            click.echo("hello from gateone")


    one.register_commands = hookimpl(_commands)
''')


def write_plugin_distribution(site: Path) -> Path:
    site.mkdir(exist_ok=True)
    (site / "gate_cli_plugins.py").write_text(PLUGIN_SOURCE)
    dist = site / "gate_cli_plugins-1.2.3.dist-info"
    dist.mkdir(exist_ok=True)
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: gate-cli-plugins\n"
                                   "Version: 1.2.3\n")
    (dist / "entry_points.txt").write_text("[placette.plugins]\n"
                                           "gateone = gate_cli_plugins:one\n"
                                           "gatetwo = gate_cli_plugins:two\n")
    return site


@pytest.fixture
def plugin_path(tmp_path) -> Path:
    return write_plugin_distribution(tmp_path / "site")


@pytest.fixture(scope="module")
def placette_cli(tmp_path_factory):
    """One instance for the module (the console script costs seconds per call): tests use
    different spaces, so their order does not matter."""
    root = tmp_path_factory.mktemp("cli")
    site = write_plugin_distribution(root / "site")
    executable = shutil.which("placette", path=str(Path(sys.executable).parent))
    assert executable, "the placette console script is installed next to the interpreter"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PLACETTE_")}
    env["PYTHONPATH"] = str(site)
    instance = root / "city"

    def run(*args: str, expect: int = 0, **extra_env) -> subprocess.CompletedProcess:
        result = subprocess.run([executable, *args], env={**env, **extra_env}, cwd=root,
                                text=True, capture_output=True, timeout=120)
        assert result.returncode == expect, (result.stdout, result.stderr)
        assert "Traceback" not in result.stderr
        return result

    run("init", str(instance), "--city", "Clitown", "--plugins", "gateone,gatetwo")
    run("migrate", "--instance", str(instance))
    for slug in ("nord", "sud"):
        run("spaces", "create", slug, "--name", slug.title(), "--kind", "neighbourhood",
            "--instance", str(instance))
    run.instance = str(instance)
    return run


def test_plugins_list_shows_installed_plugins_from_entry_points(placette_cli):
    listing = placette_cli("plugins", "list", "--json", "--instance", placette_cli.instance)
    data = json.loads(listing.stdout)
    rows = {row["name"]: row for row in data["plugins"]}
    assert rows["gateone"]["version"] == "1.2.3"
    assert rows["gateone"]["distribution"] == "gate-cli-plugins"
    assert rows["gateone"]["activated"] and rows["gatetwo"]["activated"]
    assert rows["gatetwo"]["requires"] == ["gateone"]
    assert data["missing"] == []
    text = placette_cli("plugins", "list", "--instance", placette_cli.instance).stdout
    assert "gatetwo" in text and "requires gateone" in text
    # A plugin's own CLI group, found through the instance's activated plugins.
    hello = placette_cli("gateone", "hello", PLACETTE_INSTANCE=placette_cli.instance)
    assert hello.stdout.strip() == "hello from gateone"


def test_enable_pulls_requirements_and_disable_refuses_without_cascade(placette_cli):
    instance = placette_cli.instance
    enabled = placette_cli("plugins", "enable", "gatetwo", "--space", "nord",
                           "--instance", instance)
    assert "enabled in nord: gateone, gatetwo" in enabled.stdout

    state = json.loads(placette_cli("plugins", "list", "--json", "--space", "nord",
                                    "--instance", instance).stdout)
    # Only the test plugins are activated here; other installed plugins (bundled ones, the
    # placette-keys example) are listed as installed and off.
    mine = {r["name"]: r["enabled"] for r in state["plugins"] if r["name"].startswith("gate")}
    assert mine == {"gateone": True, "gatetwo": True}

    refused = placette_cli("plugins", "disable", "gateone", "--space", "nord",
                           "--instance", instance, expect=2)
    assert refused.stderr.startswith("Error: ") and "gatetwo" in refused.stderr
    assert "cascade" in refused.stderr

    cascaded = placette_cli("plugins", "disable", "gateone", "--space", "nord", "--cascade",
                            "--instance", instance)
    assert "disabled in nord:" in cascaded.stdout
    assert "gateone" in cascaded.stdout and "gatetwo" in cascaded.stdout
    state = json.loads(placette_cli("plugins", "list", "--json", "--space", "nord",
                                    "--instance", instance).stdout)
    assert not any(r["enabled"] for r in state["plugins"])


def test_enable_validates_settings_and_names_mistakes(placette_cli):
    instance = placette_cli.instance
    bad = placette_cli("plugins", "enable", "gateone", "--space", "sud", "--settings",
                       '{"size": 99}', "--instance", instance, expect=2)
    assert "size" in bad.stderr and bad.stderr.count("\n") == 1
    not_json = placette_cli("plugins", "enable", "gateone", "--space", "sud", "--settings",
                            "{size", "--instance", instance, expect=2)
    assert "--settings is not valid JSON" in not_json.stderr
    unknown = placette_cli("plugins", "enable", "nope", "--space", "sud",
                           "--instance", instance, expect=2)
    assert "nope" in unknown.stderr
    no_space = placette_cli("plugins", "enable", "gateone", "--space", "nowhere",
                            "--instance", instance, expect=2)
    assert "nowhere" in no_space.stderr
    ok = placette_cli("plugins", "enable", "gateone", "--space", "sud", "--settings",
                      '{"size": 5}', "--instance", instance)
    assert "configured in sud: gateone" in ok.stdout


def test_installed_is_not_activated(plugin_path, monkeypatch):
    """Discovery finds the distribution's plugins; only those listed in placette.toml start."""
    from placette import PluginError
    from placette.plugin_manager import PluginRegistry, installed_plugins
    monkeypatch.syspath_prepend(str(plugin_path))
    import importlib
    importlib.invalidate_caches()
    assert {"gateone", "gatetwo"} <= set(installed_plugins())
    assert "gateone" not in PluginRegistry([]).plugins
    registry = PluginRegistry(["gatetwo", "gateone"])
    assert registry.plugins["gateone"].distribution == "gate-cli-plugins 1.2.3"
    assert [info.name for info in registry.ordered()] == ["gateone", "gatetwo"]
    with pytest.raises(PluginError, match="'gatetwo' requires 'gateone'"):
        PluginRegistry(["gatetwo"])
    with pytest.raises(PluginError, match="'nothere' is activated in placette.toml but not "
                                          "installed.*gateone"):
        PluginRegistry(["nothere"])
    monkeypatch.delitem(sys.modules, "gate_cli_plugins", raising=False)
