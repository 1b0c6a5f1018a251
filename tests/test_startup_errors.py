"""A plugin that breaks the start names itself in one line, on every start-up path.

docs/plugins.md §2 promises: a start-up hook that raises, or a plugin module that cannot be
imported, stops the start with ``Error: plugin 'NAME': ...`` -- not a forty-line traceback. The
paths: the app factory (``placette run``, gunicorn's ``placette.wsgi:app``), every CLI command
(``placette migrate`` first), ``placette worker``, and the import of the entry point itself.

The broken plugins are a real distribution found through the ``placette.plugins`` entry-point
group (a ``.dist-info`` folder on PYTHONPATH, what ``pip install`` leaves behind), run through the
real console script.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import placette
from placette import PluginError
from tests.gate_plugins import make_plugin

BROKEN_SOURCE = textwrap.dedent('''
    """Plugins that break the start in the ways a newcomer's plugin does."""
    from types import SimpleNamespace

    import placette
    from placette import hookimpl


    def _plugin(name, **hooks):
        plugin = SimpleNamespace()
        plugin.register_manifest = hookimpl(lambda: placette.PluginManifest(
            name=name, title=name.title(), version="1.0"))
        plugin.register_migrations = hookimpl(lambda: None)
        for hook, function in hooks.items():
            setattr(plugin, hook, hookimpl(function))
        return plugin


    def _boom():
        raise RuntimeError("boom")


    def _deferred_blueprint():
        # The error comes later, from Flask, while the kernel registers the blueprint: no hook
        # wrapper sees it, the app factory still names the plugin.
        bp = placette.space_blueprint("deferred", __name__)

        @bp.record
        def setup(state):
            raise KeyError("missing setting")
        return [bp]


    boom = _plugin("boom", register_models=_boom)
    deferred = _plugin("deferred", register_blueprints=_deferred_blueprint)
''')


@pytest.fixture(scope="module")
def broken_site(tmp_path_factory) -> Path:
    site = tmp_path_factory.mktemp("broken") / "site"
    site.mkdir()
    (site / "broken_plugins.py").write_text(BROKEN_SOURCE)
    # A plugin module whose own import fails (a typo in an import, a missing dependency).
    (site / "broken_import.py").write_text("import placette\nimport petitions_helpers_xyz\n")
    dist = site / "broken_plugins-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: broken-plugins\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text("[placette.plugins]\n"
                                           "boom = broken_plugins:boom\n"
                                           "deferred = broken_plugins:deferred\n"
                                           "unimportable = broken_import:plugin\n")
    return site


@pytest.fixture(scope="module")
def placette_run(broken_site):
    """Run the console script with the broken distribution installed; one instance per plugin."""
    executable = shutil.which("placette", path=str(Path(sys.executable).parent))
    assert executable, "the placette console script is installed next to the interpreter"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PLACETTE_")}
    env["PYTHONPATH"] = str(broken_site)
    root = broken_site.parent

    def run(*args: str, expect: int = 2, python: bool = False, **extra_env):
        command = [sys.executable, *args] if python else [executable, *args]
        result = subprocess.run(command, env={**env, **extra_env}, cwd=root, text=True,
                                capture_output=True, timeout=120)
        assert result.returncode == expect, (result.stdout, result.stderr)
        return result

    for plugin in ("boom", "deferred", "unimportable"):
        run("init", str(root / plugin), "--city", "Breakville", "--plugins", plugin, expect=0)
    run.root = root
    return run


def one_error_line(result) -> str:
    """The whole of stderr: one line, no traceback."""
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


BOOM = "Error: plugin 'boom': register_models() raised RuntimeError: boom ("


def test_migrate_names_the_plugin_whose_start_up_hook_raises(placette_run):
    result = placette_run("migrate", "--instance", str(placette_run.root / "boom"))
    line = one_error_line(result)
    assert line.startswith(BOOM)
    assert line.endswith("broken_plugins.py:20)")  # where: the author's file and line


def test_an_import_error_in_the_plugin_module_names_the_plugin(placette_run):
    result = placette_run("migrate", "--instance", str(placette_run.root / "unimportable"))
    line = one_error_line(result)
    assert line.startswith("Error: plugin 'unimportable': importing broken_import:plugin raised "
                           "ModuleNotFoundError: No module named 'petitions_helpers_xyz' (")
    assert line.endswith("broken_import.py:2)")


def test_every_command_building_the_app_names_the_plugin(placette_run):
    instance = str(placette_run.root / "boom")
    for command in (["spaces", "list"], ["migrations", "status"], ["plugins", "list"]):
        assert one_error_line(placette_run(*command, "--instance", instance)).startswith(BOOM)


def test_the_worker_names_the_plugin(placette_run):
    result = placette_run("worker", "--instance", str(placette_run.root / "boom"))
    assert one_error_line(result).startswith(BOOM)
    assert "worker:" not in result.stdout  # it never started consuming


def test_run_and_the_wsgi_entry_point_name_the_plugin(placette_run):
    served = placette_run("run", "--port", "5999", "--instance", str(placette_run.root / "boom"))
    assert one_error_line(served).startswith(BOOM)
    # gunicorn imports placette.wsgi: one line and status 3 ("worker failed to boot").
    wsgi = placette_run("-c", "import placette.wsgi", python=True, expect=3,
                        PLACETTE_INSTANCE=str(placette_run.root / "boom"))
    assert one_error_line(wsgi).startswith(BOOM)


def test_an_error_raised_outside_any_hook_still_names_the_plugin(placette_run):
    result = placette_run("migrate", "--instance", str(placette_run.root / "deferred"))
    line = one_error_line(result)
    assert line.startswith("Error: plugin 'deferred': KeyError: 'missing setting' (")
    assert "broken_plugins.py:" in line


def test_a_plugin_command_of_a_broken_instance_says_why_it_is_missing(placette_run):
    result = placette_run("boom", "hello", PLACETTE_INSTANCE=str(placette_run.root / "boom"))
    assert one_error_line(result).startswith(BOOM)  # rather than "No such command 'boom'"


def test_placette_debug_shows_the_traceback_for_the_author(placette_run):
    result = placette_run("migrate", "--instance", str(placette_run.root / "boom"),
                          PLACETTE_DEBUG="1")
    assert "Traceback" in result.stderr and 'raise RuntimeError("boom")' in result.stderr
    assert result.stderr.strip().splitlines()[-1].startswith(BOOM)


def _raise(exc):
    raise exc


@pytest.mark.parametrize("hook, function, message", [
    ("register_models", lambda: _raise(RuntimeError("boom")),
     "plugin 'gamma': register_models() raised RuntimeError: boom ("),
    ("register_migrations", lambda: _raise(OSError("no folder")),
     "plugin 'gamma': register_migrations() raised OSError: no folder ("),
    ("startup", lambda app: _raise(ValueError("bad\nvalue")),
     "plugin 'gamma': startup() raised ValueError: bad value ("),
])
def test_create_app_names_the_plugin_in_one_line(app_factory, hook, function, message):
    with pytest.raises(PluginError) as caught:
        app_factory({"gamma": make_plugin("gamma", **{hook: function})})
    assert str(caught.value).startswith(message)
    assert "\n" not in str(caught.value)
    assert caught.value.__cause__ is not None  # the traceback stays chained for the log


def test_create_app_names_the_plugin_whose_manifest_raises(app_factory):
    plugin = make_plugin("gamma")
    plugin.register_manifest = placette.hookimpl(lambda: _raise(LookupError("no title")))
    with pytest.raises(PluginError, match=r"^plugin 'gamma': register_manifest\(\) raised "
                                          r"LookupError: no title \("):
        app_factory({"gamma": plugin})
