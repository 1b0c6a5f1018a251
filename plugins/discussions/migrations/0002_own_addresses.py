# Written by hand (data only: no schema change).
# A topic's replies are now shown fifty a page, and the threads of comments ten conversations a
# page: an address ending in "#post-<id>" or "#comment-<id>" only lands on the reply when it is
# on the first page.  Each reply and comment now has its own address, which redirects to the
# page showing it (/s/<space>/discussions/topics/<topic>/posts/<id>,
# /s/<space>/discussions/comments/<id>); the registry rows written before get it too, so
# search, the moderation queue and activity link to the right page.
import re

_POST = re.compile(r"^(/s/[^/#?]+/discussions/topics/\d+)#post-(\d+)$")
BATCH = 500


def up(migrator, db):
    param = db.param
    cursor = db.execute_sql(
        "SELECT r.id, r.kind, r.object_id, r.url, s.slug FROM placette_resource r "
        "JOIN placette_space s ON s.id = r.space_id "
        f"WHERE r.plugin = {param} AND r.kind IN ({param}, {param}) AND r.url LIKE {param}",
        ("discussions", "post", "comment", "%#%"))
    changes = []
    for rid, kind, object_id, url, slug in cursor.fetchall():
        if kind == "post":
            match = _POST.match(url or "")
            if match is None or match.group(2) != object_id:
                continue
            changes.append((f"{match.group(1)}/posts/{object_id}", rid))
        elif (url or "").endswith(f"#comment-{object_id}"):
            changes.append((f"/s/{slug}/discussions/comments/{object_id}", rid))
    for start in range(0, len(changes), BATCH):
        with db.atomic():
            for new_url, rid in changes[start:start + BATCH]:
                db.execute_sql(f"UPDATE placette_resource SET url = {param} WHERE id = {param}",
                               (new_url, rid))


def down(migrator, db):
    pass  # the new addresses keep working: nothing to undo
