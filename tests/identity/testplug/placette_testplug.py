"""A tiny third-party plugin used by the CLI and worker tests.

The tests install it the way pip would (a ``.dist-info`` folder with an ``entry_points.txt`` on
the subprocess's path), so ``placette`` discovers it through the ``placette.plugins`` entry
point like any plugin.
"""
from __future__ import annotations

from pathlib import Path

import click

import placette
from placette import hookimpl


@hookimpl
def register_manifest():
    return placette.PluginManifest(name="testplug", title="Test plugin")


def touch(name: str) -> None:
    """The task: leave a file in the instance folder, proving a worker ran it."""
    root = Path(placette.current_config().root)
    (root / f"testplug-{name}.done").write_text(name)


@hookimpl
def register_tasks(queue):
    queue.task("testplug.touch")(touch)


@hookimpl
def register_commands(cli):
    @cli.group("testplug")
    def group():
        """Commands of the test plugin."""

    @group.command("census")
    def census():
        """Print the city and how many accounts it has (needs the app and the database)."""
        click.echo(f"{placette.current_config().city}: {placette.User.select().count()} accounts")

    @group.command("enqueue")
    @click.argument("name")
    def enqueue(name):
        """Queue the touch task (for the worker tests)."""
        placette.enqueue("testplug.touch", name)
        click.echo(f"queued {name}")
