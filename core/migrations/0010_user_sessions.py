# Written by hand (the shape a schema diff gives): one row per signed-in browser, so signing out
# ends that session on the server (see placette.identity.sessions).  Sessions opened before
# this migration carried no key: their people sign in again once.
from peewee import *


def up(migrator, db):
    class User(Model):
        class Meta:
            database = db
            table_name = 'placette_user'

    class UserSession(Model):
        user = ForeignKeyField(User, on_delete='CASCADE')
        key_hash = CharField(max_length=64, unique=True)
        created_at = DateTimeField(index=True)
        class Meta:
            database = db
            table_name = 'placette_user_session'
    db.create_tables([UserSession])


def down(migrator, db):
    db.execute_sql("DROP TABLE IF EXISTS placette_user_session")
