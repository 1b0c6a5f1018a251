"""The bundled ``agenda`` plugin: meetings per space, RSVP, reminders, minutes, iCalendar feeds.

It imports only :mod:`placette` (the facade) and its own modules, and is discovered through the
``placette.plugins`` entry point like any third-party plugin: it proves the public API is enough.
"""
