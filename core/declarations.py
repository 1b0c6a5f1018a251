"""The small value objects plugins return from hooks to declare what they bring."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from pydantic import BaseModel as SettingsSchema


class NoSettings(SettingsSchema):
    """The schema of a plugin that has no per-space settings."""


@dataclass(frozen=True)
class PluginManifest:
    """Who a plugin is and what it needs.

    ``settings`` is a pydantic model: it validates a space's settings (form and API) and gives the
    admin form its fields, labels (``title``) and help (``description``).  ``requires`` names plugins
    that must be enabled in a space before this one; enabling pulls them in.
    """

    name: str
    title: str
    version: str = "0.0.0"
    description: str = ""
    requires: tuple[str, ...] = ()
    settings: type[SettingsSchema] = NoSettings
    default_enabled: bool = False
    space_kinds: tuple[str, ...] = ()  # empty: every kind
    placette_api: str = ">=1.0,<2"

    def default_settings(self) -> dict[str, Any]:
        return self.settings().model_dump(mode="json")


@dataclass(frozen=True)
class Action:
    """Something people may do, with the minimum role it needs by default.

    Roles, lowest first: ``anonymous``, ``authenticated`` (any signed-in person), ``guest``,
    ``member``, ``animator``, ``admin``.  Deny by default: an undeclared action is refused.
    """

    name: str
    min_role: str
    label: str = ""
    description: str = ""


@dataclass(frozen=True)
class ResourceKind:
    """A kind of item a plugin publishes into the resource registry (``agenda.meeting``)."""

    plugin: str
    kind: str
    label: str
    label_plural: str = ""

    @property
    def key(self) -> str:
        return f"{self.plugin}.{self.kind}"


@dataclass(frozen=True)
class PluralLabel:
    """A wording with a singular and a plural form, translated when it is shown (``ngettext``):
    declared at import time like a ``lazy_gettext`` label, but the count is only known later.

    Build it with :func:`plural_label` (the name message extraction looks for).  Placeholders:
    ``%(num)d`` (the count) and whatever the caller passes (``%(title)s`` for an event type's
    grouped line).
    """

    singular: str
    plural: str

    def format(self, num: int, **variables) -> str:
        from .i18n import ngettext
        return ngettext(self.singular, self.plural, num, **variables)


def plural_label(singular: str, plural: str) -> PluralLabel:
    """Mark a singular/plural pair for extraction (``pybabel extract -k plural_label:1,2``) and
    translate it later with ``.format(num, ...)``."""
    return PluralLabel(singular, plural)


@dataclass(frozen=True)
class EventType:
    """Something that happens to a resource; ``urgent`` events skip the digest.

    ``grouped`` is the digest's wording when several events of this type concern one item the
    same day (``plural_label("%(num)d new comment on “%(title)s”", "%(num)d new comments on
    “%(title)s”")``): a digest shows one line per item and type of news, so a busy day stays one
    short mail.  Without it the kernel writes "<label>: 6 updates on “<title>”".

    ``activity``: an event emitted with ``recipients`` is a notification for them alone and
    stays off the space's Activity page -- unless its type says ``activity=True``: news of the
    space that some people are told of first (a key handed over, a meeting cancelled).  Such an
    event shows on Activity, like any other, to whoever may see its resource; one emitted
    without a resource stays a notification (nothing would gate who reads it).
    """

    name: str
    label: str
    urgency: str = "normal"  # normal | urgent
    grouped: PluralLabel | None = None
    activity: bool = False


@dataclass(frozen=True)
class NavItem:
    """An entry of a space's menu."""

    label: str
    url: str
    plugin: str = ""
    icon: str = ""
    position: int = 100
    badge: int | str | None = None  # a count, or a bound such as "99+"


@dataclass
class SlotContext:
    """What a template slot receives: the actor, the space (if any) and anything else the page set."""

    actor: Any
    space: Any = None
    extra: dict[str, Any] = field(default_factory=dict)

    def __getattr__(self, name: str) -> Any:
        try:
            return self.extra[name]
        except KeyError:
            raise AttributeError(name) from None


Validator = Callable[[dict[str, Any]], dict[str, Any]]
