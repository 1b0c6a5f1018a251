# Generated from a schema diff on 2026-12-03 11:38.

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

    class Page(Model):
        space = ForeignKeyField(Space, on_delete='CASCADE')
        slug = CharField(max_length=80)
        title = CharField(max_length=200)
        body = TextField(default='')
        position = IntegerField(default=0)
        visibility = CharField(null=True, max_length=16)
        author = ForeignKeyField(User, null=True, on_delete='SET NULL')
        updated_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        created_at = DateTimeField()
        updated_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'pages_page'
            indexes = ((('space', 'slug'), True), (('space', 'position', 'title'), False))
    db.create_tables([Page])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('pages_page'))
