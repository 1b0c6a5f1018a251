# Generated from a schema diff on 2026-11-25 18:37.
from peewee import *

#
# Moderation (reports, review cases) and search (the extra text of each resource), plus the
# engine's own full-text index, which is not a peewee model (schema diffs must not touch it):
#
# * SQLite: an FTS5 table ``placette_search_fts`` (rowid = resource id) holding normalised French
#   stems (see placette.search.text), and a trigger that drops a resource's row when the resource
#   goes -- also through cascades -- so a reused rowid never inherits stale words.
# * PostgreSQL: the ``unaccent`` extension, a text search configuration ``placette_french``
#   (french stemming after unaccent), and ``placette_search_vector`` (resource_id, tsvector) with
#   a GIN index; rows go with their resource through ON DELETE CASCADE.
from peewee import PostgresqlDatabase

SQLITE_UP = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS placette_search_fts USING fts5("
    "title, body, tokenize = 'unicode61 remove_diacritics 2')",
    "CREATE TRIGGER IF NOT EXISTS placette_search_fts_forget AFTER DELETE ON placette_resource "
    "BEGIN DELETE FROM placette_search_fts WHERE rowid = old.id; END",
]
SQLITE_DOWN = ["DROP TRIGGER IF EXISTS placette_search_fts_forget",
               "DROP TABLE IF EXISTS placette_search_fts"]
POSTGRES_UP = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    """DO $$ BEGIN
         IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'placette_french') THEN
           CREATE TEXT SEARCH CONFIGURATION placette_french (COPY = pg_catalog.french);
           ALTER TEXT SEARCH CONFIGURATION placette_french
             ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
         END IF;
       END $$""",
    "CREATE TABLE IF NOT EXISTS placette_search_vector ("
    "resource_id INTEGER PRIMARY KEY REFERENCES placette_resource (id) ON DELETE CASCADE, "
    "vector TSVECTOR NOT NULL)",
    "CREATE INDEX IF NOT EXISTS placette_search_vector_gin ON placette_search_vector "
    "USING GIN (vector)",
]
POSTGRES_DOWN = ["DROP TABLE IF EXISTS placette_search_vector",
                 "DROP TEXT SEARCH CONFIGURATION IF EXISTS placette_french"]


def up(migrator, db):
    class Resource(Model):
        class Meta:
            database = db
            table_name = 'placette_resource'

    class User(Model):
        class Meta:
            database = db
            table_name = 'placette_user'

    class ModerationCase(Model):
        resource = ForeignKeyField(Resource, unique=True, on_delete='CASCADE')
        open = BooleanField(index=True, default=True)
        trigger = CharField(max_length=16, default='reports')
        report_count = IntegerField(default=0)
        opened_at = DateTimeField(index=True)
        last_report_at = DateTimeField(null=True)
        decision = CharField(null=True, max_length=16)
        author_reason = TextField(default='')
        decided_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        decided_at = DateTimeField(null=True)
        class Meta:
            database = db
            table_name = 'placette_moderation_case'
    db.create_tables([ModerationCase])

    class Report(Model):
        resource = ForeignKeyField(Resource, on_delete='CASCADE')
        reporter = ForeignKeyField(User, on_delete='CASCADE')
        category = CharField(max_length=16, default='other')
        reason = TextField(default='')
        created_at = DateTimeField()
        closed_at = DateTimeField(null=True)
        class Meta:
            database = db
            table_name = 'placette_report'
            indexes = ((('resource', 'closed_at'), False), (('reporter', 'created_at'), False))
    db.create_tables([Report])

    class SearchDocument(Model):
        resource = ForeignKeyField(Resource, primary_key=True, on_delete='CASCADE')
        body = TextField(default='')
        indexed_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'placette_search_document'
    db.create_tables([SearchDocument])

    for statement in POSTGRES_UP if isinstance(db, PostgresqlDatabase) else SQLITE_UP:
        db.execute_sql(statement)


def down(migrator, db):
    for statement in POSTGRES_DOWN if isinstance(db, PostgresqlDatabase) else SQLITE_DOWN:
        db.execute_sql(statement)
    migrator.migrate(migrator.drop_table('placette_search_document'))
    migrator.migrate(migrator.drop_table('placette_report'))
    migrator.migrate(migrator.drop_table('placette_moderation_case'))
