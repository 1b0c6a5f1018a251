"""Spaces: ``spaces create``, ``spaces list``."""
from __future__ import annotations

import click

from ..errors import PlacetteError
from .context import with_app

@click.group()
def spaces():
    """Spaces."""


@spaces.command("create")
@click.argument("slug")
@click.option("--name", required=True)
@click.option("--kind", required=True)
@click.option("--visibility", default="network", show_default=True,
              type=click.Choice(["public", "network", "members", "private"]))
@click.option("--parent", "parents", multiple=True, help="Slug of a parent space (repeatable).")
@with_app()
def spaces_create(app, slug, name, kind, visibility, parents):
    """Create a space."""
    from ..models import Space
    from ..spaces import SpaceError, create_space
    found = []
    for parent in parents:
        space = Space.get_or_none(Space.slug == parent)
        if space is None:
            raise PlacetteError(f"no space with slug {parent!r}")
        found.append(space)
    try:
        create_space(slug, name, kind, visibility, parents=found)
    except SpaceError as exc:
        raise PlacetteError(exc.message) from None
    click.echo(f"Created /s/{slug}")


@spaces.command("list")
@with_app()
def spaces_list(app):
    """List spaces."""
    from ..models import Space
    for space in Space.select().order_by(Space.kind, Space.name):
        click.echo(f"{space.slug:30} {space.kind:14} {space.visibility:9} {space.name}")


COMMANDS = [spaces]
