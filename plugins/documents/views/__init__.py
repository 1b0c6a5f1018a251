"""The library's pages under ``/s/<space>/documents/`` (the blueprint answers 404 where the
space is not readable or the module is off).  Every document and folder is looked up through
``placette.can()``: what one may not see answers 404, files included.  A document hidden or pending
in moderation is 404 too -- page, downloads, thumbnails -- except for its author and the space's
animators, who see why on its page.

Each module holds one concern and registers its routes on ``bp`` when imported: ``filters``
(template filters), ``browsing`` (folders, gallery, a document's page), ``files`` (downloads,
thumbnails), ``uploads`` (upload, describe photos), ``editing`` (versions, edit, delete,
validate), ``folders`` (create, rename, delete folders), ``attachments`` (attach to a resource).
``common`` holds the 404 lookups and request helpers they share.
"""
from __future__ import annotations

import placette

bp = placette.space_blueprint("documents", __name__)

# Imported for their routes (after ``bp`` exists: each module registers on it).
from . import (attachments, browsing, editing, files, filters, folders,  # noqa: E402,F401
               uploads)
