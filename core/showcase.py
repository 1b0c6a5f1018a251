"""What a plugin offers to the public window (the ``showcase`` plugin), and in which shape.

A plugin answers two hooks (see :mod:`placette.hookspecs`):

* ``showcase_items(space, actor)`` -- the list of :class:`ShowcaseOffer` a space's animator may
  pick from (only items ``actor`` may see, only where the plugin is on);
* ``showcase_item(resource, actor)`` -- the offer for one registry row, called on the plugin that
  published it, when an animator picks it by ``"<plugin>.<kind>:<object_id>"`` or republishes it.

The showcase **copies** an offer when it is picked (title, HTML, files' bytes) and shows the copy,
never the original: the public window can never reach into a private space, and an edit of the
original changes nothing public until an animator republishes.  So an offer must carry everything
the public may read, already rendered and sanitised, and nothing else: the showcase shows every
field of it.  ``data`` feeds the open-data exports (CSV, JSON) of the offer's ``dataset``; keep it
flat, JSON-serialisable, with ISO 8601 dates.

A photo's smaller copies are often made after upload, by a task: an item picked before they
exist is frozen without them.  A plugin that names the original of each photo
(``ShowcaseFile.source``) calls :func:`showcase_files_ready` once they are made; the showcase,
listening to the kernel event ``placette.showcase.files_ready``, then completes the shown copies
that hold that original (and only those), without an animator republishing.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Callable

#: What the public window calls an item; the showcase groups and labels items by it.
SHOWCASE_CATEGORIES = ("meeting", "minutes", "opinion", "results", "document", "gallery", "page")

#: Open-data datasets the showcase exports (``/vitrine/data/<dataset>.csv|.json``).
SHOWCASE_DATASETS = ("meetings", "results", "opinions")


@dataclass(frozen=True)
class ShowcaseFile:
    """A file published with an offer; ``read()`` is called once, when the item is (re)published,
    and its bytes are copied to the showcase's public store.

    A photo (a PNG, JPEG, GIF or WebP) that carries ``alt`` -- its text alternative, required by
    RGAA for an image that conveys information -- is shown in the page as a picture, with
    ``caption`` under it and ``thumbnail`` (a smaller copy, itself a ``ShowcaseFile``) in the
    grid when given; any other file is offered as a download.  This is how a photo gallery is
    offered: category ``"gallery"``, one described file per photo.

    ``source`` names the original the file is made from, stable while those bytes do not change
    (``"documents.version:12"``: prefixed with the plugin's name, at most 200 characters).  Give
    it when the thumbnail or a web-sized copy may come later, and call
    :func:`showcase_files_ready` with it when they do.
    """
    name: str
    content_type: str
    read: Callable[[], bytes]
    alt: str = ""
    caption: str = ""
    thumbnail: ShowcaseFile | None = None
    source: str = ""


@dataclass(frozen=True)
class ShowcaseOffer:
    """One item offered to the public window, as the public will see it once frozen."""
    resource: Any                      # the placette.Resource registry row it comes from
    category: str                      # one of SHOWCASE_CATEGORIES
    title: str
    body_html: str = ""                # sanitised HTML (placette.render_markdown output), or ""
    summary: str = ""                  # plain text, a sentence or two
    decided_at: datetime | None = None  # date of the meeting, decision, vote or adoption (aware)
    answer_status: str | None = None   # the city's official answer, when the item has one
    files: tuple[ShowcaseFile, ...] = ()
    dataset: str | None = None         # one of SHOWCASE_DATASETS, or None (not exported as data)
    data: dict = field(default_factory=dict)

    def __post_init__(self):
        if self.category not in SHOWCASE_CATEGORIES:
            raise ValueError(f"category must be one of {SHOWCASE_CATEGORIES}")
        if self.dataset not in (None, *SHOWCASE_DATASETS):
            raise ValueError(f"dataset must be one of {SHOWCASE_DATASETS} or None")


def showcase_offers(space, actor) -> list[ShowcaseOffer]:
    """Every offer of ``space`` that ``actor`` may see, from every plugin on in the space.

    Answers that are not :class:`ShowcaseOffer` (a plugin written against the old declaration,
    which returned registry rows) are dropped, so one stale plugin cannot break the picker."""
    from .kernel import registry
    return [offer for offer in registry().collect("showcase_items", space=space, actor=actor)
            if isinstance(offer, ShowcaseOffer)]


def showcase_offer(resource, actor) -> ShowcaseOffer | None:
    """The offer for one registry row, asked of the plugin that published it; ``None`` when
    that plugin offers nothing for it or ``actor`` may not see it."""
    from .kernel import registry
    if resource is None:
        return None
    for _plugin, offer in registry().call_each("showcase_item", only={resource.plugin},
                                               resource=resource, actor=actor):
        if isinstance(offer, ShowcaseOffer):
            return offer
    return None


#: The kernel event :func:`showcase_files_ready` emits (told to nobody: only listeners hear it).
FILES_READY = "placette.showcase.files_ready"


def showcase_files_ready(space, sources, resource=None):
    """Say that the files named ``sources`` (their ``ShowcaseFile.source``) now have their
    thumbnail or web-sized copy, in ``space``: call it in the transaction that records them.

    The event ``placette.showcase.files_ready`` (data ``{"sources": [...]}``) is recorded for
    listeners only -- no notification, no line on Activity -- and only when some activated plugin
    listens to it (the showcase does); returns the event, or ``None`` when nobody listens or
    ``sources`` is empty."""
    from .events import emit, listeners
    sources = sorted({str(s) for s in sources if s})
    if not sources or FILES_READY not in listeners():
        return None
    return emit(FILES_READY, space=space, resource=resource, recipients=[],
                data={"sources": sources})
