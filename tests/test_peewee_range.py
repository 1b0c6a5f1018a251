"""The installed peewee is one the suite has been run on: the range pinned in pyproject.toml.

placette reads query results through peewee's documented API only (``placette.db.rows``), but
an ORM upgrade can still change what a query returns.  Widening the pin is a deliberate step:
run the suite on the new version, then change ``pyproject.toml``.  This test fails loudly
otherwise -- e.g. a deployment whose ``pip install`` resolved a peewee the suite never saw.
"""
from __future__ import annotations

import tomllib
from importlib.metadata import version
from pathlib import Path

from packaging.requirements import Requirement

PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"


def _pinned() -> Requirement:
    dependencies = tomllib.loads(PYPROJECT.read_text())["project"]["dependencies"]
    (found,) = [Requirement(d) for d in dependencies if Requirement(d).name == "peewee"]
    return found


def test_peewee_pin_is_a_closed_range():
    """An upper bound below the next minor: an untested peewee is never installed silently."""
    specifier = _pinned().specifier
    assert any(s.operator == "<" for s in specifier), f"peewee{specifier} has no upper bound"
    assert any(s.operator == ">=" for s in specifier), f"peewee{specifier} has no lower bound"


def test_installed_peewee_is_in_the_tested_range():
    installed = version("peewee")
    pinned = _pinned()
    assert pinned.specifier.contains(installed, prereleases=True), (
        f"peewee {installed} is outside the range the suite was run on ({pinned}): run the "
        f"whole suite on it, then widen the pin in pyproject.toml")
