"""Fixtures for the identity / instance / CLI tests."""
from __future__ import annotations

import pytest

from .helpers import clean_env, placette


@pytest.fixture(scope="module")
def migrated_instance(tmp_path_factory):
    """A real instance folder made by ``placette init`` + ``placette migrate`` (once per module;
    tests that write to it use their own data)."""
    root = tmp_path_factory.mktemp("instance") / "city"
    assert placette("init", root, "--city", "Ville-sur-Test").returncode == 0
    result = placette("migrate", "--instance", root)
    assert result.returncode == 0, result.stderr
    return root


@pytest.fixture
def instance_env(migrated_instance):
    return clean_env(PLACETTE_INSTANCE=str(migrated_instance))


TESTPLUG_SOURCE = __import__("pathlib").Path(__file__).parent / "testplug"


@pytest.fixture(scope="session")
def testplug_path(tmp_path_factory):
    """A folder that, on PYTHONPATH, makes ``testplug`` an installed plugin (entry point)."""
    import shutil
    folder = tmp_path_factory.mktemp("site")
    shutil.copy(TESTPLUG_SOURCE / "placette_testplug.py", folder)
    dist = folder / "placette_testplug-0.1.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: placette-testplug\n"
                                   "Version: 0.1\n")
    (dist / "entry_points.txt").write_text("[placette.plugins]\n"
                                           "testplug = placette_testplug\n")
    return folder


@pytest.fixture
def testplug_env(testplug_path):
    """Environment of a subprocess where the test plugin is installed."""
    import os

    def make(**extra):
        path = os.pathsep.join(p for p in (str(testplug_path),
                                           os.environ.get("PYTHONPATH", "")) if p)
        return clean_env(PYTHONPATH=path, **extra)
    return make
