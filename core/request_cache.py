"""Memoise a value for the duration of one request (or app context), so that a page asking the same
question many times -- "is agenda on in this space?", "what are my roles?" -- costs one query."""
from __future__ import annotations

from typing import Any, Callable

from flask import g, has_app_context


def cached(key: tuple, factory: Callable[[], Any]) -> Any:
    if not has_app_context():
        return factory()
    store = g.setdefault("_placette_cache", {})
    if key not in store:
        store[key] = factory()
    return store[key]


# The prefix of decisions derived from other cached values (``permissions.can`` about a space:
# roles, grants, modules, settings): they go whenever anything is forgotten.
DECISIONS = "decisions"


def forget(prefix: str | None = None) -> None:
    """Drop cached values (all, or those whose key starts with ``prefix``) after a write -- and
    with them every kept decision (:data:`DECISIONS`), which may rest on what changed."""
    if not has_app_context():
        return
    store = g.get("_placette_cache")
    if not store:
        return
    if prefix is None:
        store.clear()
        return
    for key in [k for k in store if k and k[0] in (prefix, DECISIONS)]:
        del store[key]


def has(key: tuple) -> bool:
    return has_app_context() and key in g.get("_placette_cache", {})


def put(key: tuple, value: Any) -> None:
    if has_app_context():
        g.setdefault("_placette_cache", {})[key] = value


def get(key: tuple, default: Any = None) -> Any:
    """The value memoised under ``key`` in this request, or ``default`` (nothing computed)."""
    if not has_app_context():
        return default
    return g.get("_placette_cache", {}).get(key, default)
