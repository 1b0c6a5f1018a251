"""The per-app kernel object: configuration, plugin registry, queue and mailer of one instance.

It lives in ``app.extensions["placette"]``; :func:`current` finds it from any request, CLI command
or task (they all run inside an app context).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import current_app

from .config import InstanceConfig
from .plugin_manager import PluginRegistry


@dataclass
class Kernel:
    config: InstanceConfig
    registry: PluginRegistry
    queue: Any = None
    mailer: Any = None
    services: dict[str, Any] = field(default_factory=dict)


def current() -> Kernel:
    return current_app.extensions["placette"]


def registry() -> PluginRegistry:
    return current().registry


def config() -> InstanceConfig:
    return current().config
