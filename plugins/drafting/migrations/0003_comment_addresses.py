# Written by hand (data only: no schema change).
# The draft page now shows each paragraph's text with a summary of its comments, ratings and
# amendments; the comments themselves are on the paragraph's own page, twenty a page.  An
# address ending in "#comment-<id>" on the draft page no longer lands on the comment, so each
# comment has its own address, which redirects to the page showing it
# (/s/<space>/drafting/<draft>/comments/<id>); the registry rows written before get it too, so
# search, the moderation queue and activity link to the right page.  (Notifications sent
# before keep their old link: the draft page's script follows it to the comment's address.)
import re

_COMMENT = re.compile(r"^(/s/[^/#?]+/drafting/\d+)#comment-(\d+)$")
BATCH = 500


def up(migrator, db):
    param = db.param
    cursor = db.execute_sql(
        "SELECT id, object_id, url FROM placette_resource "
        f"WHERE plugin = {param} AND kind = {param} AND url LIKE {param}",
        ("drafting", "comment", "%#comment-%"))
    changes = []
    for rid, object_id, url in cursor.fetchall():
        match = _COMMENT.match(url or "")
        if match is None or match.group(2) != object_id:
            continue
        changes.append((f"{match.group(1)}/comments/{object_id}", rid))
    for start in range(0, len(changes), BATCH):
        with db.atomic():
            for new_url, rid in changes[start:start + BATCH]:
                db.execute_sql(f"UPDATE placette_resource SET url = {param} WHERE id = {param}",
                               (new_url, rid))


def down(migrator, db):
    pass  # the new addresses keep working: nothing to undo
