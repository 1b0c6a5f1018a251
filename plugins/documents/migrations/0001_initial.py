# Generated from a schema diff on 2026-11-25 18:42.
from peewee import *


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

    class Folder(Model):
        space = ForeignKeyField(Space, on_delete='CASCADE')
        parent = ForeignKeyField('self', null=True, on_delete='CASCADE')
        name = CharField(max_length=150)
        visibility = CharField(null=True, max_length=16)
        created_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        created_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'documents_folder'
            indexes = ((('space', 'parent', 'name'), False),)
    db.create_tables([Folder])

    class Document(Model):
        space = ForeignKeyField(Space, on_delete='CASCADE')
        folder = ForeignKeyField(Folder, null=True, on_delete='CASCADE')
        title = CharField(max_length=300)
        description = TextField(default='')
        alt_text = TextField(default='')
        visibility = CharField(null=True, max_length=16)
        kind = CharField(index=True, max_length=16)
        author = ForeignKeyField(User, null=True, on_delete='SET NULL')
        validated_at = DateTimeField(null=True)
        validated_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        current_version_id = IntegerField(null=True)
        created_at = DateTimeField()
        updated_at = DateTimeField(index=True)
        class Meta:
            database = db
            table_name = 'documents_document'
            indexes = ((('space', 'folder', 'title'), False),)
    db.create_tables([Document])

    class Attachment(Model):
        document = ForeignKeyField(Document, on_delete='CASCADE')
        resource = ForeignKeyField(Resource, on_delete='CASCADE')
        created_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        created_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'documents_attachment'
            indexes = ((('resource', 'document'), True),)
    db.create_tables([Attachment])

    class Tag(Model):
        document = ForeignKeyField(Document, on_delete='CASCADE')
        name = CharField(index=True, max_length=50)
        class Meta:
            database = db
            table_name = 'documents_tag'
            indexes = ((('document', 'name'), True),)
    db.create_tables([Tag])

    class Version(Model):
        document = ForeignKeyField(Document, on_delete='CASCADE')
        number = IntegerField()
        storage_key = CharField(index=True, max_length=200)
        file_name = CharField()
        file_type = CharField(max_length=16)
        mime = CharField(max_length=100)
        size = BigIntegerField()
        sha256 = CharField(max_length=64)
        uploaded_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        created_at = DateTimeField()
        restored_from = IntegerField(null=True)
        width = IntegerField(null=True)
        height = IntegerField(null=True)
        thumb_key = CharField(null=True, max_length=200)
        web_key = CharField(null=True, max_length=200)
        image_status = CharField(max_length=16, default='none')
        text = TextField(null=True)
        text_status = CharField(max_length=16, default='none')
        class Meta:
            database = db
            table_name = 'documents_version'
            indexes = ((('document', 'number'), True),)
    db.create_tables([Version])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('documents_version'))
    migrator.migrate(migrator.drop_table('documents_tag'))
    migrator.migrate(migrator.drop_table('documents_attachment'))
    migrator.migrate(migrator.drop_table('documents_document'))
    migrator.migrate(migrator.drop_table('documents_folder'))
