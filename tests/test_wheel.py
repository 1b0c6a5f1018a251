"""``pip install .`` gives a working placette, not only ``pip install -e .``: the wheel carries
every template, static file, catalogue and migration of the kernel, the bundled plugins and the
default theme, and an instance runs from it alone.  (A file that the editable install finds in
the source tree but the wheel leaves out would only show up at a city's first deployment.)"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = {"core": "placette", "plugins": "placette_plugins", "themes": "placette_themes"}
ASSETS = {".html", ".txt", ".css", ".js", ".svg", ".png", ".ico", ".po", ".mo", ".tmpl",
          ".woff2"}


def shipped_in_source() -> set[str]:
    """What the wheel must hold: every asset, and every migration script, under its import name."""
    wanted = set()
    for folder, package in PACKAGES.items():
        for path in (ROOT / folder).rglob("*"):
            if not path.is_file() or "__pycache__" in path.parts:
                continue
            if path.suffix in ASSETS or (path.suffix == ".py" and "migrations" in path.parts):
                wanted.add(f"{package}/{path.relative_to(ROOT / folder).as_posix()}")
    return wanted


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("wheel")
    source = tmp / "src"
    skipped_anywhere = shutil.ignore_patterns("build", "*.egg-info", "__pycache__")

    def ignore(folder, names):  # the repository's own tests, examples... are not packaged
        top = {".git", ".venv", "tests", "examples", "benchmarks"} if Path(folder) == ROOT \
            else set()
        return set(skipped_anywhere(folder, names)) | (top & set(names))
    shutil.copytree(ROOT, source, ignore=ignore)
    result = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps",
                             "-q", "-w", str(tmp / "dist"), str(source)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    [built] = (tmp / "dist").glob("placette-*.whl")
    return built


def test_the_wheel_carries_every_template_static_file_catalogue_and_migration(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert shipped_in_source() - names == set()
    assert "placette/migrations/0009_change_counter.py" in names
    entry_points = zipfile.ZipFile(wheel).read(
        next(n for n in names if n.endswith("entry_points.txt"))).decode()
    assert "placette = placette.cli:main" in entry_points
    for plugin in ("agenda", "documents", "pages"):
        assert f"{plugin} = placette_plugins.{plugin}.plugin" in entry_points
    assert "placette = placette.testing" in entry_points


def test_an_instance_runs_from_the_installed_wheel_alone(wheel, tmp_path):
    """Installed into a folder of its own, ahead of the source tree on the path: init, migrate
    and a rendered front page in French use only what the wheel brought."""
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target",
                    str(target), str(wheel)], check=True, capture_output=True)
    script = f"""
import re, sys
sys.argv = ["placette", "init", {str(tmp_path / 'city')!r}, "--city", "Ville-du-Paquet"]
import placette, placette_plugins, placette_themes
for module in (placette, placette_plugins, placette_themes):
    assert module.__file__.startswith({str(target)!r}), module.__file__
from placette.cli import main
main()
sys.argv = ["placette", "migrate", "--instance", {str(tmp_path / 'city')!r}]
main()
from placette import create_app
app = create_app({str(tmp_path / 'city')!r})
client = app.test_client()
page = client.get("/", headers={{"Accept-Language": "fr"}})
assert page.status_code == 200, page.status_code
text = page.get_data(as_text=True)
assert "Ville-du-Paquet" in text and 'lang="fr"' in text, text[:500]
css = re.findall(r'<link[^>]+href="([^"]+)"[^>]*stylesheet|<link[^>]+stylesheet[^>]+href="([^"]+)"', text)
css = [a or b for a, b in css]
assert css and all(client.get(href).status_code == 200 for href in css), css
print("served from", placette.__file__)
"""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PLACETTE_")}
    env["PYTHONPATH"] = str(target)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            env=env, cwd=tmp_path, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"served from {target}" in result.stdout
