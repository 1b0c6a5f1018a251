"""Kernel test configuration: the fixtures come from ``placette.testing`` (a pytest plugin)."""
from __future__ import annotations

import pytest


@pytest.fixture
def placette_language():
    """The kernel's tests read English text; French-by-default has tests of its own."""
    return "en"


@pytest.fixture
def app_factory(app, placette_config):
    """``app_factory({name: plugin})`` builds a second app on the test database with these
    in-process plugins (to test start-up validation); the test app's database comes back after."""
    from placette.app import create_app
    from placette.db import database

    original = database.obj

    def build(extra_plugins, **kwargs):
        if not database.is_closed():
            database.close()
        built = create_app(config=placette_config, extra_plugins=extra_plugins, testing=True,
                           check_migrations=False, **kwargs)
        built.config["WTF_CSRF_ENABLED"] = False
        return built

    yield build
    if database.obj is not original:
        if not database.is_closed():
            database.close()
        database.initialize(original)
        database.connect(reuse_if_open=True)
