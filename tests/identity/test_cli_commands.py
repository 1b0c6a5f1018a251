"""Every `placette` command finds its instance the same three ways (--instance, PLACETTE_INSTANCE,
the current folder); migrations gate serving; tokens are printed last.  The real console script,
in a subprocess."""
from __future__ import annotations

import json
import sqlite3
import subprocess
from pathlib import Path

from .helpers import (PLACETTE, assert_one_line_error, clean_env, free_port, placette, stop,
                      wait_healthy)


def test_commands_take_instance_option_environment_or_current_folder(migrated_instance,
                                                                      tmp_path):
    here = ["--instance", migrated_instance]
    # --instance DIR
    result = placette("users", "create", "anne@example.org", "--name", "Anne", *here)
    assert result.returncode == 0 and "Created anne@example.org" in result.stdout, result.stderr
    result = placette("spaces", "create", "quartier-nord", "--name", "Quartier Nord",
                      "--kind", "neighbourhood", *here)
    assert result.returncode == 0, result.stderr
    csv_file = tmp_path / "people.csv"
    csv_file.write_text("name,email\nBruno,bruno@example.org\n")
    result = placette("users", "import", csv_file, "--space", "quartier-nord", "--dry-run",
                      *here)
    assert result.returncode == 0 and "Dry run" in result.stdout, result.stdout + result.stderr

    # PLACETTE_INSTANCE, from any folder
    env = clean_env(PLACETTE_INSTANCE=str(migrated_instance))
    result = placette("spaces", "list", env=env, cwd=tmp_path)
    assert "quartier-nord" in result.stdout, result.stderr
    result = placette("plugins", "list", "--json", env=env, cwd=tmp_path)
    assert json.loads(result.stdout)["missing"] == []
    result = placette("migrations", "status", env=env, cwd=tmp_path)
    assert "0001_initial" in result.stdout and "PENDING" not in result.stdout
    result = placette("tokens", "create", "anne@example.org", env=env, cwd=tmp_path)
    assert result.returncode == 0 and result.stdout.strip().splitlines()[-1].startswith("plc_")

    # The current folder
    result = placette("spaces", "list", cwd=migrated_instance)
    assert "quartier-nord" in result.stdout, result.stderr

    # The option wins over the environment.
    result = placette("spaces", "list", "--instance", migrated_instance,
                      env=clean_env(PLACETTE_INSTANCE=str(tmp_path / "nowhere")))
    assert "quartier-nord" in result.stdout, result.stderr


def test_operator_mistakes_are_one_line(migrated_instance):
    here = ["--instance", migrated_instance]
    assert_one_line_error(placette("tokens", "create", "nobody@example.org", *here),
                          "no account for nobody@example.org")
    assert_one_line_error(placette("users", "create", "not-an-address", *here),
                          "Error:")
    assert_one_line_error(placette("spaces", "create", "x", "--name", "X", "--kind",
                                   "castle", *here), "castle")
    assert_one_line_error(placette("plugins", "enable", "nonexistent", "--space", "nowhere",
                                   *here), "nowhere")


def test_plugin_commands_run_in_the_instance(migrated_instance, testplug_path, testplug_env,
                                             tmp_path):
    """An installed plugin's CLI group appears once activated, and runs with the database."""
    env = testplug_env(PLACETTE_PLUGINS="testplug")
    result = placette("--help", "--instance", migrated_instance, env=env)
    assert "testplug" in result.stdout, result.stderr
    result = placette("testplug", "census", "--instance", migrated_instance, env=env,
                      cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Ville-sur-Test: ") and "accounts" in result.stdout
    result = placette("testplug", "census", env=dict(env, PLACETTE_INSTANCE=str(
        migrated_instance)), cwd=tmp_path)
    assert result.returncode == 0 and "Ville-sur-Test" in result.stdout, result.stderr


def placette_cli_init(folder) -> bool:
    """An instance with no plugin activated: only the kernel's migrations are pending."""
    return placette("init", folder, "--city", "Ville", "--plugins", "").returncode == 0


def test_the_app_refuses_to_serve_with_pending_migrations(tmp_path):
    import placette as kernel_package
    kernel = sorted(p.stem for p in
                    (Path(kernel_package.__file__).parent / "migrations").glob("0*.py"))
    folder = tmp_path / "ville"
    assert placette_cli_init(folder)
    for command in (["run"], ["worker"], ["users", "create", "a@example.org"]):
        result = placette(*command, "--instance", folder)
        assert_one_line_error(result, "pending database migrations",
                              *(f"placette:{name}" for name in kernel), "placette migrate")

    result = placette("migrations", "status", "--instance", folder)
    assert result.stdout.count("PENDING") == len(kernel)
    result = placette("migrate", "--instance", folder)
    assert result.returncode == 0
    assert "applied placette:0001_initial" in result.stdout
    assert f"{len(kernel)} migration(s) applied." in result.stdout
    result = placette("migrate", "--instance", folder)
    assert "Database is up to date." in result.stdout

    # One migration behind: it is named, and only it.
    with sqlite3.connect(folder / "placette.sqlite3") as db:
        db.execute("DELETE FROM placette_migrations WHERE name = '0002_events'")
    result = placette("run", "--instance", folder)
    line = assert_one_line_error(result, "placette:0002_events")
    assert "0001_initial" not in line


def test_run_serves_a_migrated_instance(migrated_instance):
    port = free_port()
    server = subprocess.Popen([PLACETTE, "run", "--port", str(port), "--instance",
                               str(migrated_instance)], env=clean_env(),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        health = wait_healthy(f"http://127.0.0.1:{port}", server)
        assert health["status"] == "ok"
        assert health["checks"] == {"database": "ok", "queue": "ok"}
    finally:
        stop(server)


def test_tokens_create_prints_the_token_last_and_it_works(migrated_instance):
    from placette.app import create_app
    here = ["--instance", migrated_instance]
    placette("users", "create", "api@example.org", "--name", "Script", *here)
    result = placette("tokens", "create", "api@example.org", "--name", "nightly", *here)
    assert result.returncode == 0, result.stderr
    token = result.stdout.rstrip("\n").splitlines()[-1]
    assert token.startswith("plc_") and " " not in token

    app = create_app(migrated_instance)
    client = app.test_client()
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert response.get_json()["email"] == "api@example.org"
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}x"})
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "invalid_token"


def test_gunicorn_serves_the_instance_and_refuses_pending_migrations(migrated_instance,
                                                                     tmp_path):
    import sys
    from pathlib import Path
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    fresh = tmp_path / "fresh"
    assert placette("init", fresh, "--city", "Fresh").returncode == 0
    result = subprocess.run([gunicorn, "--no-control-socket", "-b", f"127.0.0.1:{free_port()}",
                             "placette.wsgi:app"], env=clean_env(PLACETTE_INSTANCE=str(fresh)),
                            capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "Error: pending database migrations: placette:0001_initial" in result.stderr
    assert "Traceback" not in result.stderr

    port = free_port()
    server = subprocess.Popen([gunicorn, "--no-control-socket", "-w", "2", "-b",
                               f"127.0.0.1:{port}", "placette.wsgi:app"],
                              env=clean_env(PLACETTE_INSTANCE=str(migrated_instance)),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert wait_healthy(f"http://127.0.0.1:{port}", server)["status"] == "ok"
    finally:
        import signal
        stop(server, signal.SIGTERM)
