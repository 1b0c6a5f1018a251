"""The WSGI entry point for production servers::

    PLACETTE_INSTANCE=/srv/placette gunicorn --no-control-socket -w 4 "placette.wsgi:app"

The app is built once per worker process from the instance folder named by ``PLACETTE_INSTANCE``
(or the current folder); environment variables override its ``placette.toml`` as everywhere else.
A configuration mistake or pending migrations stop the server with the same one line as the
command line gives -- and exit status 3, which gunicorn reads as "worker failed to boot" and stops
instead of restarting it forever.
"""
from __future__ import annotations

import sys

from .errors import PlacetteError

BOOT_ERROR = 3  # gunicorn's WORKER_BOOT_ERROR: halt the arbiter


def build():
    """Build the app of ``$PLACETTE_INSTANCE`` (or the current folder)."""
    from .app import create_app
    try:
        return create_app()
    except PlacetteError as exc:
        print(f"Error: {exc}", file=sys.stderr, flush=True)
        raise SystemExit(BOOT_ERROR) from None


app = build()
