"""``/healthz``: load balancers and the demo wait for ``{"status": "ok"}``."""
from __future__ import annotations

from flask import Blueprint, jsonify

from ..db import database
from ..kernel import current

bp = Blueprint("health", __name__)


@bp.route("/healthz")
def healthz():
    checks = {"database": "ok", "queue": "ok"}
    try:
        database.execute_sql("SELECT 1").fetchone()
    except Exception:
        checks["database"] = "error"
    if not current().queue.ping():
        checks["queue"] = "error"
    ok = all(v == "ok" for v in checks.values())
    response = jsonify({"status": "ok" if ok else "error", "checks": checks})
    response.status_code = 200 if ok else 503
    response.headers["Cache-Control"] = "no-store"
    return response
