"""French is the city's default language: every string a person can meet must be translated.

A string marked in the code or a template but missing from the compiled French catalogue shows
up in English in the middle of a French page or e-mail (it happened to the whole notifications
and moderation UI once).  This test extracts the strings exactly as ``scripts/i18n update`` and
the plugins' ``babel.cfg`` do, and reads the compiled ``.mo`` files that are shipped, so a
forgotten ``scripts/i18n compile`` fails too.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo

ROOT = Path(__file__).resolve().parent.parent
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None, "send_templated": (3,),
            "plural_label": (1, 2)}

# (name, folder holding babel.cfg, compiled French catalogue)
CATALOGUES = [
    ("kernel", ROOT, ROOT / "core/translations/fr/LC_MESSAGES/messages.mo"),
    ("agenda", ROOT / "plugins/agenda",
     ROOT / "plugins/agenda/translations/fr/LC_MESSAGES/messages.mo"),
    ("discussions", ROOT / "plugins/discussions",
     ROOT / "plugins/discussions/translations/fr/LC_MESSAGES/messages.mo"),
    ("documents", ROOT / "plugins/documents",
     ROOT / "plugins/documents/translations/fr/LC_MESSAGES/messages.mo"),
    ("pages", ROOT / "plugins/pages",
     ROOT / "plugins/pages/translations/fr/LC_MESSAGES/messages.mo"),
    ("drafting", ROOT / "plugins/drafting",
     ROOT / "plugins/drafting/translations/fr/LC_MESSAGES/messages.mo"),
    ("keys", ROOT / "examples/placette-keys",
     ROOT / "examples/placette-keys/placette_keys/translations/fr/LC_MESSAGES/messages.mo"),
]


def extracted(folder: Path) -> set[str | tuple[str, ...]]:
    with open(folder / "babel.cfg", encoding="utf-8") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
            str(folder), method_map, options_map, keywords=KEYWORDS):
        msgid = message[0] if isinstance(message, (tuple, list)) else message
        if msgid:
            found.add(msgid)
    return found


@pytest.mark.parametrize("name,folder,compiled", CATALOGUES, ids=[c[0] for c in CATALOGUES])
def test_every_string_has_a_french_translation(name, folder, compiled):
    with open(compiled, "rb") as handle:
        catalogue = read_mo(handle)
    translated = set()
    for message in catalogue:
        msgid = message.id[0] if isinstance(message.id, (tuple, list)) else message.id
        strings = message.string if isinstance(message.string, (tuple, list)) else [message.string]
        if msgid and all(strings):
            translated.add(msgid)
    strings = extracted(folder)
    assert len(strings) > 50, f"extraction found almost nothing in {folder}"
    missing = sorted(strings - translated)
    assert not missing, (f"{name}: {len(missing)} string(s) without a French translation "
                         f"(run the catalogue update and compile): {missing[:20]}")
