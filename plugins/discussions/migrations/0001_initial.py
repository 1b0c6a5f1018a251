# Generated from a schema diff on 2026-12-06 08:30.
# discussions: comments on any resource, their earlier versions, follows; topics in one or
# several spaces, their posts and read markers.
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

    class Comment(Model):
        resource = ForeignKeyField(Resource, on_delete='CASCADE')
        space = ForeignKeyField(Space, on_delete='CASCADE')
        own = ForeignKeyField(Resource, null=True, on_delete='SET NULL')
        parent = ForeignKeyField('self', null=True, on_delete='CASCADE')
        thread = ForeignKeyField('self', null=True, on_delete='CASCADE')
        root = ForeignKeyField('self', null=True, on_delete='CASCADE')
        depth = IntegerField(default=0)
        author = ForeignKeyField(User, null=True, on_delete='SET NULL')
        body = TextField()
        stance = CharField(null=True, max_length=8)
        created_at = DateTimeField()
        edited_at = DateTimeField(null=True)
        removed_at = DateTimeField(null=True)
        removed_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        class Meta:
            database = db
            table_name = 'discussions_comment'
            indexes = ((('resource', 'created_at'), False), (('root', 'created_at'), False))
    db.create_tables([Comment])

    class CommentVersion(Model):
        comment = ForeignKeyField(Comment, on_delete='CASCADE')
        body = TextField()
        written_at = DateTimeField()
        replaced_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'discussions_comment_version'
    db.create_tables([CommentVersion])

    class Follow(Model):
        user = ForeignKeyField(User, on_delete='CASCADE')
        resource = ForeignKeyField(Resource, on_delete='CASCADE')
        following = BooleanField(default=True)
        class Meta:
            database = db
            table_name = 'discussions_follow'
            indexes = ((('resource', 'user'), True),)
    db.create_tables([Follow])

    class Topic(Model):
        space = ForeignKeyField(Space, on_delete='CASCADE')
        author = ForeignKeyField(User, null=True, on_delete='SET NULL')
        title = CharField(max_length=200)
        body = TextField()
        pinned = BooleanField(default=False)
        closed = BooleanField(default=False)
        created_at = DateTimeField()
        last_activity_at = DateTimeField(index=True)
        post_count = IntegerField(default=0)
        class Meta:
            database = db
            table_name = 'discussions_topic'
    db.create_tables([Topic])

    class TopicPost(Model):
        topic = ForeignKeyField(Topic, on_delete='CASCADE')
        author = ForeignKeyField(User, null=True, on_delete='SET NULL')
        body = TextField()
        created_at = DateTimeField()
        edited_at = DateTimeField(null=True)
        removed_at = DateTimeField(null=True)
        class Meta:
            database = db
            table_name = 'discussions_topic_post'
            indexes = ((('topic', 'created_at'), False),)
    db.create_tables([TopicPost])

    class TopicRead(Model):
        user = ForeignKeyField(User, on_delete='CASCADE')
        topic = ForeignKeyField(Topic, on_delete='CASCADE')
        read_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'discussions_topic_read'
            indexes = ((('user', 'topic'), True),)
    db.create_tables([TopicRead])

    class TopicSpace(Model):
        topic = ForeignKeyField(Topic, on_delete='CASCADE')
        space = ForeignKeyField(Space, on_delete='CASCADE')
        class Meta:
            database = db
            table_name = 'discussions_topic_space'
            indexes = ((('space', 'topic'), True),)
    db.create_tables([TopicSpace])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('discussions_topic_space'))
    migrator.migrate(migrator.drop_table('discussions_topic_read'))
    migrator.migrate(migrator.drop_table('discussions_topic_post'))
    migrator.migrate(migrator.drop_table('discussions_topic'))
    migrator.migrate(migrator.drop_table('discussions_follow'))
    migrator.migrate(migrator.drop_table('discussions_comment_version'))
    migrator.migrate(migrator.drop_table('discussions_comment'))
