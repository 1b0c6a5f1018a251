"""The page cache: public pages asked again by anonymous visitors come from memory, like the big
public sites do; signed-in people always get a page rendered for them.

Most of a city's traffic that a cache can help with is anonymous: the public front page, public
spaces, their feeds (and later the showcase), opened again and again by people who never sign
in, by feed readers polling every few minutes, by crawlers.  Signed-in pages are personal
(roles, notifications, guest access that ends at a given instant) and written to by the visit
itself (``last_seen_at``, a token's ``last_used_at``): keeping them cost correctness and
almost never paid off, so they are never kept nor served from here.

**Who gets a kept page.**  Only a ``GET`` without an ``Authorization`` header and without any
cookie but the language choice (:data:`ANONYMOUS_COOKIES`): a session cookie -- even an
anonymous one, after a form handed out a CSRF token -- or a "remember me" cookie or any cookie
the kernel does not know makes the request personal, and it is rendered.

**What is kept.**  A ``200`` answer to such a request that wrote nothing, queued no task, sets
no cookie, was not streamed (downloads), is under ``max_page_kb``, is not marked
``Cache-Control: no-store``, ``private`` or ``no-cache``, does not ``Vary`` on a header the key
leaves out, and does not come from a rate-limited view (each attempt must be counted).  So a
view that must never be kept says so the standard way: ``Cache-Control: no-store``.

**Until when.**  Every committed write anywhere in the instance -- any page, task, CLI
command, in any process -- bumps a shared counter (:mod:`placette.db.changes`); an entry is
good for the counter value it was made under only, and for ``max_age`` seconds at most.  What
changes with the clock alone ("upcoming" meetings, "today" in a month grid) is at most
``max_age`` late for anonymous visitors; that is the whole contract, plugins declare nothing.
If a bump fails, keeping and serving stop in that process (with a warning) until a bump lands.

**Conditional requests.**  Every answer this layer handles for an anonymous visitor carries an
``ETag`` (the view's own, or a digest of the body) and a ``Last-Modified`` (the view's own, or
the moment it was rendered), and ``If-None-Match`` gets a ``304`` -- from a kept copy, or just
after rendering -- so a feed reader polling every few minutes downloads the feed only when it
changed.  ``If-Modified-Since`` alone gets a ``304`` only against a view's own date: a render
time has a one-second grain, and a change and a new render within the same second would
otherwise pass for "not modified".

Storage: a bounded in-memory LRU per process (embedded default), or Redis when ``redis_url`` is
set, so that every web process shares the pages.  Entries are stored as JSON metadata followed
by the body bytes -- never pickle: a value read from Redis is data, never code.
``[page_cache] enabled = false`` turns it off.
"""
from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
from typing import Any, Callable, Iterable, NamedTuple

from werkzeug.datastructures import Headers
from werkzeug.http import (http_date, parse_cookie, parse_date, parse_dict_header, parse_etags,
                           unquote_etag)

from .db import changes

log = logging.getLogger("placette.page_cache")

# Cookies that carry no identity: an anonymous visitor may send them and still get a kept
# page; their values are part of the key.  ``lang`` is the language switcher's choice.
ANONYMOUS_COOKIES = frozenset({"lang"})

# Request headers that no page depends on, left out of the key so that they do not split it:
# browsers send a different Referer and fetch metadata from one click to the next, and a
# reverse proxy adds the client's address.  The conditional headers are answered here.  An
# answer that declares ``Vary`` on one of them is not kept.
IGNORED_HEADERS = frozenset({
    "HTTP_REFERER", "HTTP_USER_AGENT", "HTTP_CACHE_CONTROL", "HTTP_PRAGMA",
    "HTTP_X_FORWARDED_FOR", "HTTP_X_REAL_IP", "HTTP_FORWARDED", "HTTP_X_REQUEST_ID",
    "HTTP_SEC_FETCH_SITE", "HTTP_SEC_FETCH_MODE", "HTTP_SEC_FETCH_USER", "HTTP_SEC_FETCH_DEST",
    "HTTP_SEC_CH_UA", "HTTP_SEC_CH_UA_MOBILE", "HTTP_SEC_CH_UA_PLATFORM",
    "HTTP_UPGRADE_INSECURE_REQUESTS", "HTTP_CONNECTION", "HTTP_KEEP_ALIVE", "HTTP_TE",
    "HTTP_DNT", "HTTP_PRIORITY", "HTTP_COOKIE", "HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE",
})

# Cache-Control directives of an answer that forbid keeping it.
_NOT_KEPT = frozenset({"no-store", "private", "no-cache"})

# Headers a 304 repeats (RFC 9110, 15.4.5).
_NOT_MODIFIED_HEADERS = frozenset({"cache-control", "content-location", "date", "etag",
                                   "expires", "vary", "last-modified"})


class Entry(NamedTuple):
    """A kept answer, and the counter value and moment it is good for."""

    generation: int
    valid_until: float
    status: str
    headers: list[tuple[str, str]]
    body: bytes
    own_date: bool = False  # Last-Modified set by the view (If-Modified-Since may be trusted)

    def to_bytes(self) -> bytes:
        """JSON metadata, a newline, the body: safe to read back from a shared store."""
        meta = {"generation": self.generation, "valid_until": self.valid_until,
                "status": self.status, "headers": [list(h) for h in self.headers],
                "own_date": self.own_date}
        return json.dumps(meta, separators=(",", ":")).encode() + b"\n" + self.body

    @classmethod
    def from_bytes(cls, blob: bytes) -> Entry | None:
        """The entry, or None for anything that is not one (another format, a damaged value)."""
        try:
            head, body = blob.split(b"\n", 1)
            meta = json.loads(head)
            headers = [(str(name), str(value)) for name, value in meta["headers"]]
            return cls(int(meta["generation"]), float(meta["valid_until"]), str(meta["status"]),
                       headers, body, bool(meta.get("own_date")))
        except (ValueError, KeyError, TypeError):
            return None


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
        entry = Entry.from_bytes(blob) if blob is not None else None
        return int(generation), entry

    def keep(self, key: str, entry: Entry, ttl: float) -> None:
        self.client.set(self.prefix + key, entry.to_bytes(), px=max(1, int(ttl * 1000)))

    def clear(self) -> None:
        self.counter.bump()


def is_anonymous(environ: dict) -> bool:
    """No ``Authorization`` and no cookie but :data:`ANONYMOUS_COOKIES`: nobody's own page."""
    if environ.get("HTTP_AUTHORIZATION"):
        return False
    cookie = environ.get("HTTP_COOKIE")
    if not cookie:
        return True
    return set(parse_cookie(cookie)) <= ANONYMOUS_COOKIES


def _cache_control(headers: Iterable[tuple[str, str]]) -> set[str]:
    directives: set[str] = set()
    for name, value in headers:
        if name.lower() == "cache-control":
            directives.update(d.lower() for d in parse_dict_header(value))
    return directives


def _vary(headers: Iterable[tuple[str, str]]) -> set[str]:
    varies: set[str] = set()
    for name, value in headers:
        if name.lower() == "vary":
            varies.update(v.strip().lower() for v in value.split(",") if v.strip())
    return varies


def _refusal(status: str, headers: list[tuple[str, str]]) -> str | None:
    """Why an answer rendered for an anonymous visitor may not be kept (None: it may)."""
    if not status.startswith("200 "):
        return "not a 200"
    if any(name.lower() == "set-cookie" for name, _ in headers):
        return "sets a cookie"
    if _cache_control(headers) & _NOT_KEPT:
        return "Cache-Control forbids it"
    for header in _vary(headers):
        if header == "*":
            return "Vary: *"
        if header in ("cookie", "authorization"):
            continue  # anonymous requests: no cookie but the language's, which is in the key
        if "HTTP_" + header.upper().replace("-", "_") in IGNORED_HEADERS:
            return f"varies on {header}, left out of the key"
    return None


def _with_validators(headers: list[tuple[str, str]], body: bytes,
                     rendered_at: float) -> tuple[list[tuple[str, str]], bool]:
    """The answer's headers with an ``ETag`` and a ``Last-Modified`` (the view's own if set),
    and whether the date is the view's own."""
    names = {name.lower() for name, _ in headers}
    headers = list(headers)
    if "etag" not in names:
        headers.append(("ETag", '"%s"' % hashlib.blake2b(body, digest_size=16).hexdigest()))
    own_date = "last-modified" in names
    if not own_date:
        headers.append(("Last-Modified", http_date(rendered_at)))
    return headers, own_date


def _not_modified(environ: dict, headers: list[tuple[str, str]], own_date: bool) -> bool:
    """The visitor's copy is current: ``If-None-Match`` names this ETag (weak comparison, RFC
    9110 13.1.2); or, without it, ``If-Modified-Since`` is not before the view's own date."""
    found = Headers(headers)
    if "HTTP_IF_NONE_MATCH" in environ:
        etag = found.get("ETag")
        return etag is not None and parse_etags(environ["HTTP_IF_NONE_MATCH"]).contains_weak(
            unquote_etag(etag)[0])
    if own_date and "HTTP_IF_MODIFIED_SINCE" in environ:
        since, modified = parse_date(environ["HTTP_IF_MODIFIED_SINCE"]), \
            parse_date(found.get("Last-Modified"))
        return since is not None and modified is not None and modified <= since
    return False


def _answer(environ, start_response, status: str, headers: list[tuple[str, str]],
            body: bytes, own_date: bool) -> list[bytes]:
    if _not_modified(environ, headers, own_date):
        start_response("304 NOT MODIFIED",
                       [(n, v) for n, v in headers if n.lower() in _NOT_MODIFIED_HEADERS])
        return []
    start_response(status, list(headers))
    return [body]


class PageCacheMiddleware:
    """The WSGI layer: answer anonymous visitors from the store, or let the app answer and keep
    what may be kept.  Every other request goes straight to the app."""

    RETRY_SECONDS = 1.0  # a failed counter: how often a request tries to bump it again

    def __init__(self, app: Callable, store, version: str, max_age: int, max_page_bytes: int,
                 release_connection: Callable[[], None]):
        self.app, self.store, self.version = app, store, version
        self.max_age, self.max_page_bytes = max_age, max_page_bytes
        self.release_connection = release_connection
        self.hits = self.misses = 0
        self.active = True  # the benchmark switches it off to time pages rendered every time
        self._retried_at = 0.0

    def key(self, environ: dict) -> str | None:
        """The entry's key, or None when this request is not one a kept page may answer."""
        if environ.get("REQUEST_METHOD") != "GET" or environ.get("CONTENT_LENGTH") not in \
                (None, "", "0") or not is_anonymous(environ):
            return None
        headers = sorted((name, value) for name, value in environ.items()
                         if name.startswith("HTTP_") and name not in IGNORED_HEADERS)
        cookies = sorted(parse_cookie(environ.get("HTTP_COOKIE", "")).items())
        text = repr((self.version, environ.get("wsgi.url_scheme"), environ.get("SERVER_NAME"),
                     environ.get("SERVER_PORT"), environ.get("SCRIPT_NAME", ""),
                     environ.get("PATH_INFO", ""), environ.get("QUERY_STRING", ""), headers,
                     cookies))
        return hashlib.blake2b(text.encode("utf-8", "surrogateescape"),
                               digest_size=20).hexdigest()

    def counter_trusted(self) -> bool:
        """False while this process's last counter bump failed: a write may have landed that
        kept pages do not know of.  Retries the bump now and then; once it lands, True."""
        counter = self.store.counter
        if getattr(counter, "healthy", True):
            return True
        now = time.monotonic()
        if now - self._retried_at >= self.RETRY_SECONDS:
            self._retried_at = now
            counter.bump()
        return getattr(counter, "healthy", True)

    def __call__(self, environ: dict, start_response):
        key = self.key(environ) if self.active else None
        if key is None or not self.counter_trusted():
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
            return _answer(environ, start_response, entry.status, entry.headers, entry.body,
                           entry.own_date)
        self.misses += 1
        return self._render(environ, start_response, key, generation, now)

    def _render(self, environ, start_response, key, generation, now):
        state = changes.RequestState(now + self.max_age)
        token = changes.current_request.set(state)
        seen: dict[str, Any] = {}

        def capture(status, headers, exc_info=None):
            # Held back until the answer is known: a 304 may replace it.
            seen["status"], seen["headers"] = status, headers
            return lambda data: None  # Flask never calls write(); its body is the iterable

        try:
            result = self.app(environ, capture)
            status, headers = seen.get("status", ""), list(seen.get("headers", []))
            refusal = "streamed" if state.streamed else _refusal(status, headers)
            if refusal is not None:  # not ours to keep or validate: passed on as it is
                state.refuse(refusal)
                start_response(status, headers)
                return result
            body = self._collect(result)
        finally:
            changes.current_request.reset(token)
        headers, own_date = _with_validators(headers, body, now)
        if state.storable and len(body) <= self.max_page_bytes:
            ttl = state.valid_until - time.time()
            if ttl > 0:
                try:
                    self.store.keep(key, Entry(generation, state.valid_until, status, headers,
                                               body, own_date), ttl)
                except Exception:
                    log.warning("page cache store does not answer: page not kept",
                                exc_info=True)
        return _answer(environ, start_response, status, headers, body, own_date)

    @staticmethod
    def _collect(result: Iterable[bytes]) -> bytes:
        try:
            return b"".join(result)
        finally:
            close = getattr(result, "close", None)
            if close is not None:
                close()


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
        if response.is_streamed or response.direct_passthrough:
            changes.current_request.get().streamed = True
        else:
            from .web.limits import is_limited
            view = current_app.view_functions.get(request.endpoint or "")
            if view is not None and is_limited(view):
                changes.refuse_current("rate-limited view")
        return response
