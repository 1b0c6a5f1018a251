# Generated from a schema diff on 2026-12-06 08:42.
from peewee import *
from placette import JsonField


def up(migrator, db):
    # On SQLite the ballot table has no hidden, growing rowid: its only key is the random
    # receipt, so storage order cannot line ballots up with "has voted" rows.
    sqlite = isinstance(getattr(db, "obj", None) or db, SqliteDatabase)

    class Space(Model):
        class Meta:
            database = db
            table_name = 'placette_space'

    class User(Model):
        class Meta:
            database = db
            table_name = 'placette_user'

    class Poll(Model):
        space = ForeignKeyField(Space, on_delete='CASCADE')
        author = ForeignKeyField(User, null=True, on_delete='SET NULL')
        title = CharField(max_length=200)
        description = TextField(default='')
        kind = CharField(max_length=24)
        scale = CharField(max_length=16, default='')
        opens_at = DateTimeField(index=True)
        closes_at = DateTimeField(index=True, null=True)
        closed_at = DateTimeField(null=True)
        secret = BooleanField(default=True)
        changeable = BooleanField(default=False)
        results = CharField(max_length=16, default='after_close')
        eligible_roles = JsonField(default=list)
        eligible_frozen_at = DateTimeField(null=True)
        eligible_count = IntegerField(default=0)
        closing_notified = BooleanField(default=False)
        created_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'voting_poll'
    db.create_tables([Poll])

    class Ballot(Model):
        receipt = CharField(primary_key=True, max_length=32)
        poll = ForeignKeyField(Poll, on_delete='CASCADE')
        voter = ForeignKeyField(User, null=True, on_delete='SET NULL')
        content = JsonField()
        class Meta:
            database = db
            table_name = 'voting_ballot'
            without_rowid = sqlite
    db.create_tables([Ballot])

    class Eligible(Model):
        poll = ForeignKeyField(Poll, on_delete='CASCADE')
        user = ForeignKeyField(User, on_delete='CASCADE')
        class Meta:
            database = db
            table_name = 'voting_eligible'
            indexes = ((('poll', 'user'), True),)
    db.create_tables([Eligible])

    class Option(Model):
        poll = ForeignKeyField(Poll, on_delete='CASCADE')
        label = CharField(max_length=300)
        code = CharField(max_length=16, default='')
        position = IntegerField(default=0)
        proposal = IntegerField(null=True)
        class Meta:
            database = db
            table_name = 'voting_option'
    db.create_tables([Option])

    class Participation(Model):
        poll = ForeignKeyField(Poll, on_delete='CASCADE')
        voter = ForeignKeyField(User, null=True, on_delete='SET NULL')
        class Meta:
            database = db
            table_name = 'voting_participation'
            indexes = ((('poll', 'voter'), True),)
    db.create_tables([Participation])

    class Proposal(Model):
        space = ForeignKeyField(Space, on_delete='CASCADE')
        author = ForeignKeyField(User, null=True, on_delete='SET NULL')
        title = CharField(max_length=200)
        body = TextField(default='')
        status = CharField(max_length=16, default='open')
        reason = TextField(default='')
        answered_at = DateTimeField(null=True)
        created_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'voting_proposal'
    db.create_tables([Proposal])

    class Support(Model):
        proposal = ForeignKeyField(Proposal, on_delete='CASCADE')
        user = ForeignKeyField(User, null=True, on_delete='SET NULL')
        created_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'voting_support'
            indexes = ((('proposal', 'user'), True),)
    db.create_tables([Support])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('voting_support'))
    migrator.migrate(migrator.drop_table('voting_proposal'))
    migrator.migrate(migrator.drop_table('voting_participation'))
    migrator.migrate(migrator.drop_table('voting_option'))
    migrator.migrate(migrator.drop_table('voting_eligible'))
    migrator.migrate(migrator.drop_table('voting_ballot'))
    migrator.migrate(migrator.drop_table('voting_poll'))
