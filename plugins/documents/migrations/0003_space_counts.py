# Written by hand (triggers: peewee's schema diff does not describe them).
# The city-wide "resources" page showed, on every visit, how many documents each space holds
# for the visitor: a GROUP BY over every document of the city (3 ms of 13 for 10,500 documents
# at the benchmark's medium scale).  This table keeps that count per (space, item visibility),
# written by the database itself on every insert, delete and change of space or visibility of a
# document -- whichever code path writes (library, API, folder narrowing, cascades, copies) --
# so it can never drift from the documents.  Moderation is not counted here: the few hidden or
# pending documents are subtracted at reading time for each visitor (see queries.city_documents).
# Visibility "" stands for "same as the space" (NULL on the document), so the pair is a key.
# Migration 0005 keeps, from these rows, what each kind of reader may read per space: the page
# now reads this table only for the reader's own spaces.
from peewee import SqliteDatabase

_TABLE = """CREATE TABLE documents_space_count (
    space_id INTEGER NOT NULL REFERENCES placette_space (id) ON DELETE CASCADE,
    visibility VARCHAR(16) NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (space_id, visibility))"""

_ADD = ("INSERT INTO documents_space_count (space_id, visibility, n) "
        "VALUES ({row}.space_id, COALESCE({row}.visibility, ''), 1) "
        "ON CONFLICT (space_id, visibility) DO UPDATE SET n = documents_space_count.n + 1")
_REMOVE = ("UPDATE documents_space_count SET n = n - 1 WHERE space_id = {row}.space_id "
           "AND visibility = COALESCE({row}.visibility, '')")
_MOVED = ("OLD.space_id <> NEW.space_id "
          "OR COALESCE(OLD.visibility, '') <> COALESCE(NEW.visibility, '')")

_BACKFILL = ("INSERT INTO documents_space_count (space_id, visibility, n) "
             "SELECT space_id, COALESCE(visibility, ''), COUNT(*) FROM documents_document "
             "GROUP BY space_id, COALESCE(visibility, '')")


def _sqlite(db):
    db.execute_sql("CREATE TRIGGER documents_count_insert AFTER INSERT ON documents_document "
                   f"BEGIN {_ADD.format(row='NEW')}; END")
    db.execute_sql("CREATE TRIGGER documents_count_delete AFTER DELETE ON documents_document "
                   f"BEGIN {_REMOVE.format(row='OLD')}; END")
    db.execute_sql("CREATE TRIGGER documents_count_update AFTER UPDATE OF space_id, visibility "
                   f"ON documents_document WHEN {_MOVED} "
                   f"BEGIN {_REMOVE.format(row='OLD')}; {_ADD.format(row='NEW')}; END")


def _postgres(db):
    db.execute_sql(f"""CREATE FUNCTION documents_count_keep() RETURNS trigger AS $$
BEGIN
  IF TG_OP IN ('DELETE', 'UPDATE') THEN {_REMOVE.format(row='OLD')}; END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN {_ADD.format(row='NEW')}; END IF;
  RETURN NULL;
END $$ LANGUAGE plpgsql""")
    db.execute_sql("CREATE TRIGGER documents_count_insert_delete AFTER INSERT OR DELETE "
                   "ON documents_document FOR EACH ROW EXECUTE FUNCTION documents_count_keep()")
    db.execute_sql("CREATE TRIGGER documents_count_update AFTER UPDATE OF space_id, visibility "
                   f"ON documents_document FOR EACH ROW WHEN ({_MOVED}) "
                   "EXECUTE FUNCTION documents_count_keep()")


def _is_sqlite(db) -> bool:
    return isinstance(getattr(db, "obj", db), SqliteDatabase)


def up(migrator, db):
    db.execute_sql(_TABLE)
    (_sqlite if _is_sqlite(db) else _postgres)(db)
    db.execute_sql(_BACKFILL)


def down(migrator, db):
    for name in ("documents_count_insert", "documents_count_delete", "documents_count_update",
                 "documents_count_insert_delete"):
        on = "" if _is_sqlite(db) else " ON documents_document"
        db.execute_sql(f"DROP TRIGGER IF EXISTS {name}{on}")
    if not _is_sqlite(db):
        db.execute_sql("DROP FUNCTION IF EXISTS documents_count_keep()")
    db.execute_sql("DROP TABLE IF EXISTS documents_space_count")
