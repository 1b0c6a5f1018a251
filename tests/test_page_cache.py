"""The page cache, from the outside: an anonymous visitor asking a public page again gets it
from the cache; nobody who sent a cookie or a token ever does; a page marked ``no-store`` is
never served twice; and never once is it a page that a change has made wrong.

Each test runs on both stores: in memory with the counter in the database (embedded default),
and Redis (scale-out; needs the Redis server, fails under CI when absent)."""
from __future__ import annotations

import datetime as dt
import logging
import threading
import time

import pytest

from placette.db import utcnow
from placette.models import Space


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
def square(make_space):
    """A public space: what anonymous visitors read."""
    return make_space("place-publique", visibility="public", name="Place publique")


@pytest.fixture
def council(make_space):
    return make_space("quartier-nord", visibility="private", name="Quartier Nord")


@pytest.fixture
def visitor(app):
    """An anonymous browser that keeps no cookie (a feed reader, a crawler, a first visit)."""
    return app.test_client(use_cookies=False)


def _served(cache, client, url, **kwargs):
    """(response, whether it came from the cache)"""
    hits = cache.hits
    response = client.get(url, **kwargs)
    return response, cache.hits > hits


def _rename(space, name):
    Space.update(name=name).where(Space.id == space.id).execute()


def test_a_public_page_asked_again_comes_from_the_cache_until_a_change(visitor, cache, square):
    first, cached = _served(cache, visitor, "/s/place-publique")
    assert first.status_code == 200 and not cached
    again, cached = _served(cache, visitor, "/s/place-publique")
    assert cached and again.get_data() == first.get_data()
    assert again.headers["Content-Type"] == first.headers["Content-Type"]

    _rename(square, "Place de la Mairie")
    after, cached = _served(cache, visitor, "/s/place-publique")
    assert not cached and "Place de la Mairie" in after.get_data(as_text=True)


def test_a_change_committed_elsewhere_shows_at_once(visitor, cache, square):
    """Another thread -- its own connection, like another process -- commits a change."""
    visitor.get("/s/place-publique")
    assert _served(cache, visitor, "/s/place-publique")[1]

    def rename():
        from placette.db import atomic, database
        with database.connection_context(), atomic():
            _rename(square, "Place renommée")
    worker = threading.Thread(target=rename)
    worker.start()
    worker.join()
    page, cached = _served(cache, visitor, "/s/place-publique")
    assert not cached and "Place renommée" in page.get_data(as_text=True)


def test_signed_in_people_always_get_a_page_rendered_for_them(client, cache, council, square,
                                                               make_user, sign_in):
    sign_in(make_user(member_of=council))
    for url in ("/", "/s/quartier-nord", "/s/place-publique", "/s/place-publique",
                "/s/quartier-nord"):
        page, cached = _served(cache, client, url)
        assert page.status_code == 200 and not cached, url


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


def test_a_kept_page_never_reaches_someone_who_sent_a_cookie_or_a_token(app, visitor, cache,
                                                                          square):
    visitor.get("/s/place-publique")
    assert _served(cache, visitor, "/s/place-publique")[1]

    with app.test_client() as browser:  # an anonymous session: a form gave it a CSRF token
        with browser.session_transaction() as session:
            session["csrf_token"] = "a" * 40
        for _ in range(2):
            assert not _served(cache, browser, "/s/place-publique")[1]
    for headers in ({"Cookie": "remember_token=1|abc"}, {"Cookie": "tracker=xyz"},
                    {"Authorization": "Bearer not-a-real-token"}):
        for _ in range(2):  # not even a copy kept for the same cookie or token
            page, cached = _served(cache, visitor, "/s/place-publique", headers=headers)
            assert not cached, headers
    assert _served(cache, visitor, "/s/place-publique")[1]  # the kept page is still there


def test_the_language_cookie_is_anonymous_and_part_of_the_key(visitor, cache, square):
    """The language switcher's cookie names no one: such a visitor gets kept pages, in the
    language they chose -- never the copy kept for another language."""
    default = visitor.get("/s/place-publique").get_data(as_text=True)  # English here
    french, cached = _served(cache, visitor, "/s/place-publique", headers={"Cookie": "lang=fr"})
    assert not cached and french.get_data(as_text=True) != default
    assert 'lang="fr"' in french.get_data(as_text=True) and 'lang="en"' in default
    assert _served(cache, visitor, "/s/place-publique", headers={"Cookie": "lang=fr"})[1]
    again, cached = _served(cache, visitor, "/s/place-publique")
    assert cached and again.get_data(as_text=True) == default


def test_an_answer_marked_no_store_private_or_no_cache_is_never_served_twice(app, visitor,
                                                                             cache):
    """``/healthz`` once said "ok" from the cache while the queue was down."""
    calls = []

    def view(directive):
        def render():
            calls.append(directive)
            return "fresh", 200, {"Cache-Control": directive}
        return render

    directives = ("no-store", "private, max-age=300", "no-cache")
    for n, directive in enumerate(directives):
        app.add_url_rule(f"/test/marked{n}", f"marked{n}", view(directive))
    for n in range(len(directives)):
        for _ in range(3):
            assert not _served(cache, visitor, f"/test/marked{n}")[1]
    assert len(calls) == 9
    for _ in range(3):
        page, cached = _served(cache, visitor, "/healthz")
        assert not cached and page.headers["Cache-Control"] == "no-store"
    for url in ("/api/v1/spaces", "/api/openapi.json"):  # the API is no-store
        assert not any(_served(cache, visitor, url)[1] for _ in range(3)), url


def test_an_answer_that_sets_a_cookie_is_never_kept(app, visitor, cache):
    """A new CSRF token, a flash message, a language choice: each sets a cookie, each must be
    seen -- even by a visitor whose browser does not send it back."""
    from flask import make_response
    served = []

    @app.route("/test/cookie")
    def cookie():
        served.append(1)
        response = make_response(str(len(served)))
        response.set_cookie("seen", "1")
        return response

    assert [visitor.get("/test/cookie").get_data() for _ in range(3)] == [b"1", b"2", b"3"]
    # A rate-limited view (the sign-in form): each attempt must reach the limiter.
    assert not any(_served(cache, visitor, "/auth/sign-in")[1] for _ in range(3))
    assert cache.hits == 0


def test_an_answer_that_varies_on_a_header_left_out_of_the_key_is_not_kept(app, visitor,
                                                                            cache):
    from flask import request

    @app.route("/test/agent")
    def agent():
        return request.headers.get("User-Agent", ""), 200, {"Vary": "User-Agent"}

    first = visitor.get("/test/agent", headers={"User-Agent": "lecteur-a"})
    second, cached = _served(cache, visitor, "/test/agent", headers={"User-Agent": "lecteur-b"})
    assert first.get_data() == b"lecteur-a" and second.get_data() == b"lecteur-b"
    assert not cached


def test_a_flash_message_shows_once(client, cache, make_user, sign_in):
    sign_in(make_user(name="Avant"))
    client.get("/me/")
    response = client.post("/me/", data={"display_name": "Après", "language": "en"},
                           follow_redirects=False)
    assert response.status_code == 302
    shown = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Après" in shown and 'role="status"' in shown
    later = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Après" in later and 'role="status"' not in later


def test_a_feed_reader_gets_304_while_nothing_changed(visitor, cache, square, make_user):
    """ETag and Last-Modified on anonymous answers; ``If-None-Match`` -> 304, from the kept
    copy and also just after rendering it again (a write elsewhere, the same feed)."""
    url = "/s/place-publique/activity.atom"
    feed = visitor.get(url)
    assert feed.status_code == 200 and feed.headers["Cache-Control"] == "public, max-age=300"
    etag, modified = feed.headers["ETag"], feed.headers["Last-Modified"]

    unchanged, cached = _served(cache, visitor, url, headers={"If-None-Match": etag})
    assert cached and unchanged.status_code == 304 and unchanged.get_data() == b""
    assert unchanged.headers["ETag"] == etag and "Content-Type" not in unchanged.headers
    assert modified

    make_user(name="Quelqu'un d'autre")  # a write that the feed does not show
    rendered, cached = _served(cache, visitor, url, headers={"If-None-Match": etag})
    assert not cached and rendered.status_code == 304

    _rename(square, "Place du Marché")
    changed = visitor.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    assert "Place du Marché" in changed.get_data(as_text=True)


def test_if_modified_since_never_hides_a_change_made_within_the_same_second(app, visitor,
                                                                           cache, square):
    """A render time has a one-second grain: against it, If-Modified-Since alone could not tell
    two renders of the same second apart -- only a view's own date is trusted."""
    from flask import make_response

    @app.route("/test/dated")
    def dated():
        response = make_response("daté")
        response.headers["Last-Modified"] = "Tue, 01 Dec 2026 08:00:00 GMT"
        return response

    page = visitor.get("/s/place-publique")
    _rename(square, "Place de la seconde")
    again = visitor.get("/s/place-publique",
                        headers={"If-Modified-Since": page.headers["Last-Modified"]})
    assert again.status_code == 200 and "Place de la seconde" in again.get_data(as_text=True)

    later = {"If-Modified-Since": "Wed, 02 Dec 2026 08:00:00 GMT"}
    rendered, cached = _served(cache, visitor, "/test/dated", headers=later)
    assert rendered.status_code == 304 and not cached
    kept, cached = _served(cache, visitor, "/test/dated", headers=later)
    assert kept.status_code == 304 and cached
    assert kept.headers["Last-Modified"] == "Tue, 01 Dec 2026 08:00:00 GMT"
    assert visitor.get("/test/dated", headers={
        "If-Modified-Since": "Mon, 30 Nov 2026 08:00:00 GMT"}).get_data(as_text=True) == "daté"


def test_a_public_page_answers_304_too(visitor, cache, square):
    page = visitor.get("/s/place-publique")
    again = visitor.get("/s/place-publique", headers={"If-None-Match": page.headers["ETag"]})
    assert again.status_code == 304
    other = visitor.get("/s/place-publique", headers={"If-None-Match": '"something-else"'})
    assert other.status_code == 200 and other.get_data() == page.get_data()


def _break_the_counter(cache, store_kind):
    """Make the next bumps fail for real: a trigger refusing the update, or a Redis value that
    INCR refuses.  Returns how to repair it."""
    if store_kind == "redis":
        client, key = cache.store.client, cache.store.counter.key
        good = client.get(key)
        client.set(key, "pas un nombre")
        return lambda: client.set(key, int(good) + 1)
    from placette.db import database, is_postgres
    if is_postgres():
        database.execute_sql(
            "CREATE OR REPLACE FUNCTION placette_test_refuse() RETURNS trigger AS $$ BEGIN "
            "RAISE EXCEPTION 'refused'; END $$ LANGUAGE plpgsql")
        database.execute_sql("CREATE TRIGGER placette_test_refuse BEFORE UPDATE ON "
                             "placette_change_counter FOR EACH ROW EXECUTE FUNCTION "
                             "placette_test_refuse()")
        return lambda: database.execute_sql(
            "DROP TRIGGER placette_test_refuse ON placette_change_counter")
    database.execute_sql("CREATE TRIGGER placette_test_refuse BEFORE UPDATE ON "
                         "placette_change_counter BEGIN SELECT RAISE(ABORT, 'refused'); END")
    return lambda: database.execute_sql("DROP TRIGGER placette_test_refuse")


def test_a_failed_counter_bump_warns_and_stops_the_cache_until_a_bump_lands(
        app, visitor, cache, square, store_kind, caplog):
    visitor.get("/s/place-publique")
    assert _served(cache, visitor, "/s/place-publique")[1]
    cache.RETRY_SECONDS = 0.2
    with app.app_context():
        repair = _break_the_counter(cache, store_kind)
    try:
        with caplog.at_level(logging.WARNING, logger="placette.page_cache"):
            _rename(square, "Place sans compteur")
        assert any("not bumped" in r.getMessage() for r in caplog.records)

        # The kept copy still matches the counter: it must not be served, nor a new one kept.
        for _ in range(2):
            page, cached = _served(cache, visitor, "/s/place-publique")
            assert not cached and "Place sans compteur" in page.get_data(as_text=True)
    finally:
        with app.app_context():
            repair()
    time.sleep(0.25)
    visitor.get("/s/place-publique")  # retries the bump, which lands: keeping again
    page, cached = _served(cache, visitor, "/s/place-publique")
    assert cached and "Place sans compteur" in page.get_data(as_text=True)


def test_the_cache_can_be_switched_off(instance_dir, placette_config):
    from placette.app import create_app
    placette_config.page_cache.enabled = False
    app = create_app(config=placette_config, testing=True, check_migrations=False)
    assert "placette_page_cache" not in app.extensions


@pytest.mark.parametrize("store_kind", ["redis"], indirect=True)
def test_redis_holds_data_never_code(visitor, cache, square):
    """A kept page is JSON then the body's bytes -- read back as data, never unpickled; a value
    that is not one is ignored and the page rendered."""
    import json
    import pickle
    first = visitor.get("/s/place-publique")
    keys = [k for k in cache.store.client.keys(cache.store.prefix + "*")
            if not k.endswith(b"generation")]
    assert len(keys) == 1
    head, body = cache.store.client.get(keys[0]).split(b"\n", 1)
    assert body == first.get_data() and json.loads(head)["status"] == "200 OK"

    cache.store.client.set(keys[0], pickle.dumps({"status": "200 OK"}))
    page, cached = _served(cache, visitor, "/s/place-publique")
    assert not cached and page.get_data() == first.get_data()


@pytest.mark.parametrize("store_kind", ["redis"], indirect=True)
def test_redis_losing_the_counter_never_serves_an_old_page(visitor, cache, square):
    """Redis restarted without persistence, or evicted the key: the counter starts again above
    every value it had, so a page kept before can never pass for a current one."""
    visitor.get("/s/place-publique")
    assert _served(cache, visitor, "/s/place-publique")[1]
    before = cache.store.counter.read()

    cache.store.client.delete(cache.store.counter.key)
    page, cached = _served(cache, visitor, "/s/place-publique")
    assert page.status_code == 200 and not cached
    assert cache.store.counter.read() > before
    _rename(square, "Place après la panne")
    page, cached = _served(cache, visitor, "/s/place-publique")
    assert not cached and "Place après la panne" in page.get_data(as_text=True)


def test_a_guest_loses_access_at_the_instant(client, council, make_user, sign_in):
    """Signed-in pages are rendered every time: a guest's access ends when it ends, with no
    write, no job and nothing for the page to declare."""
    ends = utcnow() + dt.timedelta(seconds=1.0)
    sign_in(make_user(member_of=council, role="guest", expires_at=ends))
    assert client.get("/s/quartier-nord").status_code == 200
    assert client.get("/s/quartier-nord").status_code == 200
    time.sleep(max(0.0, (ends - utcnow()).total_seconds()) + 0.05)
    assert client.get("/s/quartier-nord").status_code == 404
