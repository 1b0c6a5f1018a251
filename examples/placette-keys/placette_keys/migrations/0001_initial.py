# Generated from a schema diff on 2026-11-25 18:37.
from peewee import *


def up(migrator, db):
    class Space(Model):
        class Meta:
            database = db
            table_name = 'placette_space'

    class User(Model):
        class Meta:
            database = db
            table_name = 'placette_user'

    class Room(Model):
        space = ForeignKeyField(Space, on_delete='CASCADE')
        name = CharField(max_length=120)
        place = CharField(max_length=200, default='')
        holder = ForeignKeyField(User, null=True, on_delete='SET NULL')
        held_since = DateTimeField(null=True)
        reminded_at = DateTimeField(null=True)
        version = IntegerField(default=0)
        created_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'keys_room'
            indexes = ((('space', 'name'), True),)
    db.create_tables([Room])

    class Handover(Model):
        room = ForeignKeyField(Room, on_delete='CASCADE')
        giver = ForeignKeyField(User, null=True, on_delete='SET NULL')
        receiver = ForeignKeyField(User, null=True, on_delete='SET NULL')
        from_desk = BooleanField(default=False)
        returned = BooleanField(default=False)
        recorded_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        note = TextField(default='')
        created_at = DateTimeField(index=True)
        class Meta:
            database = db
            table_name = 'keys_handover'
            indexes = ((('room', 'created_at'), False),)
    db.create_tables([Handover])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('keys_handover'))
    migrator.migrate(migrator.drop_table('keys_room'))
