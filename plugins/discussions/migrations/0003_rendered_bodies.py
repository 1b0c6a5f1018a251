# Written by hand (a column per table, then the rows written before it).
# A page of comments or topic replies ran Markdown and the sanitiser on every body at every view
# (some 0.2 ms each when the process's memo of short texts misses: a busy thread is a hundred
# bodies).  Bodies are now stored rendered when written (``body_html``); this fills it for the
# rows written before, in batches (a row left empty would still be rendered when read).
from peewee import TextField

import placette

TABLES = ("discussions_comment", "discussions_topic", "discussions_topic_post")
BATCH = 500


def up(migrator, db):
    for table in TABLES:
        migrator.migrate(migrator.add_column(table, "body_html", TextField(null=True)))
    backfill(db)


def backfill(db):
    """Render the bodies that have no ``body_html`` yet."""
    param = db.param
    for table in TABLES:
        last = 0
        while True:
            rows = db.execute_sql(
                f"SELECT id, body FROM {table} WHERE id > {param} AND body_html IS NULL "
                f"ORDER BY id LIMIT {BATCH}", (last,)).fetchall()
            if not rows:
                break
            with db.atomic():
                for row_id, body in rows:
                    db.execute_sql(f"UPDATE {table} SET body_html = {param} WHERE id = {param}",
                                   (str(placette.render_markdown(body or "")), row_id))
            last = rows[-1][0]


def down(migrator, db):
    for table in TABLES:
        migrator.migrate(migrator.drop_column(table, "body_html"))
