# Written by hand (an index found by the benchmark).
# A paragraph's page reads its comments twenty at a time, oldest first: with (draft_id,
# at_paragraph, created_at) it reads only that paragraph's, in order, instead of walking every
# comment of the draft by date.
from peewee import *


def up(migrator, db):
    migrator.migrate(migrator.add_index('drafting_comment',
                                        ('draft_id', 'at_paragraph', 'created_at')))


def down(migrator, db):
    migrator.migrate(migrator.drop_index('drafting_comment',
                                         'drafting_comment_draft_id_at_paragraph_created_at'))
