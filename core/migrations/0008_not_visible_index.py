# Written by hand (a partial index: peewee's schema diff does not describe them).
# Lists of a plugin's items leave out the few that moderation hides from the viewer
# (placette.exclude_moderated): this index finds those few without reading every resource.


def up(migrator, db):
    db.execute_sql("CREATE INDEX IF NOT EXISTS placette_resource_not_visible "
                   "ON placette_resource (plugin, kind, object_id) WHERE state <> 'visible'")


def down(migrator, db):
    db.execute_sql("DROP INDEX IF EXISTS placette_resource_not_visible")
