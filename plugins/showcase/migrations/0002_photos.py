# Written by hand (photo galleries): a shown photo keeps its text alternative and caption, and
# its thumbnail is a file of its own pointing at it.
from peewee import ForeignKeyField, Model, TextField


def up(migrator, db):
    class File(Model):
        class Meta:
            database = db
            table_name = 'showcase_file'

    migrator.migrate(
        migrator.add_column('showcase_file', 'alt', TextField(default='')),
        migrator.add_column('showcase_file', 'caption', TextField(default='')),
        migrator.add_column('showcase_file', 'thumbnail_of_id',
                            ForeignKeyField(File, field=File.id, null=True, on_delete='CASCADE')),
    )


def down(migrator, db):
    migrator.migrate(migrator.drop_column('showcase_file', 'thumbnail_of_id'),
                     migrator.drop_column('showcase_file', 'caption'),
                     migrator.drop_column('showcase_file', 'alt'))
