"""``/api/openapi.json`` (the one document, plugins included) and a small human page about it."""
from __future__ import annotations

from flask import Blueprint, jsonify, render_template

from ..kernel import current

bp = Blueprint("api_pages", __name__)


@bp.route("/api/openapi.json")
def openapi():
    return jsonify(current().services["openapi"])


@bp.route("/api/")
def api_home():
    document = current().services["openapi"]
    return render_template("api.html", paths=document["paths"])
