"""The WSGI entry point for production servers::

    PLACETTE_INSTANCE=/srv/placette gunicorn --no-control-socket -w 4 "placette.wsgi:app"

The app is built once per worker process from the instance folder named by ``PLACETTE_INSTANCE``
(environment variables override its ``placette.toml`` as everywhere else).  It refuses to start
with pending migrations -- run ``placette migrate`` first -- and a configuration mistake prints one
line naming the key and the file instead of a traceback in the server's log.
"""
from __future__ import annotations

import sys

from .app import create_app
from .errors import PlacetteError


def build():
    """Build the app of ``$PLACETTE_INSTANCE`` (or the current folder)."""
    try:
        return create_app()
    except PlacetteError as exc:
        print(f"Error: {exc}", file=sys.stderr, flush=True)
        raise SystemExit(2) from None


app = build()
