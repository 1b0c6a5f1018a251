"""Small helpers for in-process tests of the identity pages (Flask test client)."""
from __future__ import annotations

import re

from placette.testing import mail_text

LINK_RE = re.compile(r"https?://\S+?(/(?:auth/link|auth/reset|invitations)/[A-Za-z0-9_\-]+)")


def signed_in(client) -> bool:
    """Is the client's session signed in?  (The profile page answers only then.)"""
    return client.get("/me/").status_code == 200


def link_path(message) -> str:
    """The site path of the single-use link in a mail's text part."""
    match = LINK_RE.search(mail_text(message))
    assert match, mail_text(message)
    return match.group(1)


def text(response) -> str:
    return response.get_data(as_text=True)
