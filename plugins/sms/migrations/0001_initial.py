# Written from the models of placette_plugins.sms (2026-12-06).
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

    class Phone(Model):
        user = ForeignKeyField(User, unique=True, on_delete='CASCADE')
        number = CharField(max_length=20, index=True)
        verified_at = DateTimeField(null=True)
        stopped_at = DateTimeField(null=True)
        created_at = DateTimeField()
        updated_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'sms_phone'

    class Code(Model):
        user = ForeignKeyField(User, on_delete='CASCADE')
        number = CharField(max_length=20, index=True)
        code_hash = CharField(max_length=64)
        created_at = DateTimeField(index=True)
        expires_at = DateTimeField()
        tries = IntegerField(default=0)
        used_at = DateTimeField(null=True)
        class Meta:
            database = db
            table_name = 'sms_code'

    class Message(Model):
        space = ForeignKeyField(Space, null=True, on_delete='CASCADE')
        user = ForeignKeyField(User, null=True, on_delete='SET NULL')
        number = CharField(max_length=20, null=True)
        kind = CharField(max_length=16)
        event = CharField(max_length=80, default='')
        meeting = IntegerField(null=True)
        occurrence = CharField(max_length=20, default='')
        body = TextField(null=True)
        encoding = CharField(max_length=8, default='GSM-7')
        segments = IntegerField(default=1)
        status = CharField(max_length=16, default='pending', index=True)
        error_code = CharField(max_length=16, null=True)
        sid = CharField(max_length=64, null=True, unique=True)
        idempotency_key = CharField(max_length=120, unique=True)
        attempts = IntegerField(default=0)
        month = CharField(max_length=7)
        due_at = DateTimeField(null=True)
        created_at = DateTimeField(index=True)
        sent_at = DateTimeField(null=True)
        updated_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'sms_message'
            indexes = ((('space', 'month'), False), (('number', 'created_at'), False))

    class Inbound(Model):
        message_sid = CharField(max_length=64, unique=True)
        number = CharField(max_length=20, null=True)
        user = ForeignKeyField(User, null=True, on_delete='SET NULL')
        body = TextField(null=True)
        action = CharField(max_length=16)
        created_at = DateTimeField(index=True)
        class Meta:
            database = db
            table_name = 'sms_inbound'

    class Link(Model):
        token = CharField(max_length=12, unique=True)
        url = CharField(max_length=1000)
        created_at = DateTimeField(index=True)
        class Meta:
            database = db
            table_name = 'sms_link'

    class Usage(Model):
        space = ForeignKeyField(Space, on_delete='CASCADE')
        month = CharField(max_length=7)
        used = IntegerField(default=0)
        class Meta:
            database = db
            table_name = 'sms_usage'
            indexes = ((('space', 'month'), True),)

    class BudgetNotice(Model):
        space = ForeignKeyField(Space, on_delete='CASCADE')
        month = CharField(max_length=7)
        level = IntegerField()
        created_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'sms_budget_notice'
            indexes = ((('space', 'month', 'level'), True),)

    db.create_tables([Phone, Code, Message, Inbound, Link, Usage, BudgetNotice])


def down(migrator, db):
    for table in ('sms_budget_notice', 'sms_usage', 'sms_link', 'sms_inbound', 'sms_message', 'sms_code',
                  'sms_phone'):
        migrator.migrate(migrator.drop_table(table))
