# Written by hand (triggers: peewee's schema diff does not describe them).
# The city-wide "resources" page summed, on every visit, the kept counts of migration 0003 over
# every space of the city: joined to the 1,000 spaces and their modules to apply the reader's
# permission to each (2.2 ms of 8 at the benchmark's medium scale, 1.2 ms of it the join alone).
# Yet for most of the city the answer is one of three numbers per space, the same for every
# reader of a kind: what an anonymous visitor may read there (``public_n``), what any signed-in
# person without a role in the space may read (``network_n``), and what a city admin counts
# (``all_n``, every document of the space, archived or not).  This table keeps those three per
# space holding documents, so the page walks an index to the busiest spaces and sums one column;
# only the reader's own spaces (where their role widens what they read) are counted from
# documents_space_count.
#
# The rule is placette's ``visibility_clause``, written out for the three readers (an item
# visibility of "" is "same as the space"; the library must be on in the space):
#   public_n:  live space, space "public", item ""/"public";
#   network_n: live space, space "public"/"network", item ""/"public"/"network";
#   all_n:     every document.
# A space's row is recomputed, from its two or three count rows, whenever one of its inputs
# changes: a count row (every write to a document, through migration 0003's triggers), the
# space's visibility or archiving, its documents module row.  Count rows are never deleted but
# with their space, whose deletion takes its row here with it (the foreign key's cascade).
# Like documents_space_count it is not a model: ``placette db copy`` does not copy it, the
# target's triggers rebuild it.
from peewee import SqliteDatabase

_TABLE = """CREATE TABLE documents_space_reach (
    space_id INTEGER NOT NULL PRIMARY KEY REFERENCES placette_space (id) ON DELETE CASCADE,
    public_n INTEGER NOT NULL,
    network_n INTEGER NOT NULL,
    all_n INTEGER NOT NULL)"""
# The busiest spaces for each kind of reader, in the order the page takes them (count, then id).
_INDEXES = [f"CREATE INDEX documents_space_reach_{column} ON documents_space_reach "
            f"({column}_n DESC, space_id)" for column in ("public", "network", "all")]

# One space's row from its count rows: {sid} is the space's id (NEW.space_id, $1...).  A space
# whose library is off (or has no module row) keeps a row of zeros.
_SELECT = """SELECT c.space_id,
  SUM(CASE WHEN m.space_id IS NOT NULL AND s.archived_at IS NULL AND s.visibility = 'public'
           AND c.visibility IN ('', 'public') THEN c.n ELSE 0 END),
  SUM(CASE WHEN m.space_id IS NOT NULL AND s.archived_at IS NULL
           AND s.visibility IN ('public', 'network')
           AND c.visibility IN ('', 'public', 'network') THEN c.n ELSE 0 END),
  SUM(CASE WHEN m.space_id IS NOT NULL THEN c.n ELSE 0 END)
FROM documents_space_count c
JOIN placette_space s ON s.id = c.space_id
LEFT JOIN placette_module m ON m.space_id = c.space_id AND m.plugin = 'documents' AND m.enabled
WHERE {where}
GROUP BY c.space_id"""
_KEEP = ("INSERT INTO documents_space_reach (space_id, public_n, network_n, all_n) "
         + _SELECT.format(where="c.space_id = {sid}")
         + " ON CONFLICT (space_id) DO UPDATE SET public_n = excluded.public_n, "
           "network_n = excluded.network_n, all_n = excluded.all_n")
_BACKFILL = ("INSERT INTO documents_space_reach (space_id, public_n, network_n, all_n) "
             + _SELECT.format(where="1 = 1"))

_SPACE_CHANGED = {
    "sqlite": "OLD.visibility IS NOT NEW.visibility OR OLD.archived_at IS NOT NEW.archived_at",
    "postgres": "OLD.visibility IS DISTINCT FROM NEW.visibility "
                "OR OLD.archived_at IS DISTINCT FROM NEW.archived_at"}
_MODULE_CHANGED = {
    "sqlite": "(OLD.plugin = 'documents' OR NEW.plugin = 'documents') AND "
              "(OLD.enabled IS NOT NEW.enabled OR OLD.plugin IS NOT NEW.plugin "
              "OR OLD.space_id IS NOT NEW.space_id)",
    "postgres": "(OLD.plugin = 'documents' OR NEW.plugin = 'documents') AND "
                "(OLD.enabled IS DISTINCT FROM NEW.enabled OR OLD.plugin IS DISTINCT FROM "
                "NEW.plugin OR OLD.space_id IS DISTINCT FROM NEW.space_id)"}

_TRIGGERS = ("documents_reach_count_insert", "documents_reach_count_update",
             "documents_reach_count_write",
             "documents_reach_space_update",
             "documents_reach_module_insert", "documents_reach_module_update",
             "documents_reach_module_delete", "documents_reach_module_insert_delete")
_ON = {"documents_reach_count": "documents_space_count", "documents_reach_space": "placette_space",
       "documents_reach_module": "placette_module"}


def _sqlite(db):
    def keep(sid):
        return f"{_KEEP.format(sid=sid)};"

    db.execute_sql("CREATE TRIGGER documents_reach_count_insert AFTER INSERT ON "
                   f"documents_space_count BEGIN {keep('NEW.space_id')} END")
    db.execute_sql("CREATE TRIGGER documents_reach_count_update AFTER UPDATE ON "
                   f"documents_space_count BEGIN {keep('NEW.space_id')} END")
    db.execute_sql("CREATE TRIGGER documents_reach_space_update AFTER UPDATE OF visibility, "
                   f"archived_at ON placette_space WHEN {_SPACE_CHANGED['sqlite']} "
                   f"BEGIN {keep('NEW.id')} END")
    db.execute_sql("CREATE TRIGGER documents_reach_module_insert AFTER INSERT ON placette_module "
                   f"WHEN NEW.plugin = 'documents' BEGIN {keep('NEW.space_id')} END")
    db.execute_sql("CREATE TRIGGER documents_reach_module_update AFTER UPDATE OF enabled, plugin, "
                   f"space_id ON placette_module WHEN {_MODULE_CHANGED['sqlite']} "
                   f"BEGIN {keep('OLD.space_id')} {keep('NEW.space_id')} END")
    db.execute_sql("CREATE TRIGGER documents_reach_module_delete AFTER DELETE ON placette_module "
                   f"WHEN OLD.plugin = 'documents' BEGIN {keep('OLD.space_id')} END")


def _postgres(db):
    db.execute_sql(f"""CREATE FUNCTION documents_reach_keep(sid BIGINT) RETURNS void AS $$
  {_KEEP.format(sid='$1')};
$$ LANGUAGE sql""")
    db.execute_sql("""CREATE FUNCTION documents_reach_from_count() RETURNS trigger AS $$
BEGIN
  PERFORM documents_reach_keep(NEW.space_id);
  RETURN NULL;
END $$ LANGUAGE plpgsql""")
    db.execute_sql("""CREATE FUNCTION documents_reach_from_space() RETURNS trigger AS $$
BEGIN
  PERFORM documents_reach_keep(NEW.id);
  RETURN NULL;
END $$ LANGUAGE plpgsql""")
    db.execute_sql("""CREATE FUNCTION documents_reach_from_module() RETURNS trigger AS $$
BEGIN
  IF TG_OP IN ('DELETE', 'UPDATE') THEN
    IF OLD.plugin = 'documents' THEN PERFORM documents_reach_keep(OLD.space_id); END IF;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    IF NEW.plugin = 'documents' THEN PERFORM documents_reach_keep(NEW.space_id); END IF;
  END IF;
  RETURN NULL;
END $$ LANGUAGE plpgsql""")
    db.execute_sql("CREATE TRIGGER documents_reach_count_write AFTER INSERT OR UPDATE "
                   "ON documents_space_count FOR EACH ROW "
                   "EXECUTE FUNCTION documents_reach_from_count()")
    db.execute_sql("CREATE TRIGGER documents_reach_space_update AFTER UPDATE OF visibility, "
                   "archived_at ON placette_space FOR EACH ROW "
                   f"WHEN ({_SPACE_CHANGED['postgres']}) "
                   "EXECUTE FUNCTION documents_reach_from_space()")
    db.execute_sql("CREATE TRIGGER documents_reach_module_insert_delete AFTER INSERT OR DELETE "
                   "ON placette_module FOR EACH ROW EXECUTE FUNCTION documents_reach_from_module()")
    db.execute_sql("CREATE TRIGGER documents_reach_module_update AFTER UPDATE OF enabled, plugin, "
                   f"space_id ON placette_module FOR EACH ROW WHEN ({_MODULE_CHANGED['postgres']}) "
                   "EXECUTE FUNCTION documents_reach_from_module()")


def _is_sqlite(db) -> bool:
    return isinstance(getattr(db, "obj", db), SqliteDatabase)


def up(migrator, db):
    db.execute_sql(_TABLE)
    for index in _INDEXES:
        db.execute_sql(index)
    (_sqlite if _is_sqlite(db) else _postgres)(db)
    db.execute_sql(_BACKFILL)


def down(migrator, db):
    sqlite = _is_sqlite(db)
    for name in _TRIGGERS:
        on = "" if sqlite else " ON " + next(t for p, t in _ON.items() if name.startswith(p))
        db.execute_sql(f"DROP TRIGGER IF EXISTS {name}{on}")
    if not sqlite:
        for function in ("documents_reach_from_count()", "documents_reach_from_space()",
                         "documents_reach_from_module()", "documents_reach_keep(BIGINT)"):
            db.execute_sql(f"DROP FUNCTION IF EXISTS {function}")
    db.execute_sql("DROP TABLE IF EXISTS documents_space_reach")
