"""A part of the site stops answering for a moment -- PostgreSQL restarting, the queue's Redis
restarting -- and people get a brief 503 with ``Retry-After``, never a 500; the site recovers
by itself (no restart of placette); nothing acknowledged is lost.

Real servers only: the PostgreSQL outage is the server ending this test database's connections
(what a restart does to them, without restarting a server other suites use) and a port where
nothing listens; the Redis outage is a private ``redis-server`` stopped and started again.
"""
from __future__ import annotations

import shutil
import socket
import subprocess
import time

import pytest

PASSWORD = "a-long-password-1"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def end_connections_of_this_database(url: str) -> int:
    """What a PostgreSQL restart does to the site's pooled connections, for this database only."""
    import psycopg2
    connection = psycopg2.connect(url)
    connection.autocommit = True
    try:
        cursor = connection.cursor()
        cursor.execute("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                       "WHERE datname = current_database() AND pid <> pg_backend_pid()")
        return cursor.fetchone()[0]
    finally:
        connection.close()


@pytest.mark.postgres
def test_postgresql_gone_then_back_gives_a_brief_503_and_recovers_alone(
        app, client, make_space, make_user, sign_in, postgres, placette_database_url):
    if not placette_database_url.startswith("postgres"):
        pytest.skip("needs the suite on PostgreSQL (PLACETTE_TEST_DATABASE_URL)")
    from placette.db import database
    space = make_space("quartier-nord", "public", name="Conseil Nord")
    sign_in(make_user(member_of=space))  # signed in: every page is built, none from a cache
    assert client.get("/s/quartier-nord").status_code == 200
    assert client.get("/api/v1/spaces").status_code == 200

    # The server drops every connection (a restart): the pool checks a connection before
    # handing it out, so the next request opens a fresh one -- no error, no restart.
    assert end_connections_of_this_database(placette_database_url) >= 1
    assert client.get("/s/quartier-nord").status_code == 200

    # While the server refuses connections (down, or starting up), every request is a 503.
    pool = database.obj
    real_port = pool.connect_params["port"]
    pool.close_idle()
    pool.connect_params["port"] = free_port()  # nothing listens there: connection refused
    try:
        api = client.get("/api/v1/spaces")
        assert api.status_code == 503 and api.headers["Retry-After"] == "2"
        assert api.get_json()["error"]["code"] == "unavailable"
        html = client.get("/s/quartier-nord", headers={"Accept-Language": "fr"})
        assert html.status_code == 503 and html.headers["Retry-After"] == "2"
        # A query that opens its connection itself (a space loaded before the request's own
        # connect) gets peewee's error wrapped twice: still recognised, still a 503.
        from placette.db import is_unavailable
        with app.app_context():
            if not database.is_closed():
                database.close()
            with pytest.raises(Exception) as raised:
                database.execute_sql("SELECT 1")
            assert is_unavailable(raised.value)
    finally:
        pool.connect_params["port"] = real_port
    assert client.get("/api/v1/spaces").status_code == 200


@pytest.fixture
def private_redis():
    """A redis-server of this test's own, on a free port: stopped and started at will."""
    from placette.testing import unavailable
    binary = shutil.which("redis-server")
    if binary is None:
        unavailable("redis-server", "not installed")  # skip locally, fail under CI=true
    port = free_port()
    processes = []

    def start():
        process = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1",
                                    "--save", "", "--appendonly", "no"],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        processes.append(process)
        for _ in range(100):
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", port)) == 0:
                    return
            time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop():
        for process in processes:
            if process.poll() is None:
                process.terminate()
                process.wait(10)

    start()
    yield {"url": f"redis://127.0.0.1:{port}/0", "start": start, "stop": stop}
    stop()


def test_a_mail_queued_while_redis_restarts_is_kept_and_sent_when_it_is_back(
        placette_config, private_redis, outbox):
    """The sign-in link is asked for while the queue's Redis restarts: the person is told the
    link is on its way (not an error page: asking again would mail twice), the mail waits in
    the database, and goes out once the queue answers again."""
    from placette.app import create_app, migration_sources
    from placette.db import database
    from placette.db.migrations import migrate
    from placette.identity.accounts import create_user
    from placette.kernel import current
    from placette.models import PendingTask
    from placette.testing import mail_text, wipe_database

    placette_config.queue_url = private_redis["url"]
    app = create_app(config=placette_config, check_migrations=False, immediate_tasks=False)
    app.config["WTF_CSRF_ENABLED"] = False
    with app.app_context():
        database.connect(reuse_if_open=True)
        migrate(migration_sources(current().registry), log=lambda _m: None)
        wipe_database()
        create_user("martine@example.org", "Martine")
        database.close()
    try:
        client = app.test_client()
        private_redis["stop"]()
        page = client.post("/auth/sign-in", data={"email": "martine@example.org"})
        assert page.status_code == 200, page.get_data(as_text=True)[:500]
        with app.app_context(), database.connection_context():
            kept = list(PendingTask.select())
            assert [t.name for t in kept] == ["placette.mail.deliver"]

            queue = current().queue
            assert queue.resend_pending() == 0  # still down: kept for the next minute
            assert PendingTask.select().count() == 1

            private_redis["start"]()
            assert queue.resend_pending() == 1
            assert PendingTask.select().count() == 0
            assert queue.resend_pending() == 0  # sent once, not twice
            queue.huey.execute(queue.huey.dequeue())
        mails = outbox("martine@example.org")
        assert len(mails) == 1 and "/auth/link/" in mail_text(mails[0])
    finally:
        with app.app_context():
            database.connect(reuse_if_open=True)
            wipe_database()
            database.close()


def test_a_request_that_needs_redis_while_it_is_down_is_a_503_not_a_500(
        placette_config, private_redis):
    """Sign-in rate limits count in Redis: while it restarts, the form answers 503 with
    Retry-After (nothing happened, sending again is safe), and works again after."""
    from placette.app import create_app, migration_sources
    from placette.db import database
    from placette.db.migrations import migrate
    from placette.kernel import current
    from placette.testing import wipe_database

    placette_config.redis_url = private_redis["url"]
    placette_config.queue_url = private_redis["url"]
    app = create_app(config=placette_config, check_migrations=False, immediate_tasks=False)
    app.config["WTF_CSRF_ENABLED"] = False
    with app.app_context():
        database.connect(reuse_if_open=True)
        migrate(migration_sources(current().registry), log=lambda _m: None)
        wipe_database()
        database.close()
    client = app.test_client()
    try:
        private_redis["stop"]()
        page = client.post("/auth/sign-in", data={"email": "nobody@example.org"})
        assert page.status_code == 503 and page.headers["Retry-After"] == "2"
        private_redis["start"]()
        assert client.post("/auth/sign-in",
                           data={"email": "nobody@example.org"}).status_code == 200
    finally:
        with app.app_context():
            database.connect(reuse_if_open=True)
            wipe_database()
            database.close()
