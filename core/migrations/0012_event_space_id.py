# Written by hand (the shape a schema diff gives): a space's newest events, read backwards from
# this index and stopped after a page, so the dashboard's "what is new" block costs the same
# whatever the length of the city's history (placette.notifications.queries.recent_activity).
from peewee import *


def up(migrator, db):
    migrator.migrate(migrator.add_index('placette_event', ('space_id', 'id')))


def down(migrator, db):
    migrator.migrate(migrator.drop_index('placette_event', 'placette_event_space_id_id'))
