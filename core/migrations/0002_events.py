# Generated from a schema diff on 2026-11-25 18:26.
from peewee import *
from placette.models.fields import JsonField


def up(migrator, db):
    class Resource(Model):
        class Meta:
            database = db
            table_name = 'placette_resource'

    class Space(Model):
        class Meta:
            database = db
            table_name = 'placette_space'

    class User(Model):
        class Meta:
            database = db
            table_name = 'placette_user'

    class Event(Model):
        name = CharField(index=True, max_length=100)
        space = ForeignKeyField(Space, on_delete='CASCADE')
        resource = ForeignKeyField(Resource, null=True, on_delete='CASCADE')
        actor = ForeignKeyField(User, null=True, on_delete='SET NULL')
        data = JsonField(default=dict)
        recipients = JsonField(null=True)
        created_at = DateTimeField(index=True)
        dispatched_at = DateTimeField(index=True, null=True)
        class Meta:
            database = db
            table_name = 'placette_event'
            indexes = ((('space', 'created_at'), False),)
    db.create_tables([Event])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('placette_event'))
