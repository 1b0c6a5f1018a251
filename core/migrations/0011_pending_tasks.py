# Written by hand: tasks the queue could not take (its Redis restarting), kept until it answers
# again (see placette.models.tasks).
from peewee import *


def up(migrator, db):
    class PendingTask(Model):
        name = CharField(max_length=200)
        payload = TextField(default='{}')
        eta = DateTimeField(null=True)
        created_at = DateTimeField(index=True)
        class Meta:
            database = db
            table_name = 'placette_pending_task'
    db.create_tables([PendingTask])


def down(migrator, db):
    db.execute_sql("DROP TABLE IF EXISTS placette_pending_task")
