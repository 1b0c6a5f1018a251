# Generated from a schema diff on 2026-11-25 18:48 (ops: indexes found by the benchmark).
# Sorted lists of spaces read in index order; active members of a space and a space's audit
# log answered from an index instead of a scan as councils grow.
from peewee import *

def up(migrator, db):
    migrator.migrate(migrator.add_index('placette_space', ('kind', 'position', 'name')))
    migrator.migrate(migrator.add_index('placette_space', ('position', 'name')))
    migrator.migrate(migrator.add_index('placette_audit_entry', ('space_id', 'created_at')))
    migrator.migrate(migrator.add_index('placette_membership', ('space_id', 'expires_at')))


def down(migrator, db):
    migrator.migrate(migrator.drop_index('placette_membership', 'placette_membership_space_id_expires_at'))
    migrator.migrate(migrator.drop_index('placette_audit_entry', 'placette_audit_entry_space_id_created_at'))
    migrator.migrate(migrator.drop_index('placette_space', 'placette_space_position_name'))
    migrator.migrate(migrator.drop_index('placette_space', 'placette_space_kind_position_name'))
