"""placette-keys is an ordinary distribution: its wheel carries everything the plugin needs at
run time.  (That it talks to placette only through the facade is checked, for every plugin, by
tests/test_import_rule.py.)"""
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
PACKAGE = PROJECT / "placette_keys"


def test_the_wheel_ships_templates_migrations_and_catalogues(tmp_path):
    source = tmp_path / "src"
    shutil.copytree(PROJECT, source, ignore=shutil.ignore_patterns(
        "build", "*.egg-info", "__pycache__", "tests"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w",
                    str(tmp_path / "dist"), str(source)], check=True, capture_output=True)
    [wheel] = (tmp_path / "dist").glob("placette_keys-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {f"placette_keys/templates/keys/{p.name}"
                for p in (PACKAGE / "templates" / "keys").glob("*.html")}
    expected |= {f"placette_keys/migrations/{p.name}"
                 for p in (PACKAGE / "migrations").glob("*.py")}
    expected |= {f"placette_keys/translations/{lang}/LC_MESSAGES/messages.{ext}"
                 for lang in ("fr", "en") for ext in ("po", "mo")}
    assert expected - names == set()
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    text = zipfile.ZipFile(wheel).read(entry_points).decode()
    assert "[placette.plugins]" in text and "keys = placette_keys.plugin" in text


def test_catalogues_are_complete_and_compiled():
    """Every French msgid translated -- both French plural forms of an ngettext string -- and
    each .mo matching its .po (a .po edited without compiling would silently not show).
    `placette plugins i18n` extracts, updates and compiles; this says what is left to do."""
    from placette.testing import catalogue_problems
    assert catalogue_problems(PACKAGE / "translations") == []
