# Written by hand (the table a schema diff gives).
# The animators' page counted the last six months of a space's log at every view (a busy
# council's 15,000 texts: ~1.3 ms of SQLite).  A finished month whose texts can no longer change
# is now counted once and kept here (placette_plugins.sms.sending.monthly_counts); only the
# months still open are counted from the log.  Filled as the pages are viewed: nothing to copy.
from peewee import *


def up(migrator, db):
    class Space(Model):
        class Meta:
            database = db
            table_name = 'placette_space'

    class MonthCount(Model):
        space = ForeignKeyField(Space, on_delete='CASCADE')
        month = CharField(max_length=7)
        texts = IntegerField()
        segments = IntegerField()

        class Meta:
            database = db
            table_name = 'sms_month_count'
            indexes = ((('space', 'month'), True),)

    db.create_tables([MonthCount])


def down(migrator, db):
    db.execute_sql('DROP TABLE IF EXISTS sms_month_count')
