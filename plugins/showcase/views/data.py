"""Feeds and open data: ``/vitrine/feed.atom``, ``/vitrine/<space>/feed.atom``,
``/vitrine/data/`` and its files."""
from __future__ import annotations

import json

import placette
from flask import abort, current_app, render_template

from .. import exports, feeds, public
from . import public_bp


def _json(payload, mimetype="application/json"):
    # Compact: Python's C encoder only serves calls without ``indent`` (an indented dataset
    # went through the pure-Python one, three times slower than building it).
    return current_app.response_class(
        json.dumps(payload, ensure_ascii=False, separators=(",", ":")), mimetype=mimetype)


def _feed(space):
    body, newest = feeds.atom(space, str(placette.current_locale()))
    response = current_app.response_class(body, mimetype="application/atom+xml")
    if newest is not None:
        response.last_modified = newest
    return response


@public_bp.route("/feed.atom")
def feed():
    return _feed(None)


@public_bp.route("/<space>/feed.atom")
def council_feed(space):
    found = public.space_named(space)
    if found is None:
        abort(404)
    return _feed(found)


@public_bp.route("/data/")
def data_index():
    return render_template("showcase/data.html", datasets=exports.DATASET_TITLES,
                           licence=exports.licence(), schemas={
                               name: exports.schema(name) for name in exports.DATASET_TITLES})


def _dataset(dataset: str) -> str:
    if dataset not in placette.SHOWCASE_DATASETS:
        abort(404)
    return dataset


@public_bp.route("/data/<dataset>.json")
def data_json(dataset):
    return current_app.response_class(exports.as_json_text(_dataset(dataset)),
                                      mimetype="application/json")


@public_bp.route("/data/<dataset>.schema.json")
def data_schema(dataset):
    return _json(exports.schema(_dataset(dataset)), "application/schema+json")


@public_bp.route("/data/<dataset>.csv")
def data_csv(dataset):
    response = current_app.response_class(exports.as_csv(_dataset(dataset)),
                                          mimetype="text/csv")
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = f'inline; filename="{dataset}.csv"'
    return response


@public_bp.route("/data/catalog.jsonld")
def catalog():
    return _json(exports.catalog(), "application/ld+json")
