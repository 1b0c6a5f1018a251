# Written by hand (an index found by the benchmark on PostgreSQL).
# The city's documents page lists the newest documents one may see, ORDER BY updated_at DESC,
# id DESC.  With only (updated_at), PostgreSQL read and joined every document of the city, then
# sorted them (18 ms at medium scale); with (updated_at, id) it walks the index from the newest
# and stops at the page's fiftieth (2 ms).  SQLite already walked (updated_at): unchanged.
from peewee import *


def up(migrator, db):
    migrator.migrate(migrator.add_index('documents_document', ('updated_at', 'id')))


def down(migrator, db):
    migrator.migrate(migrator.drop_index('documents_document',
                                         'documents_document_updated_at_id'))
