# Written by hand.  SQLite only: a second FTS5 table, ``placette_search_recent``, holding the
# newest documents of ``placette_search_fts`` (see placette.search.engines, "The recent tier"),
# its trigger dropping a resource's row when the resource goes, and its first rows: the newest
# RECENT_DOCUMENTS of the full index.  PostgreSQL needs nothing (its ranking counts no documents).
from peewee import PostgresqlDatabase

RECENT_DOCUMENTS = 8_192  # as placette.search.engines.RECENT_DOCUMENTS on the day it was written

SQLITE_UP = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS placette_search_recent USING fts5("
    "title, body, tokenize = 'unicode61 remove_diacritics 2')",
    "CREATE TRIGGER IF NOT EXISTS placette_search_recent_forget AFTER DELETE ON placette_resource "
    "BEGIN DELETE FROM placette_search_recent WHERE rowid = old.id; END",
    "INSERT INTO placette_search_recent (rowid, title, body) "
    "SELECT rowid, title, body FROM placette_search_fts WHERE rowid > "
    f"(SELECT COALESCE(MAX(rowid), 0) FROM placette_search_fts) - {RECENT_DOCUMENTS}",
    # one segment, as placette.search.engines keeps it after each trim
    "INSERT INTO placette_search_recent (placette_search_recent) VALUES ('optimize')",
]
SQLITE_DOWN = ["DROP TRIGGER IF EXISTS placette_search_recent_forget",
               "DROP TABLE IF EXISTS placette_search_recent"]


def up(migrator, db):
    if not isinstance(db, PostgresqlDatabase):
        for statement in SQLITE_UP:
            db.execute_sql(statement)


def down(migrator, db):
    if not isinstance(db, PostgresqlDatabase):
        for statement in SQLITE_DOWN:
            db.execute_sql(statement)
