# Written by hand (one column).
# A comment's author may now correct its text; ``edited_at`` is when they last did (shown to
# readers as "edited"), NULL for a comment never changed -- every comment written before.
from peewee import DateTimeField


def up(migrator, db):
    migrator.migrate(migrator.add_column("drafting_comment", "edited_at",
                                         DateTimeField(null=True)))


def down(migrator, db):
    migrator.migrate(migrator.drop_column("drafting_comment", "edited_at"))
