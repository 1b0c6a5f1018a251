# Generated from a schema diff on 2026-11-25 18:42.

from peewee import *
from placette import JsonField

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

    class FeedToken(Model):
        user = ForeignKeyField(User, on_delete='CASCADE')
        token_hash = CharField(unique=True, max_length=64)
        hint = CharField(max_length=8, default='')
        created_at = DateTimeField()
        last_used_at = DateTimeField(null=True)
        revoked_at = DateTimeField(null=True)
        class Meta:
            database = db
            table_name = 'agenda_feed_token'
    db.create_tables([FeedToken])

    class Meeting(Model):
        uid = CharField(unique=True, max_length=120)
        space = ForeignKeyField(Space, on_delete='CASCADE')
        author = ForeignKeyField(User, null=True, on_delete='SET NULL')
        title = CharField(max_length=200)
        description = TextField(default='')
        starts_at = DateTimeField()
        ends_at = DateTimeField()
        timezone = CharField(max_length=64, default='Europe/Paris')
        rrule = CharField(null=True, max_length=500)
        first_start = DateTimeField(index=True)
        last_end = DateTimeField(index=True)
        address = CharField(max_length=300, default='')
        room = CharField(max_length=150, default='')
        map_url = CharField(max_length=500, default='')
        online_url = CharField(max_length=500, default='')
        capacity = IntegerField(null=True)
        visibility = CharField(null=True, max_length=16)
        status = CharField(max_length=16, default='planned')
        reminder_hours = JsonField(default=list)
        sequence = IntegerField(default=0)
        resource = ForeignKeyField(Resource, null=True, on_delete='SET NULL')
        created_at = DateTimeField()
        updated_at = DateTimeField()
        cancelled_at = DateTimeField(null=True)
        materialized_until = DateTimeField(null=True)
        class Meta:
            database = db
            table_name = 'agenda_meeting'
    db.create_tables([Meeting])

    class MeetingException(Model):
        meeting = ForeignKeyField(Meeting, on_delete='CASCADE')
        occurrence = CharField(max_length=20)
        original_start = DateTimeField()
        status = CharField(max_length=16)
        starts_at = DateTimeField()
        ends_at = DateTimeField()
        updated_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'agenda_meeting_exception'
            indexes = ((('meeting', 'occurrence'), True),)
    db.create_tables([MeetingException])

    class MeetingOccurrence(Model):
        meeting = ForeignKeyField(Meeting, on_delete='CASCADE')
        key = CharField(max_length=20, default='')
        starts_at = DateTimeField(index=True)
        ends_at = DateTimeField()
        status = CharField(max_length=16, default='planned')
        class Meta:
            database = db
            table_name = 'agenda_occurrence'
            indexes = ((('meeting', 'key'), True),)
    db.create_tables([MeetingOccurrence])

    class MeetingSpace(Model):
        meeting = ForeignKeyField(Meeting, on_delete='CASCADE')
        space = ForeignKeyField(Space, on_delete='CASCADE')
        class Meta:
            database = db
            table_name = 'agenda_meeting_space'
            indexes = ((('meeting', 'space'), True), (('space', 'meeting'), False))
    db.create_tables([MeetingSpace])

    class Minutes(Model):
        meeting = ForeignKeyField(Meeting, on_delete='CASCADE')
        occurrence = CharField(max_length=20, default='')
        text = TextField(default='')
        author = ForeignKeyField(User, null=True, on_delete='SET NULL')
        updated_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'agenda_minutes'
            indexes = ((('meeting', 'occurrence'), True),)
    db.create_tables([Minutes])

    class ReminderSent(Model):
        meeting = ForeignKeyField(Meeting, on_delete='CASCADE')
        occurrence = CharField(max_length=20)
        user = ForeignKeyField(User, on_delete='CASCADE')
        offset_hours = IntegerField()
        sent_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'agenda_reminder_sent'
            indexes = ((('meeting', 'occurrence', 'user', 'offset_hours'), True),)
    db.create_tables([ReminderSent])

    class Rsvp(Model):
        meeting = ForeignKeyField(Meeting, on_delete='CASCADE')
        occurrence = CharField(max_length=20, default='')
        user = ForeignKeyField(User, on_delete='CASCADE')
        answer = CharField(max_length=8)
        waiting = BooleanField(default=False)
        created_at = DateTimeField()
        updated_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'agenda_rsvp'
            indexes = ((('meeting', 'occurrence', 'user'), True), (('user', 'meeting'), False))
    db.create_tables([Rsvp])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('agenda_rsvp'))
    migrator.migrate(migrator.drop_table('agenda_reminder_sent'))
    migrator.migrate(migrator.drop_table('agenda_minutes'))
    migrator.migrate(migrator.drop_table('agenda_meeting_space'))
    migrator.migrate(migrator.drop_table('agenda_occurrence'))
    migrator.migrate(migrator.drop_table('agenda_meeting_exception'))
    migrator.migrate(migrator.drop_table('agenda_meeting'))
    migrator.migrate(migrator.drop_table('agenda_feed_token'))
