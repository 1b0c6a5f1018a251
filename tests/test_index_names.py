"""Every index a model declares exists once every plugin is migrated into one database.

Index names are global to a database.  Migrations' frozen models used to name their indexes
after the class (``comment_author_id``), so the second plugin with a ``Comment`` class (drafting
after discussions) had its index silently skipped by ``CREATE INDEX IF NOT EXISTS``."""
import pytest

EVERY_PLUGIN = ["agenda", "discussions", "documents", "drafting", "pages", "showcase", "sms",
                "voting", "keys"]


@pytest.fixture
def placette_plugins():
    return EVERY_PLUGIN


def test_every_declared_index_exists_with_every_plugin_migrated(app):
    from playhouse.schema_diff import diff_models

    from placette.db import database
    from placette.kernel import registry
    models = [m for info in registry().plugins.values() for m in info.models]
    assert len({m._meta.table_name for m in models}) == len(models)
    diff = diff_models(database.obj, models)
    assert not diff, diff


def test_a_scaffolded_plugin_with_a_class_another_plugin_uses_gets_its_own_indexes(tmp_path):
    """A third party's ``Item`` beside the showcase's ``Item``: each table keeps its indexes."""
    from peewee import CharField, ForeignKeyField, Model

    from placette.db import PlacetteSqliteDatabase
    db = PlacetteSqliteDatabase(str(tmp_path / "two.sqlite3"))

    def frozen(table):
        class Owner(Model):
            class Meta:
                database = db
                table_name = "owner"

        class Item(Model):  # what `placette migrations make` writes: a plain peewee Model
            owner = ForeignKeyField(Owner)
            title = CharField(index=True)

            class Meta:
                database = db
                table_name = table
        return Owner, Item

    owner, first = frozen("showcase_item")
    _, second = frozen("budget_item")
    db.create_tables([owner, first])
    db.create_tables([second])
    for table in ("showcase_item", "budget_item"):
        columns = sorted(tuple(i.columns) for i in db.get_indexes(table))
        assert columns == [("owner_id",), ("title",)], (table, columns)


def test_placette_migrate_puts_back_an_index_an_older_version_skipped(app):
    """A city whose database was created before the fix lacks the skipped indexes (the agenda's
    ``FeedToken`` after the kernel's): the next ``placette migrate`` creates them."""
    from playhouse.migrate import SchemaMigrator
    from playhouse.migrate import migrate as run_operations
    from playhouse.schema_diff import diff_models

    from placette.app import migration_sources
    from placette.db import database
    from placette.db.migrations import migrate
    from placette.kernel import registry
    from placette_plugins.agenda.models import FeedToken
    table = FeedToken._meta.table_name
    [index] = [i for i in database.obj.get_indexes(table) if i.columns == ["user_id"]]
    run_operations(SchemaMigrator.from_database(database.obj).drop_index(table, index.name))
    assert diff_models(database.obj, [FeedToken]).add_indexes      # as an old city has it
    said = []
    migrate(migration_sources(registry()), log=said.append, repair=True)  # placette migrate
    assert not diff_models(database.obj, [FeedToken])
    assert f"  created the missing index {table}(user_id)" in said
