# Written by hand (columns, then the rows written before them).
# The open-data files formatted every record at every download (480 meetings: some 10 ms). A shown
# item now keeps its part of its record, as the files print it, from when it is published
# (records.py); this fills it for the items shown before, in batches.  A row left without it is
# still exported, built from its columns at download time, so the backfill may be run again at
# any time (it only fills what is missing).
import json

from peewee import CharField, DateTimeField, IntegerField, Model, TextField

BATCH = 500
COLUMNS = ("csv_head", "csv_tail", "csv_keys", "csv_cells", "json_head", "json_tail",
           "json_data")


def up(migrator, db):
    migrator.migrate(*(migrator.add_column("showcase_item", name, TextField(null=True))
                       for name in COLUMNS))
    backfill(db)


def backfill(db) -> int:
    """Write the pieces of every shown item that has none; returns how many."""
    from placette_plugins.showcase.records import pieces

    class Item(Model):
        id = IntegerField(primary_key=True)
        category = CharField()
        title = CharField()
        decided_at = DateTimeField(null=True)
        answer_status = CharField(null=True)
        data = TextField(null=True)
        state = CharField()
        published_at = DateTimeField()
        updated_at = DateTimeField()
        csv_head = TextField(null=True)
        csv_tail = TextField(null=True)
        csv_keys = TextField(null=True)
        csv_cells = TextField(null=True)
        json_head = TextField(null=True)
        json_tail = TextField(null=True)
        json_data = TextField(null=True)

        class Meta:
            database = db
            table_name = "showcase_item"

    done, last = 0, 0
    while True:
        rows = list(Item.select(Item.id, Item.category, Item.title, Item.decided_at,
                                Item.answer_status, Item.data, Item.published_at,
                                Item.updated_at)
                    .where((Item.id > last) & (Item.state == "shown") & Item.csv_head.is_null())
                    .order_by(Item.id).limit(BATCH))
        if not rows:
            return done
        with db.atomic():
            for row in rows:
                values = pieces(row.category, row.title, row.decided_at, row.answer_status,
                                row.published_at, row.updated_at,
                                json.loads(row.data) if row.data else {})
                Item.update(**values).where(Item.id == row.id).execute()
        done += len(rows)
        last = rows[-1].id


def down(migrator, db):
    migrator.migrate(*(migrator.drop_column("showcase_item", name) for name in COLUMNS))
