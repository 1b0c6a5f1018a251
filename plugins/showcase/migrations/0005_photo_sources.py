# Written by hand (photos completed once their thumbnails exist): a shown photo keeps the name
# its offering plugin gave its original (``ShowcaseFile.source``), found again by that name when
# the plugin says its thumbnail and web-sized copy are ready.  Rows copied before keep "".
from peewee import CharField


def up(migrator, db):
    migrator.migrate(
        migrator.add_column('showcase_file', 'source', CharField(max_length=200, default='')),
        migrator.add_index('showcase_file', ('source',), False),
    )


def down(migrator, db):
    migrator.migrate(migrator.drop_index('showcase_file', 'showcase_file_source'),
                     migrator.drop_column('showcase_file', 'source'))
