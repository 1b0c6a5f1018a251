# Generated from a schema diff on 2026-11-25 18:20.
from peewee import *
from placette.models.fields import JsonField


def up(migrator, db):
    class User(Model):
        email = CharField(unique=True, max_length=254)
        display_name = CharField(max_length=120)
        language = CharField(max_length=5, default='fr')
        phone = CharField(null=True, max_length=32)
        password_hash = CharField(null=True)
        is_admin = BooleanField(default=False)
        auth_stamp = CharField(max_length=32)
        suspended_at = DateTimeField(null=True)
        suspended_reason = TextField(null=True)
        notification_prefs = JsonField(default=dict)
        created_at = DateTimeField()
        last_seen_at = DateTimeField(null=True)
        class Meta:
            database = db
            table_name = 'placette_user'
    db.create_tables([User])

    class ApiToken(Model):
        user = ForeignKeyField(User, on_delete='CASCADE')
        name = CharField(max_length=100, default='')
        token_hash = CharField(unique=True, max_length=64)
        created_at = DateTimeField()
        last_used_at = DateTimeField(null=True)
        revoked_at = DateTimeField(null=True)
        class Meta:
            database = db
            table_name = 'placette_api_token'
    db.create_tables([ApiToken])

    class Space(Model):
        slug = CharField(unique=True, max_length=64)
        name = CharField(max_length=150)
        kind = CharField(index=True, max_length=32)
        visibility = CharField(index=True, max_length=16, default='network')
        description = TextField(default='')
        allow_join_requests = BooleanField(default=True)
        position = IntegerField(default=0)
        created_at = DateTimeField()
        archived_at = DateTimeField(null=True)
        class Meta:
            database = db
            table_name = 'placette_space'
    db.create_tables([Space])

    class AuditEntry(Model):
        actor = ForeignKeyField(User, null=True, on_delete='SET NULL')
        actor_label = CharField(max_length=254, default='')
        action = CharField(index=True, max_length=100)
        target = CharField(max_length=200, default='')
        space = ForeignKeyField(Space, null=True, on_delete='SET NULL')
        before = JsonField(null=True)
        after = JsonField(null=True)
        created_at = DateTimeField(index=True)
        class Meta:
            database = db
            table_name = 'placette_audit_entry'
    db.create_tables([AuditEntry])

    class Grant(Model):
        space = ForeignKeyField(Space, on_delete='CASCADE')
        action = CharField(max_length=100)
        min_role = CharField(max_length=16)
        class Meta:
            database = db
            table_name = 'placette_grant'
            indexes = ((('space', 'action'), True),)
    db.create_tables([Grant])

    class Invitation(Model):
        space = ForeignKeyField(Space, on_delete='CASCADE')
        email = CharField(index=True, max_length=254)
        role = CharField(max_length=16, default='member')
        guest_until = DateTimeField(null=True)
        message = TextField(default='')
        token_hash = CharField(unique=True, max_length=64)
        invited_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        created_at = DateTimeField()
        expires_at = DateTimeField()
        accepted_at = DateTimeField(null=True)
        accepted_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        revoked_at = DateTimeField(null=True)
        class Meta:
            database = db
            table_name = 'placette_invitation'
    db.create_tables([Invitation])

    class JoinRequest(Model):
        user = ForeignKeyField(User, on_delete='CASCADE')
        space = ForeignKeyField(Space, on_delete='CASCADE')
        message = TextField(default='')
        created_at = DateTimeField()
        decided_at = DateTimeField(null=True)
        decided_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        accepted = BooleanField(null=True)
        class Meta:
            database = db
            table_name = 'placette_join_request'
            indexes = ((('space', 'decided_at'), False),)
    db.create_tables([JoinRequest])

    class LoginLink(Model):
        user = ForeignKeyField(User, on_delete='CASCADE')
        purpose = CharField(max_length=16, default='sign_in')
        token_hash = CharField(unique=True, max_length=64)
        next_url = CharField(null=True, max_length=500)
        created_at = DateTimeField()
        expires_at = DateTimeField()
        used_at = DateTimeField(null=True)
        class Meta:
            database = db
            table_name = 'placette_login_link'
    db.create_tables([LoginLink])

    class Membership(Model):
        user = ForeignKeyField(User, on_delete='CASCADE')
        space = ForeignKeyField(Space, on_delete='CASCADE')
        role = CharField(max_length=16, default='member')
        expires_at = DateTimeField(null=True)
        created_at = DateTimeField()
        invited_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        class Meta:
            database = db
            table_name = 'placette_membership'
            indexes = ((('user', 'space'), True), (('space', 'role'), False))
    db.create_tables([Membership])

    class Module(Model):
        space = ForeignKeyField(Space, on_delete='CASCADE')
        plugin = CharField(max_length=64)
        enabled = BooleanField(default=True)
        settings = JsonField(default=dict)
        position = IntegerField(default=0)
        updated_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'placette_module'
            indexes = ((('space', 'plugin'), True),)
    db.create_tables([Module])

    class Resource(Model):
        plugin = CharField(max_length=64)
        kind = CharField(max_length=64)
        object_id = CharField(max_length=64)
        space = ForeignKeyField(Space, on_delete='CASCADE')
        visibility = CharField(null=True, max_length=16)
        author = ForeignKeyField(User, null=True, on_delete='SET NULL')
        title = CharField(max_length=300)
        summary = TextField(default='')
        url = CharField(max_length=500)
        state = CharField(max_length=16, default='visible')
        created_at = DateTimeField()
        updated_at = DateTimeField(index=True)
        class Meta:
            database = db
            table_name = 'placette_resource'
            indexes = ((('plugin', 'kind', 'object_id'), True), (('space', 'updated_at'), False))
    db.create_tables([Resource])

    class SpaceParent(Model):
        child = ForeignKeyField(Space, on_delete='CASCADE')
        parent = ForeignKeyField(Space, on_delete='CASCADE')
        class Meta:
            database = db
            table_name = 'placette_space_parent'
            indexes = ((('child', 'parent'), True),)
    db.create_tables([SpaceParent])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('placette_space_parent'))
    migrator.migrate(migrator.drop_table('placette_resource'))
    migrator.migrate(migrator.drop_table('placette_module'))
    migrator.migrate(migrator.drop_table('placette_membership'))
    migrator.migrate(migrator.drop_table('placette_login_link'))
    migrator.migrate(migrator.drop_table('placette_join_request'))
    migrator.migrate(migrator.drop_table('placette_invitation'))
    migrator.migrate(migrator.drop_table('placette_grant'))
    migrator.migrate(migrator.drop_table('placette_audit_entry'))
    migrator.migrate(migrator.drop_table('placette_space'))
    migrator.migrate(migrator.drop_table('placette_api_token'))
    migrator.migrate(migrator.drop_table('placette_user'))
