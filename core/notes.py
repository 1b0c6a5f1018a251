"""Notes: the kernel's one tiny resource kind (``placette.note``), a short text in a space.

It exists so that a city running the kernel alone -- and the demo city, and the benchmarks --
has something to search and to moderate, and it is the smallest complete example of a resource:
published with :func:`placette.publish_resource`, shown through the moderation gate, with the
``resource.footer`` slot.  The text is the resource's summary: notes need no table of their own.
"""
from __future__ import annotations

import uuid
from typing import Any

from .models import Resource, Space
from .plugin_manager import KERNEL
from .resources import publish

KIND = "note"
MAX_TEXT = 1000


def note_url(space: Space, object_id: str) -> str:
    return f"/s/{space.slug}/notes/{object_id}"


def publish_note(space: Space, author: Any, title: str, text: str,
                 visibility: str | None = None, object_id: str | None = None) -> Resource:
    object_id = object_id or uuid.uuid4().hex[:12]
    return publish(KERNEL, KIND, object_id, space=space, title=title, author=author,
                   url=note_url(space, object_id), visibility=visibility,
                   summary=(text or "")[:MAX_TEXT])
