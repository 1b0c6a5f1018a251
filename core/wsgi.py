"""The WSGI entry point for production servers: ``gunicorn "placette.wsgi:app"``.

The instance comes from ``PLACETTE_INSTANCE`` (or the current folder), configuration overrides
from the environment, like every ``placette`` command.  A configuration mistake or pending
migrations stop the server with the same one line as the command line gives -- and exit status
3, which gunicorn reads as "worker failed to boot" and stops instead of restarting it forever.
"""
from __future__ import annotations

import sys

from .errors import PlacetteError

BOOT_ERROR = 3  # gunicorn's WORKER_BOOT_ERROR: halt the arbiter


def _build():
    from .app import create_app
    try:
        return create_app()
    except PlacetteError as exc:
        print(f"Error: {exc}", file=sys.stderr, flush=True)
        raise SystemExit(BOOT_ERROR) from None


app = _build()
