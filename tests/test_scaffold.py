"""``placette plugins new``: Léa's first command writes a plugin that installs, migrates and passes
its own tests.  (``pip install`` would be slow here: the plugin is imported from its folder and
handed to the app through ``placette_extra_plugins``, which is what an entry point resolves to.)"""
import importlib
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

NAME = "sampleplug"
PLACETTE = str(Path(sys.executable).with_name("placette"))


def scaffold(directory: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([PLACETTE, "plugins", "new", *args, "--dir", str(directory)],
                          capture_output=True, text=True)


@pytest.fixture
def generated(tmp_path) -> Path:
    result = scaffold(tmp_path, NAME, "--title", "Sample plugin")
    assert result.returncode == 0, result.stderr
    return tmp_path / f"placette-{NAME}"


@pytest.fixture
def placette_plugins():
    return [NAME]


@pytest.fixture
def placette_extra_plugins(generated):
    sys.path.insert(0, str(generated))
    try:
        yield {NAME: importlib.import_module(f"placette_{NAME}.plugin")}
    finally:
        sys.path.remove(str(generated))
        for module in [m for m in sys.modules if m.startswith(f"placette_{NAME}")]:
            del sys.modules[module]


def test_the_scaffold_is_a_complete_distribution(tmp_path):
    result = scaffold(tmp_path, NAME)
    assert result.returncode == 0, result.stderr
    root = tmp_path / f"placette-{NAME}"
    assert f"pip install -e {root}" in result.stdout
    project = tomllib.loads((root / "pyproject.toml").read_text())
    assert project["project"]["entry-points"]["placette.plugins"] == {
        NAME: f"placette_{NAME}.plugin"}
    assert any(d.startswith("placette") for d in project["project"]["dependencies"])
    for path in (f"placette_{NAME}/plugin.py", f"placette_{NAME}/migrations/0001_initial.py",
                 f"placette_{NAME}/templates/{NAME}/index.html", f"tests/test_{NAME}.py",
                 "babel.cfg", "README.md", f"placette_{NAME}/translations/messages.pot",
                 *(f"placette_{NAME}/translations/{lang}/LC_MESSAGES/messages.{ext}"
                   for lang in ("fr", "en") for ext in ("po", "mo"))):
        assert (root / path).is_file(), path
    assert not list(root.rglob("*.tmpl"))


def test_bad_names_and_existing_folders_are_refused_in_one_line(tmp_path):
    for args in (["Budget"], ["a"], ["class"], ["placette"], ["ok_name", "--title", 'say "hi"']):
        result = scaffold(tmp_path, *args)
        assert result.returncode == 2 and result.stderr.startswith("Error: "), args
        assert "Traceback" not in result.stderr
    assert scaffold(tmp_path, NAME).returncode == 0
    again = scaffold(tmp_path, NAME)
    assert again.returncode == 2 and "already exists" in again.stderr


def test_the_generated_plugin_loads_migrates_and_serves(app, client, make_space, make_user,
                                                        sign_in):
    from placette.db import database
    from placette.kernel import registry
    from playhouse.schema_diff import diff_models
    info = registry().plugins[NAME]
    assert str(info.manifest.title) == "Sample plugin"
    assert not diff_models(database.obj, info.models)  # the migration matches the model
    assert f"{NAME}.item.create" in registry().actions
    space = make_space("council", plugins=[NAME])
    sign_in(make_user(member_of=space))
    assert client.post(f"/s/council/{NAME}/", data={"title": "Bancs"}).status_code == 302
    page = client.get(f"/s/council/{NAME}/").get_data(as_text=True)
    assert "Bancs" in page and f'href="/s/council/{NAME}/"' in page  # content and menu entry


def test_the_generated_tests_pass(generated):
    (generated / "conftest.py").write_text(
        "import importlib\nimport pytest\n\n\n@pytest.fixture\ndef placette_extra_plugins():\n"
        f"    return {{'{NAME}': importlib.import_module('placette_{NAME}.plugin')}}\n")
    env = dict(os.environ, PYTHONPATH=str(generated))
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                             str(generated / "tests")], cwd=generated, env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "6 passed" in result.stdout


def test_the_scaffold_ships_catalogues_ready_for_the_documented_commands(generated):
    """docs/plugins.md §12, literally: pybabel extract into translations/ (which failed with
    FileNotFoundError when the scaffold made no such folder), update, compile; French catalogues
    with the two plural forms French speakers use."""
    from babel.messages.pofile import read_po

    from placette.testing import catalogue_problems
    package = generated / f"placette_{NAME}"
    translations = package / "translations"
    with open(translations / "fr" / "LC_MESSAGES" / "messages.po", "rb") as handle:
        french = read_po(handle)
    assert french.plural_forms == "nplurals=2; plural=(n > 1);"
    assert french["Nothing yet."].string == "Rien pour le moment."
    assert french["Sample plugin"].string == "Sample plugin"  # the author's title, kept
    assert catalogue_problems(translations) == []

    # A new plural string, then §12's commands as written there.
    views = package / "views.py"
    views.write_text(views.read_text() + '\n\ndef count(n):\n    return placette.ngettext('
                     '"%(num)d item", "%(num)d items", n)\n')
    pybabel = str(Path(sys.executable).with_name("pybabel"))
    for command in (f"extract -F babel.cfg -k _l -k lazy_gettext -o placette_{NAME}/translations"
                    f"/messages.pot placette_{NAME}",
                    f"update -i placette_{NAME}/translations/messages.pot -d placette_{NAME}"
                    f"/translations",
                    f"compile -d placette_{NAME}/translations"):
        done = subprocess.run([pybabel, *command.split()], cwd=generated, capture_output=True,
                              text=True)
        assert done.returncode == 0, done.stderr
    assert catalogue_problems(translations) == [
        "fr: '%(num)d item' lacks a plural form (2 expected)"]

    po = translations / "fr" / "LC_MESSAGES" / "messages.po"
    po.write_text(po.read_text().replace('msgstr[0] ""\nmsgstr[1] ""',
                                         'msgstr[0] "%(num)d élément"\n'
                                         'msgstr[1] "%(num)d éléments"'))
    assert catalogue_problems(translations) == [
        "fr: messages.mo does not match messages.po -- run pybabel compile (or placette "
        "plugins i18n)"]
    cycle = subprocess.run([PLACETTE, "plugins", "i18n"], cwd=generated, capture_output=True,
                           text=True)
    assert cycle.returncode == 0, cycle.stderr
    assert "to do" not in cycle.stdout and catalogue_problems(translations) == []
    import gettext
    with open(translations / "fr" / "LC_MESSAGES" / "messages.mo", "rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    assert compiled.ngettext("%(num)d item", "%(num)d items", 1) == "%(num)d élément"
    assert compiled.ngettext("%(num)d item", "%(num)d items", 2) == "%(num)d éléments"


def test_plugins_i18n_outside_a_plugin_folder_says_where_to_run_it(tmp_path):
    result = subprocess.run([PLACETTE, "plugins", "i18n", "--dir", str(tmp_path)],
                            capture_output=True, text=True)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.startswith(f"Error: {tmp_path}: no babel.cfg here")


def test_plugins_i18n_works_in_a_bundled_plugins_folder(tmp_path):
    """A bundled plugin (``plugins/<name>/``: babel.cfg inside the package, catalogues in its
    ``translations/``) goes through the same cycle: a new string reaches its .po, the French
    already there stays, and the catalogue compiles."""
    import shutil
    from placette.testing import catalogue_problems
    source = Path(__file__).resolve().parents[1] / "plugins" / "discussions"
    folder = tmp_path / "discussions"
    shutil.copytree(source, folder, ignore=shutil.ignore_patterns("__pycache__"))
    (folder / "extra.py").write_text('from placette import _\n\nNEW = _("A brand new sentence")\n')
    result = subprocess.run([PLACETTE, "plugins", "i18n", "--dir", str(folder),
                             "--language", "fr"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "to do: fr: 'A brand new sentence' is not translated" in result.stdout
    po = (folder / "translations" / "fr" / "LC_MESSAGES" / "messages.po").read_text()
    assert 'msgid "A brand new sentence"' in po
    assert 'msgstr "Suivre ce sujet"' in po                       # earlier work kept
    problems = catalogue_problems(folder / "translations", ("fr",))
    assert problems == ["fr: 'A brand new sentence' is not translated"]
