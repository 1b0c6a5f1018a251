"""The page cache, from the outside: a page asked again comes from the cache, and never once
is it a page someone should not see or one that a change has made wrong.

Each test runs on both stores: in memory with the counter in the database (embedded default),
and Redis (scale-out; needs the Redis server, fails under CI when absent)."""
from __future__ import annotations

import datetime as dt
import threading
import time

import pytest

from placette.db import utcnow
from placette.models import ApiToken, Membership, Space


@pytest.fixture(params=["memory", "redis"])
def store_kind(request):
    if request.param == "redis":
        request.getfixturevalue("redis_server")
    return request.param


@pytest.fixture
def placette_settings(store_kind, request):
    if store_kind == "redis":
        return {"redis_url": request.getfixturevalue("redis_server"),
                "queue_name": request.getfixturevalue("redis_queue_name")}
    return {}


@pytest.fixture
def cache(app):
    return app.extensions["placette_page_cache"]


@pytest.fixture
def council(make_space):
    return make_space("quartier-nord", visibility="private", name="Quartier Nord")


def _served(cache, client, url, **kwargs):
    """(response, whether it came from the cache)"""
    hits = cache.hits
    response = client.get(url, **kwargs)
    return response, cache.hits > hits


def test_a_page_asked_again_comes_from_the_cache_until_a_change(client, cache, council,
                                                                make_user, sign_in):
    sign_in(make_user(member_of=council))
    client.get("/")  # the first visit of the hour records last_seen_at: a write, not kept
    first, cached = _served(cache, client, "/s/quartier-nord")
    assert first.status_code == 200 and not cached
    again, cached = _served(cache, client, "/s/quartier-nord")
    assert cached and again.get_data() == first.get_data()
    assert again.headers["Content-Type"] == first.headers["Content-Type"]

    Space.update(name="Quartier Nord-Est").where(Space.id == council.id).execute()
    after, cached = _served(cache, client, "/s/quartier-nord")
    assert not cached and "Quartier Nord-Est" in after.get_data(as_text=True)


def test_a_change_committed_elsewhere_shows_at_once(client, cache, council, make_user, sign_in):
    """Another thread -- its own connection, like another process -- commits a change."""
    sign_in(make_user(member_of=council))
    client.get("/")
    client.get("/s/quartier-nord")
    assert _served(cache, client, "/s/quartier-nord")[1]

    def rename():
        from placette.db import atomic, database
        with database.connection_context(), atomic():
            Space.update(name="Nord renommé").where(Space.id == council.id).execute()
    worker = threading.Thread(target=rename)
    worker.start()
    worker.join()
    page, cached = _served(cache, client, "/s/quartier-nord")
    assert not cached and "Nord renommé" in page.get_data(as_text=True)


def test_one_persons_page_never_reaches_another(app, cache, council, make_user):
    alice = make_user(name="Alice Martin", member_of=council)
    bruno = make_user(name="Bruno Petit")
    pages = {}
    for person in (alice, bruno, alice, bruno):
        with app.test_client() as browser:
            with browser.session_transaction() as session:
                session["_user_id"] = person.get_id()
            pages.setdefault(person.display_name, []).append(browser.get("/"))
            home = browser.get("/s/quartier-nord")
            assert home.status_code == (200 if person is alice else 404)
    for name, responses in pages.items():
        for response in responses:
            text = response.get_data(as_text=True)
            assert name in text
            assert ({"Alice Martin", "Bruno Petit"} - {name}).pop() not in text
    with app.test_client() as anonymous:
        assert anonymous.get("/s/quartier-nord").status_code == 404
        assert "Alice Martin" not in anonymous.get("/").get_data(as_text=True)


def test_a_guest_loses_access_at_the_instant_even_from_the_cache(client, cache, council,
                                                                  make_user, sign_in):
    """The kept copy of a guest's page ends when their access does; no write, no job."""
    ends = utcnow() + dt.timedelta(seconds=1.5)
    sign_in(make_user(member_of=council, role="guest", expires_at=ends))
    client.get("/")
    client.get("/s/quartier-nord")
    page, cached = _served(cache, client, "/s/quartier-nord")
    assert page.status_code == 200 and cached
    time.sleep(max(0.0, (ends - utcnow()).total_seconds()) + 0.05)
    assert client.get("/s/quartier-nord").status_code == 404


def test_a_revoked_token_stops_working_at_once(client, cache, make_user, app):
    from placette.identity.tokens import create_token
    with app.app_context():
        token = create_token(make_user(email="script@example.org"), "export")
    auth = {"Authorization": f"Bearer {token}"}
    client.get("/api/v1/me", headers=auth)  # records last_used_at: not kept
    me, _ = _served(cache, client, "/api/v1/me", headers=auth)
    again, cached = _served(cache, client, "/api/v1/me", headers=auth)
    assert cached and again.get_json()["email"] == "script@example.org"
    ApiToken.update(revoked_at=utcnow()).execute()
    refused = client.get("/api/v1/me", headers=auth)
    assert refused.status_code == 401
    assert refused.get_json()["error"]["code"] == "invalid_token"


def test_pages_that_set_a_cookie_or_wrote_are_not_kept(client, cache, council, make_user,
                                                       sign_in):
    # A rate-limited view (the sign-in form): each attempt must reach the limiter.
    assert not any(_served(cache, client, "/auth/sign-in")[1] for _ in range(3))
    member = make_user(member_of=council)
    sign_in(member)
    first, cached = _served(cache, client, "/")  # wrote last_seen_at
    assert not cached
    assert Membership.select().where(Membership.user == member.id).count() == 1
    again, cached = _served(cache, client, "/")
    assert not cached  # the first one, which wrote, was not kept: this is the first kept
    assert _served(cache, client, "/")[1]



def test_an_answer_that_sets_a_cookie_is_never_kept(app, client, cache):
    """A new CSRF token, a flash message, a sign-in: each sets a cookie, each must be seen."""
    from flask import session

    @app.route("/test/counter")
    def counter():
        session["visits"] = session.get("visits", 0) + 1
        return str(session["visits"])

    assert [client.get("/test/counter").get_data() for _ in range(3)] == [b"1", b"2", b"3"]
    assert cache.hits == 0


def test_a_flash_message_shows_once(client, cache, make_user, sign_in):
    sign_in(make_user(name="Avant"))
    client.get("/")
    client.get("/me/")
    client.get("/me/")
    response = client.post("/me/", data={"display_name": "Après", "language": "en"},
                           follow_redirects=False)
    assert response.status_code == 302
    shown = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Après" in shown and 'role="status"' in shown
    later = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Après" in later and 'role="status"' not in later


def test_a_view_can_refuse_the_cache_and_say_when_it_changes(app, client, cache):
    import placette
    calls = []

    @app.route("/test/no-cache")
    def uncached():
        placette.no_page_cache()
        calls.append(1)
        return "fresh"

    @app.route("/test/short")
    def short():
        placette.page_changes_at(utcnow() + dt.timedelta(seconds=0.3))
        calls.append(2)
        return "short"

    for _ in range(3):
        assert client.get("/test/no-cache").get_data() == b"fresh"
    assert calls.count(1) == 3
    client.get("/test/short")
    assert _served(cache, client, "/test/short")[1]
    time.sleep(0.35)
    assert not _served(cache, client, "/test/short")[1]


def test_the_cache_can_be_switched_off(instance_dir, placette_config):
    from placette.app import create_app
    placette_config.page_cache.enabled = False
    app = create_app(config=placette_config, testing=True, check_migrations=False)
    assert "placette_page_cache" not in app.extensions


@pytest.mark.parametrize("store_kind", ["redis"], indirect=True)
def test_redis_losing_the_counter_never_serves_an_old_page(client, cache, council, make_user,
                                                            sign_in):
    """Redis restarted without persistence, or evicted the key: the counter starts again above
    every value it had, so a page kept before can never pass for a current one."""
    sign_in(make_user(member_of=council))
    client.get("/")
    client.get("/s/quartier-nord")
    assert _served(cache, client, "/s/quartier-nord")[1]
    before = cache.store.counter.read()

    cache.store.client.delete(cache.store.counter.key)
    page, cached = _served(cache, client, "/s/quartier-nord")
    assert page.status_code == 200 and not cached
    assert cache.store.counter.read() > before
    Space.update(name="Nord après la panne").where(Space.id == council.id).execute()
    page, cached = _served(cache, client, "/s/quartier-nord")
    assert not cached and "Nord après la panne" in page.get_data(as_text=True)
