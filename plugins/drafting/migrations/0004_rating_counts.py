# Written by hand (triggers: peewee's schema diff does not describe them).
# The draft page shows each paragraph's agreement (average and number of ratings) on every
# visit: a GROUP BY over every rating of the draft (1 ms of SQLite for the benchmark's 10,000
# ratings, growing with them).  This table keeps the number of ratings per (draft, paragraph,
# level), written by the database itself on every insert, delete and change of a rating --
# whichever code path writes (the service, the API, erasing an account, cascades, bulk inserts)
# -- so it can never drift from the ratings.  The pages and the API read 5 rows per paragraph.
from peewee import SqliteDatabase

_TABLE = """CREATE TABLE drafting_rating_count (
    draft_id INTEGER NOT NULL REFERENCES drafting_draft (id) ON DELETE CASCADE,
    paragraph VARCHAR(16) NOT NULL,
    agreement INTEGER NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (draft_id, paragraph, agreement))"""

_ADD = ("INSERT INTO drafting_rating_count (draft_id, paragraph, agreement, n) "
        "VALUES ({row}.draft_id, {row}.paragraph, {row}.agreement, 1) "
        "ON CONFLICT (draft_id, paragraph, agreement) "
        "DO UPDATE SET n = drafting_rating_count.n + 1")
_REMOVE = ("UPDATE drafting_rating_count SET n = n - 1 WHERE draft_id = {row}.draft_id "
           "AND paragraph = {row}.paragraph AND agreement = {row}.agreement")
_MOVED = ("OLD.draft_id <> NEW.draft_id OR OLD.paragraph <> NEW.paragraph "
          "OR OLD.agreement <> NEW.agreement")

_BACKFILL = ("INSERT INTO drafting_rating_count (draft_id, paragraph, agreement, n) "
             "SELECT draft_id, paragraph, agreement, COUNT(*) FROM drafting_rating "
             "GROUP BY draft_id, paragraph, agreement")


def _sqlite(db):
    db.execute_sql("CREATE TRIGGER drafting_rating_count_insert AFTER INSERT ON drafting_rating "
                   f"BEGIN {_ADD.format(row='NEW')}; END")
    db.execute_sql("CREATE TRIGGER drafting_rating_count_delete AFTER DELETE ON drafting_rating "
                   f"BEGIN {_REMOVE.format(row='OLD')}; END")
    db.execute_sql("CREATE TRIGGER drafting_rating_count_update AFTER UPDATE OF draft_id, "
                   f"paragraph, agreement ON drafting_rating WHEN {_MOVED} "
                   f"BEGIN {_REMOVE.format(row='OLD')}; {_ADD.format(row='NEW')}; END")


def _postgres(db):
    db.execute_sql(f"""CREATE FUNCTION drafting_rating_count_keep() RETURNS trigger AS $$
BEGIN
  IF TG_OP IN ('DELETE', 'UPDATE') THEN {_REMOVE.format(row='OLD')}; END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN {_ADD.format(row='NEW')}; END IF;
  RETURN NULL;
END $$ LANGUAGE plpgsql""")
    db.execute_sql("CREATE TRIGGER drafting_rating_count_insert_delete AFTER INSERT OR DELETE "
                   "ON drafting_rating FOR EACH ROW EXECUTE FUNCTION drafting_rating_count_keep()")
    db.execute_sql("CREATE TRIGGER drafting_rating_count_update AFTER UPDATE OF draft_id, "
                   f"paragraph, agreement ON drafting_rating FOR EACH ROW WHEN ({_MOVED}) "
                   "EXECUTE FUNCTION drafting_rating_count_keep()")


def _is_sqlite(db) -> bool:
    return isinstance(getattr(db, "obj", db), SqliteDatabase)


def up(migrator, db):
    db.execute_sql(_TABLE)
    (_sqlite if _is_sqlite(db) else _postgres)(db)
    db.execute_sql(_BACKFILL)


def down(migrator, db):
    for name in ("drafting_rating_count_insert", "drafting_rating_count_delete",
                 "drafting_rating_count_update", "drafting_rating_count_insert_delete"):
        on = "" if _is_sqlite(db) else " ON drafting_rating"
        db.execute_sql(f"DROP TRIGGER IF EXISTS {name}{on}")
    if not _is_sqlite(db):
        db.execute_sql("DROP FUNCTION IF EXISTS drafting_rating_count_keep()")
    db.execute_sql("DROP TABLE IF EXISTS drafting_rating_count")
