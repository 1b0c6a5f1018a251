"""The page cache: a page asked again, by the same person, is served from memory while nothing
it could show has changed.

Most requests are someone opening a page they (or, for anonymous visitors, anybody) opened a
moment ago, with no change in between.  Rendering it again costs a few milliseconds -- the
session, the person, their roles, a dozen queries, the templates; handing back the bytes kept
from last time costs a tenth of that.  The cache is a WSGI layer around the Flask app.

**Never a wrong page.**  An entry is served only when all of these hold:

* same request: method GET, same URL (host and query string included), same ``Cookie`` and
  ``Authorization`` headers -- so one person's page never reaches another -- and the same other
  headers, except a few that no page reads (:data:`IGNORED_HEADERS`);
* same code and configuration (placette, plugins and their versions, ``placette.toml``);
* nothing written since: every committed write anywhere in the instance -- any page, task, CLI
  command, in any process -- bumps a shared counter (:mod:`placette.db.changes`), and an entry
  is good for the counter value it was made under only;
* not past its end: at most ``max_age`` seconds, and never past a time the page declared it
  would change -- the moment the viewer's guest access ends (``roles_of`` declares it), or
  any plugin's :func:`page_changes_at`.

**Only pages that can be kept are kept:** a 200 answer to a GET that wrote nothing, queued no
task, set no cookie (a flash message shown, a sign-in, a new CSRF token all set one), was not
streamed (downloads) and is under ``max_page_kb``; a view can opt out with
:func:`no_page_cache`.  Rate-limited views are never kept (each attempt must be counted).

Storage: a bounded in-memory LRU per process (embedded default), or Redis when ``redis_url`` is
set, so that every web process shares the pages.  ``[page_cache] enabled = false`` turns it off.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import logging
import pickle
import threading
import time
from typing import Any, Callable, Iterable, NamedTuple

from .db import changes, utcnow

log = logging.getLogger("placette.page_cache")

# Request headers that no page depends on, left out of the key so that they do not split it:
# browsers send a different Referer and fetch metadata from one click to the next, and a
# reverse proxy adds the client's address.  A view whose answer does depend on one of them
# calls no_page_cache().
IGNORED_HEADERS = frozenset({
    "HTTP_REFERER", "HTTP_USER_AGENT", "HTTP_CACHE_CONTROL", "HTTP_PRAGMA",
    "HTTP_X_FORWARDED_FOR", "HTTP_X_REAL_IP", "HTTP_FORWARDED", "HTTP_X_REQUEST_ID",
    "HTTP_SEC_FETCH_SITE", "HTTP_SEC_FETCH_MODE", "HTTP_SEC_FETCH_USER", "HTTP_SEC_FETCH_DEST",
    "HTTP_UPGRADE_INSECURE_REQUESTS", "HTTP_CONNECTION", "HTTP_KEEP_ALIVE", "HTTP_TE",
    "HTTP_DNT", "HTTP_PRIORITY",
})


def no_page_cache() -> None:
    """Facade: this request's answer must not be kept (it depends on something the cache does
    not see -- the time of day to the second, a header it ignores, an outside service)."""
    changes.refuse_current("asked by the view")


def page_changes_at(when: dt.datetime | None) -> None:
    """Facade: this page will read differently at ``when`` (naive UTC, like ``utcnow()``) with
    no write in between -- a vote closing, an access ending.  The kept copy ends then."""
    state = changes.current_request.get()
    if state is None or when is None:
        return
    seconds = (when - utcnow()).total_seconds()
    state.valid_until = min(state.valid_until, time.time() + seconds)


class Entry(NamedTuple):
    """A kept answer, and the counter value and moment it is good for."""

    generation: int
    valid_until: float
    status: str
    headers: list[tuple[str, str]]
    body: bytes


class MemoryStore:
    """Pages of this process, least recently used dropped first, bounded in bytes (cachetools'
    LRU weighs each entry by its size; a count bound would let big pages take gigabytes)."""

    def __init__(self, counter: changes.ChangeCounter, max_bytes: int):
        from cachetools import LRUCache
        self.counter = counter
        self._entries = LRUCache(maxsize=max_bytes, getsizeof=lambda e: len(e.body) + 512)
        self._lock = threading.Lock()  # cachetools caches are not thread-safe

    def fetch(self, key: str) -> tuple[int | None, Entry | None]:
        generation = self.counter.read()
        with self._lock:
            return generation, self._entries.get(key)

    def keep(self, key: str, entry: Entry, ttl: float) -> None:
        with self._lock:
            try:
                self._entries[key] = entry
            except ValueError:  # larger than the whole store
                pass

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


class RedisStore:
    """Pages shared by every web process, in Redis; the counter is a key beside them, read in
    the same round trip."""

    def __init__(self, client: Any, prefix: str):
        self.client, self.prefix = client, prefix
        self.counter = changes.RedisChangeCounter(client, prefix + "generation")

    def fetch(self, key: str) -> tuple[int | None, Entry | None]:
        generation, blob = self.client.mget(self.counter.key, self.prefix + key)
        if generation is None:  # first start, or Redis lost the key: neither serve nor keep
            self.counter.start()
            return None, None
        entry = None
        if blob is not None:
            try:
                entry = pickle.loads(blob)  # written by this instance's processes only
            except Exception:
                entry = None
        return int(generation or 0), entry

    def keep(self, key: str, entry: Entry, ttl: float) -> None:
        self.client.set(self.prefix + key, pickle.dumps(entry, pickle.HIGHEST_PROTOCOL),
                        px=max(1, int(ttl * 1000)))

    def clear(self) -> None:
        self.counter.bump()


class PageCacheMiddleware:
    """The WSGI layer: answer from the store, or let the app answer and keep what may be kept."""

    def __init__(self, app: Callable, store, version: str, max_age: int, max_page_bytes: int,
                 release_connection: Callable[[], None]):
        self.app, self.store, self.version = app, store, version
        self.max_age, self.max_page_bytes = max_age, max_page_bytes
        self.release_connection = release_connection
        self.hits = self.misses = 0
        self.active = True  # the benchmark switches it off to time pages rendered every time

    def key(self, environ: dict) -> str | None:
        if environ.get("REQUEST_METHOD") != "GET" or environ.get("CONTENT_LENGTH") not in \
                (None, "", "0"):
            return None
        headers = sorted((name, value) for name, value in environ.items()
                         if name.startswith("HTTP_") and name not in IGNORED_HEADERS)
        text = repr((self.version, environ.get("wsgi.url_scheme"), environ.get("SERVER_NAME"),
                     environ.get("SERVER_PORT"), environ.get("SCRIPT_NAME", ""),
                     environ.get("PATH_INFO", ""), environ.get("QUERY_STRING", ""), headers))
        return hashlib.blake2b(text.encode("utf-8", "surrogateescape"),
                               digest_size=20).hexdigest()

    def __call__(self, environ: dict, start_response):
        key = self.key(environ) if self.active else None
        if key is None:
            return self.app(environ, start_response)
        try:
            generation, entry = self.store.fetch(key)
        except Exception:
            log.warning("page cache store does not answer: serving without it", exc_info=True)
            return self.app(environ, start_response)
        if generation is None:  # no counter to trust: neither serve nor keep
            return self.app(environ, start_response)
        now = time.time()
        if entry is not None and entry.generation == generation and now < entry.valid_until:
            self.hits += 1
            self.release_connection()
            start_response(entry.status, list(entry.headers))
            return [entry.body]
        self.misses += 1
        return self._render(environ, start_response, key, generation, now)

    def _render(self, environ, start_response, key, generation, now):
        state = changes.RequestState(now + self.max_age)
        token = changes.current_request.set(state)
        seen: dict[str, Any] = {}

        def capture(status, headers, exc_info=None):
            seen["status"], seen["headers"] = status, headers
            return start_response(status, headers, exc_info)

        try:
            result = self.app(environ, capture)
        finally:
            changes.current_request.reset(token)
        if not (state.storable and seen.get("status", "").startswith("200 ")
                and not any(name.lower() == "set-cookie" for name, _ in seen["headers"])):
            return result
        return self._keep(key, generation, state, seen, result)

    def _keep(self, key, generation, state, seen, result: Iterable[bytes]):
        try:
            body = b"".join(result)
        finally:
            close = getattr(result, "close", None)
            if close is not None:
                close()
        ttl = state.valid_until - time.time()
        if ttl > 0 and len(body) <= self.max_page_bytes:
            try:
                self.store.keep(key, Entry(generation, state.valid_until, seen["status"],
                                           list(seen["headers"]), body), ttl)
            except Exception:
                log.warning("page cache store does not answer: page not kept", exc_info=True)
        return [body]


def install(app, config, registry, db) -> PageCacheMiddleware | None:
    """Set the change counter on the database and wrap ``app.wsgi_app`` (when enabled)."""
    settings = config.page_cache
    if not settings.enabled:
        return None
    if config.redis_url:
        import redis
        client = redis.Redis.from_url(config.redis_url, socket_timeout=2)
        store = RedisStore(client, f"{config.queue_name}:page_cache:")
    else:
        store = MemoryStore(changes.SqlChangeCounter(db, db.raw_execute_sql),
                            settings.memory_mb * 1024 * 1024)
    db.change_counter = store.counter
    middleware = PageCacheMiddleware(app.wsgi_app, store, _version(config, registry),
                                     settings.max_age, settings.max_page_kb * 1024,
                                     _connection_releaser(app))
    app.wsgi_app = middleware
    app.extensions["placette_page_cache"] = middleware
    _refuse_what_cannot_be_kept(app)
    return middleware


def _version(config, registry) -> str:
    """Code and configuration in one digest: a new release or a changed ``placette.toml``
    never reads pages kept by the old one (in Redis, they outlive a restart)."""
    from .version import __version__
    plugins = sorted((name, getattr(info.manifest, "version", ""), info.distribution)
                     for name, info in registry.plugins.items())
    text = repr((__version__, plugins, config.model_dump_json()))
    return hashlib.blake2b(text.encode(), digest_size=12).hexdigest()


def _connection_releaser(app) -> Callable[[], None]:
    """After a hit no Flask teardown runs: hand a PostgreSQL connection back to its pool (SQLite
    keeps its per-thread connection open, as the app's own teardown does)."""
    from .db import database, is_postgres

    def release() -> None:
        if (is_postgres() or app.config.get("PLACETTE_CLOSE_SQLITE")) \
                and not database.is_closed() and not app.config.get("PLACETTE_KEEP_CONNECTION"):
            database.close()
    return release


def _refuse_what_cannot_be_kept(app) -> None:
    from flask import current_app, request

    @app.after_request
    def refuse_unkeepable(response):
        if changes.current_request.get() is None:
            return response
        if response.status_code != 200:
            changes.refuse_current("not a 200")
        elif response.is_streamed or response.direct_passthrough:
            changes.refuse_current("streamed")
        else:
            from .web.limits import is_limited
            view = current_app.view_functions.get(request.endpoint or "")
            if view is not None and is_limited(view):
                changes.refuse_current("rate-limited view")
        return response
