"""What every kernel command shares: the ``--instance`` option and the instance's app context."""
from __future__ import annotations

import functools
from pathlib import Path

import click

instance_option = click.option(
    "--instance", "instance", envvar="PLACETTE_INSTANCE", default=None,
    type=click.Path(file_okay=False, path_type=Path),
    help="Instance folder (default: $PLACETTE_INSTANCE or the current folder).")


def app_context(instance, check_migrations: bool = True):
    """Build the instance's app, then enter its app context with an open database connection.

    A database that does not answer becomes one line naming ``database_url`` and the file.
    """
    import contextlib

    from ..config import load
    config = load(instance)  # first, and cheap: a wrong key is reported before heavy imports

    import peewee

    from ..app import create_app
    from ..db import database, unreachable
    app = create_app(config=config, check_migrations=check_migrations)
    stack = contextlib.ExitStack()
    stack.enter_context(app.app_context())
    try:
        stack.enter_context(database.connection_context())
    except peewee.DatabaseError as exc:
        stack.close()
        raise unreachable(app.extensions["placette"].config, exc) from None
    return app, stack


def with_app(check_migrations: bool = True):
    """Decorator: build the instance's app and run the command inside its app context."""
    def decorator(fn):
        @instance_option
        @functools.wraps(fn)
        def wrapper(instance, **kwargs):
            app, stack = app_context(instance, check_migrations)
            with stack:
                return fn(app=app, **kwargs)
        return wrapper
    return decorator
