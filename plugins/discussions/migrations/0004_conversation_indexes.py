# Written by hand (indexes found by the benchmark).
# A page of a thread reads its conversations: the item's top-level comments in date order, and
# how many replies each one has.  (resource_id, parent_id, created_at) lists the top-level
# comments without sorting them; (resource_id, root_id, own_id) counts a conversation's replies,
# with what the permission gate needs, without reading their rows.
from peewee import *


def up(migrator, db):
    migrator.migrate(migrator.add_index('discussions_comment',
                                        ('resource_id', 'parent_id', 'created_at')))
    migrator.migrate(migrator.add_index('discussions_comment',
                                        ('resource_id', 'root_id', 'own_id')))


def down(migrator, db):
    migrator.migrate(migrator.drop_index('discussions_comment',
                                         'discussions_comment_resource_id_parent_id_created_at'))
    migrator.migrate(migrator.drop_index('discussions_comment',
                                         'discussions_comment_resource_id_root_id_own_id'))
