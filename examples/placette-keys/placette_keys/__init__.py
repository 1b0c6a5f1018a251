"""placette-keys: who holds the key of which meeting room, and the log of every hand-over.

An example third-party plugin for placette, packaged on its own.  The hooks live in
:mod:`placette_keys.plugin` (the entry point); every other module has one job: ``models`` (tables),
``service`` (the hand-over rule, shared by pages and API), ``views`` (pages), ``api`` (JSON),
``tasks`` (overdue reminders), ``privacy`` (RGPD), ``demo`` (demo content).
"""
__version__ = "1.0.0"
