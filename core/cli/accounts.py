"""Accounts and API tokens: ``users import``, ``users create``, ``tokens create``."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from ..errors import PlacetteError
from .context import with_app

@click.group()
def users():
    """Accounts."""


@users.command("import")
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--space", "slug", required=True, help="Slug of the space to add people to.")
@click.option("--dry-run", is_flag=True, help="Check every row, write nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@with_app()
def users_import(app, csv_file, slug, dry_run, as_json):
    """Import members from CSV (name, email, phone, role); all rows or none."""
    from ..identity.csv_import import import_members
    from ..models import Space
    space = Space.get_or_none(Space.slug == slug)
    if space is None:
        raise PlacetteError(f"no space with slug {slug!r}")
    report = import_members(csv_file.read_bytes(), space, dry_run=dry_run)
    if as_json:
        click.echo(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    else:
        for error in report.errors:
            click.echo(f"error: {error}")
        for row in report.rows:
            message = f"  {row.message}" if row.message else ""
            click.echo(f"line {row.line:>4}  {row.status:9} {row.email or '-':40} "
                       f"{row.role}{message}")
        counts = ", ".join(f"{k}: {v}" for k, v in sorted(report.counts().items()))
        counts = f" ({counts})" if counts else ""
        if report.written:
            click.echo(f"Imported into {slug}{counts}.")
        elif dry_run and report.ok:
            click.echo(f"Dry run: nothing written{counts}.")
        else:
            click.echo(f"Nothing written: fix the errors above{counts}.")
    if not report.ok:
        sys.exit(1)


@users.command("create")
@click.argument("email")
@click.option("--name", default="", help="Display name.")
@click.option("--admin", is_flag=True, help="City administrator.")
@click.option("--password", default=None, help="Optional password (else: sign-in links).")
@with_app()
def users_create(app, email, name, admin, password):
    """Create an account (e.g. the first city administrator)."""
    from ..identity.accounts import AccountError, create_user
    try:
        user = create_user(email, name or email.split("@")[0], password=password,
                           is_admin=admin)
    except AccountError as exc:
        raise PlacetteError(exc.message) from None
    click.echo(f"Created {user.email}{' (city admin)' if admin else ''}")


@click.group()
def tokens():
    """API tokens."""


@tokens.command("create")
@click.argument("email")
@click.option("--name", default="cli", help="A label to recognise the token later.")
@with_app()
def tokens_create(app, email, name):
    """Create an API token for EMAIL; the token is the last line printed."""
    from ..identity.accounts import find_by_email
    from ..identity.tokens import create_token
    user = find_by_email(email)
    if user is None:
        raise PlacetteError(f"no account for {email}")
    click.echo(f"Token for {user.email} (use it as: Authorization: Bearer TOKEN):")
    click.echo(create_token(user, name))


COMMANDS = [users, tokens]
