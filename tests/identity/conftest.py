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
