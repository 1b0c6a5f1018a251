"""What the showcase gives the kernel: French pages by default, complete catalogues, RGPD, the
entry point, and the one-projection rule (public surfaces read only the allowlisted fields)."""
from __future__ import annotations

from pathlib import Path

import pytest

PLUGIN_DIR = Path(__file__).resolve().parents[3] / "plugins" / "showcase"


def test_catalogues_are_complete_and_compiled():
    from placette.testing import catalogue_problems
    assert catalogue_problems(PLUGIN_DIR / "translations") == []


def test_discovered_through_the_entry_point():
    from placette.plugin_manager import installed_plugins
    assert installed_plugins()["showcase"].value == "placette_plugins.showcase.plugin"


@pytest.mark.parametrize("language,words", [("fr", ["Vitrine", "Conseils", "À venir"]),
                                            ("en", ["Public window", "Councils",
                                                    "What is next"])])
def test_public_pages_speak_french_by_default_and_english(client, council, people, make_page,
                                                          pick, language, words):
    page = make_page(council, people["animator"], "Page publique")
    pick(council, people["animator"], f"pages.page:{page.id}")
    client.set_cookie("lang", language)
    body = client.get("/vitrine/").get_data(as_text=True)
    assert f'lang="{language}"' in body
    for word in words:
        assert word in body


def test_rgpd_export_and_erase(app, council, people, make_page, pick):
    from placette_plugins.showcase import plugin
    from placette_plugins.showcase.models import Item
    page = make_page(council, people["animator"], "Page choisie")
    pick(council, people["animator"], f"pages.page:{page.id}")
    exported = plugin.export_user_data(people["animator"])
    assert [i["title"] for i in exported["picked_items"]] == ["Page choisie"]
    plugin.erase_user_data(people["animator"])
    assert Item.get().picked_by_id is None and Item.get().title == "Page choisie"


def test_public_surfaces_read_only_the_projection():
    """No public view module imports the models: they go through public.py's allowlist."""
    for name in ("pages.py", "data.py", "embed.py"):
        text = (PLUGIN_DIR / "views" / name).read_text()
        assert "models" not in text, name
    for name in ("feeds.py", "exports.py", "maps.py"):
        assert "models" not in (PLUGIN_DIR / name).read_text(), name
