# Written by hand: a one-row table, no model.  The page cache serves a stored page only while
# this counter is unchanged; every committed write bumps it (see placette.db.changes).


def up(migrator, db):
    db.execute_sql("CREATE TABLE IF NOT EXISTS placette_change_counter "
                   "(id INTEGER PRIMARY KEY, n BIGINT NOT NULL)")
    db.execute_sql("INSERT INTO placette_change_counter (id, n) VALUES (1, 0)")


def down(migrator, db):
    db.execute_sql("DROP TABLE IF EXISTS placette_change_counter")
