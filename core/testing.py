"""``placette.testing``: pytest fixtures for the kernel's tests and for plugin authors.

Installed as a pytest plugin (entry point ``pytest11``), so a plugin's own test suite gets them by
installing placette.  The fixtures build a real app on a real database -- SQLite by default,
PostgreSQL when ``PLACETTE_TEST_DATABASE_URL`` is set -- with the plugins you choose::

    @pytest.fixture
    def placette_plugins():
        return ["budget"]            # activate your plugin (installed, or in placette_extra_plugins)

    def test_budget_page(client, make_space, make_user, sign_in):
        space = make_space("quartier-nord", plugins=["budget"])
        sign_in(make_user(member_of=space))
        assert client.get("/s/quartier-nord/budget/").status_code == 200

Under ``CI=true`` the fixtures that need PostgreSQL, Redis or Chromium fail instead of skipping.
"""
from __future__ import annotations

import datetime as dt
import email
import email.policy
import itertools
import os
import threading
import uuid
from pathlib import Path
from typing import Any

import pytest

from .db.wipe import wipe_database  # noqa: F401 -- a fixture helper, also for plugin suites
from .plugin_i18n import catalogue_problems  # noqa: F401 -- a plugin's catalogue test uses it
# Fail a test when placette's (or a listed plugin's) code makes a deprecated call: see the module.
from .deprecation_guard import (pytest_addoption, pytest_runtest_call,  # noqa: F401
                                pytest_runtest_setup, pytest_runtest_teardown)

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")

# The markers docs/plugins.md §13 tells plugin authors to use.  Registered here, by the pytest
# plugin itself, so a plugin's own suite runs without ``PytestUnknownMarkWarning`` and without
# copying placette's pyproject.toml.
MARKERS = {
    "browser": "needs Chromium + Playwright (the browser/page fixtures skip without them; fail "
               "under CI=true)",
    "postgres": "needs PostgreSQL (the postgres fixture skips without it; fails under CI=true)",
    "redis": "needs Redis (the redis_server fixture skips without it; fails under CI=true)",
    "slow": "takes a minute or more (installs, builds, runs another suite); "
            "pytest -m 'not slow' leaves it out",
}


def pytest_configure(config):
    for name, description in MARKERS.items():
        config.addinivalue_line("markers", f"{name}: {description}")


def unavailable(what: str, why: str):
    """Skip locally, fail in CI: a missing service must never silently pass a CI run."""
    message = f"{what} unavailable: {why}"
    if IN_CI:
        pytest.fail(message + " (CI=true: required)", pytrace=False)
    pytest.skip(message)


def postgres_url() -> str | None:
    return os.environ.get("PLACETTE_TEST_DATABASE_URL") or None


def redis_url() -> str | None:
    return os.environ.get("PLACETTE_TEST_REDIS_URL") or None


# -- database -----------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def placette_database_url(tmp_path_factory) -> str:
    """The test database: ``PLACETTE_TEST_DATABASE_URL`` or a SQLite file for the session."""
    url = postgres_url()
    if url:
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"


@pytest.fixture
def placette_plugins() -> list[str]:
    """Plugins activated in the test app.  Override in your conftest or test module."""
    return []


@pytest.fixture
def placette_extra_plugins() -> dict[str, Any]:
    """In-process plugins (``{name: module_or_object}``) for tests of the plugin machinery."""
    return {}


@pytest.fixture
def placette_settings() -> dict[str, Any]:
    """Extra instance settings (same keys as placette.toml)."""
    return {}


@pytest.fixture
def placette_language() -> str:
    """The test instance's default language: ``fr``, the product default.  A suite whose
    assertions read English text overrides it with ``"en"`` (the kernel's own suite does); tests
    of the French default set ``placette_settings`` or users' languages explicitly."""
    return "fr"


@pytest.fixture
def instance_dir(tmp_path) -> Path:
    for sub in ("uploads", "outbox"):
        (tmp_path / sub).mkdir(exist_ok=True)
    return tmp_path


@pytest.fixture
def placette_config(instance_dir, placette_database_url, placette_plugins, placette_settings,
                    placette_language):
    from .config import from_mapping
    data = {"city": "Testville", "secret_key": "test-secret-key-" + "x" * 16,
            "database_url": placette_database_url, "queue_url": "memory://",
            "plugins": list(placette_plugins), "base_url": "http://localhost",
            "default_language": placette_language}
    data.update(placette_settings)
    return from_mapping(instance_dir, data)


@pytest.fixture
def app(placette_config, placette_extra_plugins):
    """A real app (pytest-flask's ``client`` uses it), migrated, wiped after the test.

    The page cache is on, as in production: it answers anonymous requests only, so a signed-in
    client (``sign_in``) always gets its pages rendered."""
    from .app import create_app, migration_sources
    from .db import database
    from .db.migrations import migrate
    from .kernel import registry
    app = create_app(config=placette_config, extra_plugins=placette_extra_plugins,
                     testing=True, check_migrations=False)
    app.config["WTF_CSRF_ENABLED"] = False
    app.config["SERVER_NAME"] = None
    with app.app_context():
        database.connect(reuse_if_open=True)
        migrate(migration_sources(registry()), log=lambda _m: None)
        wipe_database()
    yield app
    with app.app_context():
        database.connect(reuse_if_open=True)
        wipe_database()
        database.close()


@pytest.fixture
def csrf_app(app):
    """The same app with CSRF checks on (to test that forms refuse forged posts).

    It is the ``app`` object itself, not a copy: a test asking for ``csrf_app`` switches the
    checks on for ``client`` too, so every form post in that test must carry the page's
    ``csrf_token`` (a post without it answers 400).  JSON API calls are exempt."""
    app.config["WTF_CSRF_ENABLED"] = True
    return app


# -- people and spaces --------------------------------------------------------------------------

_counter = itertools.count(1)


@pytest.fixture
def make_user(app):
    """``make_user(email=None, name=None, admin=False, member_of=None, role="member",
    password=None, language=None, expires_at=None)`` -- language defaults to the instance's."""
    from .identity.accounts import create_user
    from .kernel import config as current_config
    from .spaces import add_member

    def factory(email: str | None = None, name: str | None = None, admin: bool = False,
                member_of=None, role: str = "member", password: str | None = None,
                language: str | None = None, expires_at: dt.datetime | None = None, phone=None):
        language = language or current_config().default_language
        n = next(_counter)
        user = create_user(email or f"person{n}@example.org", name or f"Person {n}",
                           language=language, password=password, is_admin=admin, phone=phone)
        spaces = member_of if isinstance(member_of, (list, tuple)) else \
            ([member_of] if member_of is not None else [])
        for space in spaces:
            if role == "guest" and expires_at is None:
                expires_at = dt.datetime.utcnow() + dt.timedelta(days=30)
            add_member(space, user, role, expires_at=expires_at)
        return user
    return factory


@pytest.fixture
def make_space(app):
    """``make_space(slug=None, visibility="network", kind="neighbourhood", plugins=(),
    parents=(), name=None, settings=None)`` -- ``plugins`` are enabled in it."""
    from .modules import set_module
    from .spaces import create_space

    def factory(slug: str | None = None, visibility: str = "network",
                kind: str = "neighbourhood", plugins=(), parents=(), name: str | None = None,
                settings: dict[str, dict] | None = None, allow_join_requests: bool = True):
        n = next(_counter)
        slug = slug or f"space-{n}"
        space = create_space(slug, name or slug.replace("-", " ").title(), kind, visibility,
                             parents=list(parents), allow_join_requests=allow_join_requests)
        for plugin in plugins:
            set_module(space, plugin, True, (settings or {}).get(plugin))
        return space
    return factory


@pytest.fixture
def sign_in(client):
    """``sign_in(user)`` puts the user's session in the test client (no e-mail round trip)."""
    def do(user):
        with client.session_transaction() as session:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True
        return user
    return do


@pytest.fixture
def sign_out(client):
    def do():
        with client.session_transaction() as session:
            session.clear()
    return do


@pytest.fixture
def outbox(instance_dir):
    """The mails sent so far, parsed (``outbox()`` re-reads the folder each time)."""
    def read(to: str | None = None) -> list[email.message.EmailMessage]:
        messages = []
        for path in sorted((instance_dir / "outbox").glob("*.eml")):
            message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            if to is None or to.lower() in message["To"].lower():
                messages.append(message)
        return messages
    return read


def mail_text(message) -> str:
    part = message.get_body(preferencelist=("plain",))
    return part.get_content() if part is not None else ""


def mail_html(message) -> str:
    part = message.get_body(preferencelist=("html",))
    return part.get_content() if part is not None else ""


# -- what a plugin did ----------------------------------------------------------------------------

@pytest.fixture
def events(app):
    """``events(name=None)``: the events emitted so far, oldest first, as plain dicts
    (``name``, ``space`` slug, ``resource`` key or None, ``actor`` id, ``data``, ``recipients``)."""
    from peewee import JOIN

    from .models import Event, Resource, Space

    def read(name: str | None = None) -> list[dict[str, Any]]:
        query = (Event.select(Event, Space).join(Space)
                 .switch(Event).join(Resource, JOIN.LEFT_OUTER)
                 .order_by(Event.id))
        if name is not None:
            query = query.where(Event.name == name)
        return [{"name": e.name, "space": e.space.slug,
                 "resource": e.resource.key if e.resource_id else None,
                 "actor": e.actor_id, "data": e.data, "recipients": e.recipients}
                for e in query]
    return read


@pytest.fixture
def demo_city(app):
    """The demo city of ``placette demo``, seeded with the activated plugins (their ``seed_demo``
    hooks included); returns the :class:`placette.DemoCity` they received.  About 1.5 s."""
    from .demo.city import seed
    return seed("demo-password-for-tests", log=lambda _message: None)


@pytest.fixture
def count_queries(app):
    """``count_queries(fn)`` runs ``fn()`` and returns how many SQL statements it sent: assert
    that a page costs the same with 3 rows as with 30."""
    from .db import query_counter

    def run(fn) -> int:
        query_counter.reset()
        fn()
        return query_counter.count
    return run


# -- services -----------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def postgres() -> str:
    """A PostgreSQL URL that answers, or skip (fail under CI)."""
    url = postgres_url() or "postgresql://postgres@127.0.0.1:5432/test"
    try:
        import psycopg2
        psycopg2.connect(url).close()
    except Exception as exc:
        unavailable("PostgreSQL", str(exc).strip().splitlines()[0])
    return url


@pytest.fixture(scope="session")
def redis_server() -> str:
    """A Redis URL that answers, or skip (fail under CI)."""
    url = redis_url() or "redis://127.0.0.1:6379/0"
    try:
        import redis
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except Exception as exc:
        unavailable("Redis", str(exc))
    return url


@pytest.fixture
def redis_queue_name() -> str:
    return f"placette-test-{uuid.uuid4().hex[:10]}"


class ThreadedServer:
    """A real HTTP server on 127.0.0.1 in a thread (no fork: works under any start method)."""

    def __init__(self, app):
        from werkzeug.serving import make_server
        app.config["PLACETTE_KEEP_CONNECTION"] = False
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.port = self.server.server_port
        self.url = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.thread.join(5)


@pytest.fixture
def live_url(app):
    """Serve the test app on a free port for browsers and HTTP clients."""
    with ThreadedServer(app) as server:
        yield server.url


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (no download), or skip (fail under CI)."""
    import shutil
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        unavailable("Chromium", "install Debian's chromium package")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        unavailable("Playwright", str(exc))
    manager = sync_playwright().start()
    try:
        instance = manager.chromium.launch(executable_path=executable, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run",
            "--disable-quic"])
    except Exception as exc:
        manager.stop()
        unavailable("Chromium", str(exc).splitlines()[0])
    yield instance
    instance.close()
    manager.stop()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    yield page
    context.close()


# With scripting off, the HTML parser reads <noscript> content as elements: a synchronous
# probe (page.evaluate itself still works; promises and timers of the page do not).
_SCRIPTING_PROBE = ("(() => { const d = document.createElement('div');"
                    " d.innerHTML = '<noscript><i></i></noscript>';"
                    " return d.querySelector('noscript i') === null; })()")


def axe_violations(page, impact_levels=("serious", "critical")) -> list[dict]:
    """Run axe-core (bundled by axe-playwright-python) on the page; return serious violations.

    axe needs the page's JavaScript (its ``axe.run`` is a promise, settled by timers), so in a
    context opened with ``java_script_enabled=False`` it would wait forever.  There the page's
    HTML as it stands is checked in a fresh JavaScript-enabled context of the same browser, at
    the same address (so styles load as they did) with the page's own scripts refused: what is
    checked is the page a visitor without JavaScript gets."""
    from axe_playwright_python.sync_playwright import Axe
    if page.evaluate(_SCRIPTING_PROBE):
        results = Axe().run(page)
    else:
        results = _axe_on_copy(page, Axe())
    violations = results.response.get("violations", [])
    return [v for v in violations if v.get("impact") in impact_levels]


def _axe_on_copy(page, axe):
    html, url = page.content(), page.url
    size = page.viewport_size
    context = page.context.browser.new_context(java_script_enabled=True,
                                               **({"viewport": size} if size else {}))
    try:
        copy = context.new_page()

        def serve(route):
            request = route.request
            if request.is_navigation_request() and request.url == url:
                route.fulfill(status=200, content_type="text/html; charset=utf-8", body=html)
            elif request.resource_type == "script":
                route.abort()
            else:
                route.continue_()

        copy.route("**/*", serve)
        if url.startswith(("http://", "https://")):
            copy.goto(url)
        else:                                    # a page made with set_content()
            copy.set_content(html)
        return axe.run(copy)
    finally:
        context.close()
