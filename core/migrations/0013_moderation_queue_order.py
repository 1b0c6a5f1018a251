# Written by hand (the columns and indexes a schema diff gives, then the rows written before).
# The moderation queue joined every open case to its resource to count them and again to sort
# them (some 1,200 resources read per view of a busy city's queue).  A case now keeps its
# resource's space and plugin and its place in the queue (``rank``: hidden first), so the queue
# counts and pages its open cases from an index of placette_moderation_case alone.
from peewee import CharField, IntegerField


def up(migrator, db):
    migrator.migrate(
        migrator.add_column("placette_moderation_case", "space_id", IntegerField(null=True)),
        migrator.add_column("placette_moderation_case", "plugin",
                            CharField(max_length=64, default="")),
        migrator.add_column("placette_moderation_case", "rank", IntegerField(default=1)))
    db.execute_sql(
        "UPDATE placette_moderation_case SET "
        "space_id = (SELECT r.space_id FROM placette_resource r "
        "WHERE r.id = placette_moderation_case.resource_id), "
        "plugin = COALESCE((SELECT r.plugin FROM placette_resource r "
        "WHERE r.id = placette_moderation_case.resource_id), ''), "
        "rank = CASE WHEN (SELECT r.state FROM placette_resource r "
        "WHERE r.id = placette_moderation_case.resource_id) = 'hidden' THEN 0 ELSE 1 END")
    migrator.migrate(
        migrator.add_index("placette_moderation_case",
                           ("open", "rank", "opened_at", "id", "plugin", "space_id")),
        migrator.add_index("placette_moderation_case",
                           ("space_id", "open", "rank", "opened_at", "id")))


def down(migrator, db):
    migrator.migrate(
        migrator.drop_index("placette_moderation_case",
                            "placette_moderation_case_open_rank_opened_at_id_plugin_space_id"),
        migrator.drop_index("placette_moderation_case",
                            "placette_moderation_case_space_id_open_rank_opened_at_id"),
        migrator.drop_column("placette_moderation_case", "rank"),
        migrator.drop_column("placette_moderation_case", "plugin"),
        migrator.drop_column("placette_moderation_case", "space_id"))
