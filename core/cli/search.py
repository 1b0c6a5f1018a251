"""The search index: ``search reindex``."""
from __future__ import annotations

import click

from .context import with_app

@click.group("search")
def search_group():
    """The search index."""


@search_group.command("reindex")
@click.option("--keep-text", is_flag=True,
              help="Reuse the stored extra text instead of asking the plugins again (faster).")
@with_app()
def search_reindex(app, keep_text):
    """Index every resource again (after a restore or a move to PostgreSQL)."""
    from ..search.engines import rebuild
    count = rebuild(hooks=not keep_text, log_progress=lambda n: click.echo(f"  {n} indexed"))
    click.echo(f"{count} resource(s) indexed.")


COMMANDS = [search_group]
