"""Search: one box over every resource a person may see, across spaces.

* :mod:`.text` turns French text into accent-free stems and parses what people type;
* :mod:`.engines` keeps the engine's index (SQLite FTS5 or PostgreSQL full text) in step with
  the resource registry (called by :mod:`placette.resources` on publish);
* :mod:`.query` runs a search through the permission gate, in SQL, with snippets.
"""
