"""Exceptions that cross module boundaries and are shown to people, not as tracebacks."""


class PlacetteError(Exception):
    """Base class: an error whose message is fit to print for an operator."""


class ConfigError(PlacetteError):
    """The instance configuration is missing, unreadable or holds a wrong value.

    The message always names the key and the file, so an operator can fix it in one go.
    """


class PluginError(PlacetteError):
    """A plugin is missing, misdeclared or clashes with another (name prefix, requires)."""


class PendingMigrations(PlacetteError):
    """The database is behind the code: ``placette migrate`` must run before serving."""

    def __init__(self, pending):
        self.pending = pending
        names = ", ".join(f"{plugin}:{name}" for plugin, name in pending)
        super().__init__(f"pending database migrations: {names} -- run `placette migrate`")
