"""Column types shared by the kernel and plugins."""
from __future__ import annotations

import json

from peewee import TextField


class JsonField(TextField):
    """JSON stored as text: identical on SQLite and PostgreSQL, no engine-specific hooks.

    Used for small documents (module settings, audit before/after), never for anything queried.
    """

    def db_value(self, value):
        return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True,
                                                     default=str)

    def python_value(self, value):
        return None if value is None else json.loads(value)
