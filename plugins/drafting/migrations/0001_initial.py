# Generated from a schema diff on 2026-12-06 11:19.
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

    class Draft(Model):
        space = ForeignKeyField(Space, on_delete='CASCADE')
        author = ForeignKeyField(User, null=True, on_delete='SET NULL')
        title = CharField(max_length=200)
        state = CharField(index=True, max_length=16, default='writing')
        version = IntegerField(default=1)
        decision = TextField(default='')
        adopted_at = DateTimeField(null=True)
        adopted_version = IntegerField(null=True)
        published_at = DateTimeField(null=True)
        created_at = DateTimeField()
        updated_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'drafting_draft'
    db.create_tables([Draft])

    class Amendment(Model):
        draft = ForeignKeyField(Draft, on_delete='CASCADE')
        paragraph = CharField(max_length=16)
        version = IntegerField()
        original = TextField(default='')
        text = TextField()
        reason = TextField(default='')
        author = ForeignKeyField(User, null=True, on_delete='SET NULL')
        status = CharField(max_length=12, default='open')
        decision_reason = TextField(default='')
        decided_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        decided_at = DateTimeField(null=True)
        applied_version = IntegerField(null=True)
        created_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'drafting_amendment'
            indexes = ((('draft', 'created_at'), False),)
    db.create_tables([Amendment])

    class Comment(Model):
        draft = ForeignKeyField(Draft, on_delete='CASCADE')
        parent = ForeignKeyField('self', null=True, on_delete='CASCADE')
        own = ForeignKeyField(Resource, null=True, on_delete='SET NULL')
        author = ForeignKeyField(User, null=True, on_delete='SET NULL')
        body = TextField()
        version = IntegerField()
        paragraph = CharField(max_length=16)
        quote = TextField(default='')
        prefix = CharField(max_length=64, default='')
        suffix = CharField(max_length=64, default='')
        at_paragraph = CharField(index=True, max_length=16)
        at_text = TextField(default='')
        at_start = IntegerField(default=0)
        at_end = IntegerField(default=0)
        anchor_state = CharField(max_length=12, default='anchored')
        resolved_at = DateTimeField(null=True)
        resolved_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        created_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'drafting_comment'
            indexes = ((('draft', 'created_at'), False),)
    db.create_tables([Comment])

    class Rating(Model):
        draft = ForeignKeyField(Draft, on_delete='CASCADE')
        paragraph = CharField(max_length=16)
        user = ForeignKeyField(User, null=True, on_delete='CASCADE')
        agreement = IntegerField()
        updated_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'drafting_rating'
            indexes = ((('draft', 'paragraph', 'user'), True),)
    db.create_tables([Rating])

    class Version(Model):
        draft = ForeignKeyField(Draft, on_delete='CASCADE')
        number = IntegerField()
        author = ForeignKeyField(User, null=True, on_delete='SET NULL')
        note = CharField(max_length=500, default='')
        body = TextField()
        paragraphs = JsonField(default=list)
        base = IntegerField(null=True)
        merged = IntegerField(default=0)
        restored_from = IntegerField(null=True)
        amendment = IntegerField(null=True)
        created_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'drafting_version'
            indexes = ((('draft', 'number'), True),)
    db.create_tables([Version])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('drafting_version'))
    migrator.migrate(migrator.drop_table('drafting_rating'))
    migrator.migrate(migrator.drop_table('drafting_comment'))
    migrator.migrate(migrator.drop_table('drafting_amendment'))
    migrator.migrate(migrator.drop_table('drafting_draft'))
