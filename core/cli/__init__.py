"""The ``placette`` command line.  Every command takes ``--instance DIR`` (or PLACETTE_INSTANCE).

Errors an operator can fix (a wrong key in placette.toml, a missing plugin, pending migrations)
print one line starting with ``Error:`` and exit with status 2 -- never a traceback.

Each area of the kernel declares its commands in its own module here (``instance``,
``migrations``, ``worker``, ``accounts``, ``plugins``, ``spaces``, ``assets``, ``data``,
``search``); ``root`` gathers them, with the plugins' commands, under the ``placette`` group.
"""
from __future__ import annotations

import sys

import click

from ..errors import PlacetteError
from .root import cli

__all__ = ["cli", "main"]


def _split_instance(args: list[str]) -> tuple[str | None, list[str]]:
    """Take ``--instance DIR`` / ``--instance=DIR`` out of a command line."""
    rest, found, skip = [], None, False
    for index, arg in enumerate(args):
        if skip:
            skip = False
            continue
        if arg == "--instance" and index + 1 < len(args):
            found, skip = args[index + 1], True
        elif arg.startswith("--instance="):
            found = arg.split("=", 1)[1]
        else:
            rest.append(arg)
    return found, rest


def _debug_traceback(exc: BaseException) -> None:
    """An operator sees one line; a plugin author chasing it sets ``PLACETTE_DEBUG=1`` (or reads
    the ``placette`` logger at DEBUG) to get the traceback, chained causes included."""
    import logging
    import os
    import traceback
    logging.getLogger("placette").debug("command failed", exc_info=exc)
    if os.environ.get("PLACETTE_DEBUG", "").strip().lower() not in ("", "0", "false", "no"):
        traceback.print_exception(exc, file=sys.stderr)


def main() -> None:
    """The console script: every start-up error an operator or a plugin author can fix (a
    configuration key, a plugin that fails to import or raises in a start-up hook, pending
    migrations) is one line ``Error: ...`` and exit status 2."""
    args = sys.argv[1:]
    instance, rest = _split_instance(args)
    if instance is not None:
        # ``--instance DIR`` may stand anywhere on the line (``placette --instance DIR migrate``,
        # plugin commands that do not declare it): the environment carries it to every command.
        import os
        os.environ["PLACETTE_INSTANCE"] = instance
        args = rest
    try:
        cli(args=args, prog_name="placette", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(1)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except PlacetteError as exc:
        _debug_traceback(exc)
        click.echo(f"Error: {exc}", err=True)
        sys.exit(2)
    except Exception as exc:
        # A service that stopped answering mid-command is an operator's problem, not a bug:
        # one line.  Anything else is a bug and keeps its traceback.
        from ..tasks import is_connection_error
        import peewee
        if isinstance(exc, peewee.OperationalError) or is_connection_error(exc):
            reason = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            click.echo(f"Error: {reason}", err=True)
            sys.exit(2)
        raise
    except SystemExit:
        raise
    except KeyboardInterrupt:
        sys.exit(130)
