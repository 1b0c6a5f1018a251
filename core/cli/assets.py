"""CSS and JavaScript bundles: ``assets build``."""
from __future__ import annotations

import click

from .context import with_app

@click.group()
def assets():
    """CSS and JavaScript bundles."""


@assets.command("build")
@with_app(check_migrations=False)
def assets_build(app):
    """Build the minified bundles into the instance's assets/ folder (deploy time)."""
    from ..kernel import current
    from ..theme import build
    for url in build(current().services["assets"]):
        click.echo(f"built {url}")


COMMANDS = [assets]
