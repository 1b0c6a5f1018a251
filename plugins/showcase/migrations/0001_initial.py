# Written from the models of plugins/showcase/models.py on 2026-12-06.
from peewee import *
from placette import JsonField


def up(migrator, db):
    class Space(Model):
        class Meta:
            database = db
            table_name = 'placette_space'

    class User(Model):
        class Meta:
            database = db
            table_name = 'placette_user'

    class Item(Model):
        space = ForeignKeyField(Space, on_delete='CASCADE')
        uuid = CharField(max_length=36, unique=True)
        resource_key = CharField(max_length=200)
        category = CharField(max_length=16)
        title = CharField(max_length=300)
        summary = TextField(default='')
        body_html = TextField(default='')
        introduction = TextField(default='')
        decided_at = DateTimeField(null=True)
        answer_status = CharField(max_length=120, null=True)
        dataset = CharField(max_length=16, null=True, index=True)
        data = JsonField(default=dict)
        position = IntegerField(default=0)
        state = CharField(max_length=16, default='shown')
        picked_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        published_at = DateTimeField()
        republished_at = DateTimeField(null=True)
        updated_at = DateTimeField(index=True)
        withdrawn_at = DateTimeField(null=True)
        class Meta:
            database = db
            table_name = 'showcase_item'
            indexes = ((('space', 'state', 'position'), False), (('state', 'updated_at'), False))
    db.create_tables([Item])

    class File(Model):
        item = ForeignKeyField(Item, on_delete='CASCADE')
        name = CharField(max_length=255)
        content_type = CharField(max_length=100)
        size = BigIntegerField(default=0)
        storage_key = CharField(max_length=64)
        position = IntegerField(default=0)
        class Meta:
            database = db
            table_name = 'showcase_file'
    db.create_tables([File])

    class View(Model):
        item = ForeignKeyField(Item, on_delete='CASCADE')
        month = CharField(max_length=7)
        count = IntegerField(default=0)
        class Meta:
            database = db
            table_name = 'showcase_view'
            indexes = ((('item', 'month'), True),)
    db.create_tables([View])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('showcase_view'))
    migrator.migrate(migrator.drop_table('showcase_file'))
    migrator.migrate(migrator.drop_table('showcase_item'))
