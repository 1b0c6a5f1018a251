# Generated from a schema diff on 2026-11-25 18:38.
from peewee import *
from placette.models.fields import JsonField


def up(migrator, db):
    class Event(Model):
        class Meta:
            database = db
            table_name = 'placette_event'

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

    class Notification(Model):
        user = ForeignKeyField(User, on_delete='CASCADE')
        event = ForeignKeyField(Event, on_delete='CASCADE')
        created_at = DateTimeField()
        read_at = DateTimeField(null=True)
        class Meta:
            database = db
            table_name = 'placette_notification'
            indexes = ((('user', 'event'), True), (('user', 'read_at'), False), (('user', 'id'), False))
    db.create_tables([Notification])

    class Delivery(Model):
        notification = ForeignKeyField(Notification, on_delete='CASCADE')
        channel = CharField(max_length=64)
        sent_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'placette_delivery'
            indexes = ((('notification', 'channel'), True),)
    db.create_tables([Delivery])

    class Digest(Model):
        user = ForeignKeyField(User, on_delete='CASCADE')
        channel = CharField(max_length=64)
        period = CharField(max_length=16)
        items = JsonField(default=list)
        built_at = DateTimeField()
        sent_at = DateTimeField(index=True, null=True)
        class Meta:
            database = db
            table_name = 'placette_digest'
            indexes = ((('user', 'channel', 'period'), True),)
    db.create_tables([Digest])

    class DigestState(Model):
        user = ForeignKeyField(User, on_delete='CASCADE')
        channel = CharField(max_length=64)
        period = CharField(null=True, max_length=16)
        watermark = IntegerField(default=0)
        updated_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'placette_digest_state'
            indexes = ((('user', 'channel'), True),)
    db.create_tables([DigestState])

    class FeedToken(Model):
        user = ForeignKeyField(User, unique=True, on_delete='CASCADE')
        token = CharField(unique=True, max_length=64)
        created_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'placette_feed_token'
    db.create_tables([FeedToken])

    class Mute(Model):
        user = ForeignKeyField(User, on_delete='CASCADE')
        space = ForeignKeyField(Space, null=True, on_delete='CASCADE')
        resource = ForeignKeyField(Resource, null=True, on_delete='CASCADE')
        created_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'placette_mute'
            indexes = ((('user', 'space', 'resource'), False),)
    db.create_tables([Mute])

    migrator.migrate(migrator.add_column('placette_event', 'plugin', CharField(max_length=64, default='')))
    # Events recorded before this migration: their plugin is the prefix of their name.
    names = [row[0] for row in db.execute_sql('SELECT DISTINCT name FROM placette_event')]
    for name in names:
        db.execute_sql('UPDATE placette_event SET plugin = %s WHERE name = %s' % (
            db.param, db.param), (name.split('.')[0], name))


def down(migrator, db):
    migrator.migrate(migrator.drop_column('placette_event', 'plugin'))
    migrator.migrate(migrator.drop_table('placette_mute'))
    migrator.migrate(migrator.drop_table('placette_feed_token'))
    migrator.migrate(migrator.drop_table('placette_digest_state'))
    migrator.migrate(migrator.drop_table('placette_digest'))
    migrator.migrate(migrator.drop_table('placette_delivery'))
    migrator.migrate(migrator.drop_table('placette_notification'))
