"""The WSGI entry point for production servers::

    PLACETTE_INSTANCE=/srv/placette gunicorn --no-control-socket -w 4 "placette.wsgi:app"

The app is built once per worker process from the instance folder named by ``PLACETTE_INSTANCE``
(or the current folder); environment variables override its ``placette.toml`` as everywhere else.
A configuration mistake or pending migrations stop the server with the same one line as the
command line gives -- and exit status 3, which gunicorn reads as "worker failed to boot" and stops
instead of restarting it forever.
"""
from __future__ import annotations

import gc
import sys

from .errors import PlacetteError

BOOT_ERROR = 3  # gunicorn's WORKER_BOOT_ERROR: halt the arbiter


def build():
    """Build the app of ``$PLACETTE_INSTANCE`` (or the current folder), then freeze what it
    made for the garbage collector.

    A worker holds some 127,000 objects once the app is built (routes, templates, plugins,
    translations) and keeps them until it exits.  Each full collection walked them all --
    about 30 ms, spent inside whichever member's request triggered it.  ``gc.freeze()`` moves
    them out of the collector's sight (CPython's advice for a long-running server); the
    garbage of requests is collected as before.
    """
    from .app import create_app
    try:
        app = create_app()
    except PlacetteError as exc:
        print(f"Error: {exc}", file=sys.stderr, flush=True)
        raise SystemExit(BOOT_ERROR) from None
    gc.collect()  # the boot's own garbage goes now, not frozen for the worker's life
    gc.freeze()
    return app


app = build()
