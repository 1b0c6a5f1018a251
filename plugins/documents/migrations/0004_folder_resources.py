# Written by hand (data: folders join the resource registry).
# A folder is now a registry resource (kind ``documents.folder``): it can be found by its name
# and picked for the public window, which shows its described photos as a gallery.  Folders
# created from now on are published by the library; this gives the existing ones their row.
# They reach the search index at the next ``placette search reindex`` (or ``placette db copy``).
_BACKFILL = """INSERT INTO placette_resource
    (plugin, kind, object_id, space_id, visibility, author_id, title, summary, url, state,
     created_at, updated_at)
SELECT 'documents', 'folder', CAST(f.id AS VARCHAR(64)), f.space_id, f.visibility, NULL,
       f.name, '', '/s/' || s.slug || '/documents/folders/' || CAST(f.id AS VARCHAR(64)),
       'visible', f.created_at, f.created_at
FROM documents_folder f JOIN placette_space s ON s.id = f.space_id
WHERE 1 = 1  -- SQLite needs a WHERE before ON CONFLICT in INSERT ... SELECT
ON CONFLICT DO NOTHING"""


def up(migrator, db):
    db.execute_sql(_BACKFILL)


def down(migrator, db):
    db.execute_sql("DELETE FROM placette_resource WHERE plugin = 'documents' AND kind = 'folder'")
