"""The ``placette`` group: the kernel's commands, area by area, and the plugins' commands."""
from __future__ import annotations

import functools
from pathlib import Path

import click

from ..errors import PluginError
from . import accounts, assets, data, instance, migrations, plugins, search, spaces, worker
from .context import app_context


class PlacetteGroup(click.Group):
    """Adds plugin command groups (``register_commands``) found in the instance's plugins."""

    def list_commands(self, ctx):
        return sorted(set(super().list_commands(ctx)) | set(_plugin_commands()[0]))

    def get_command(self, ctx, name):
        found = super().get_command(ctx, name) or _plugin_commands()[0].get(name)
        broken = _plugin_commands()[1]
        if found is None and isinstance(broken, PluginError):
            raise broken  # "No such command" would hide the plugin that failed to start
        return found


@functools.lru_cache(maxsize=1)
def _plugin_commands() -> tuple[dict, Exception | None]:
    """Plugin CLI groups of the instance in PLACETTE_INSTANCE / the current folder, if any, and
    the error that kept them from loading (a kernel command still reports it when it starts).

    Each runs inside the instance's app context (database connection open, migrations checked),
    like the kernel's commands; ``--instance DIR`` anywhere on the line picks the instance
    (:func:`main` moves it to ``PLACETTE_INSTANCE`` before the plugin's group parses).
    """
    from ..config import load
    from ..plugin_manager import PluginRegistry
    try:
        config = load(None)
        registry = PluginRegistry(config.plugins)
        commands = registry.check_commands(cli.commands)
    except Exception as exc:
        return {}, exc
    for command in commands.values():
        _run_in_app(command, config.root)
    return commands, None


def _run_in_app(command: click.Command, instance: Path) -> None:
    original = command.invoke

    def invoke(ctx):
        if ctx.resilient_parsing:  # shell completion: no app
            return original(ctx)
        app, stack = app_context(instance)
        with stack:
            return original(ctx)
    command.invoke = invoke


@click.group(cls=PlacetteGroup)
@click.version_option(package_name="placette")
def cli():
    """placette: the online side of a city's participatory democracy."""


for _area in (instance, migrations, worker, accounts, plugins, spaces, assets, data, search):
    for _command in _area.COMMANDS:
        cli.add_command(_command)
