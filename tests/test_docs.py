"""docs/plugins.md stays true: its hook reference, facade names, slots and fixtures follow the code.

When one of these fails, the code changed and the plugin guide did not (or the other way round):
document the new name in docs/plugins.md, or remove the one that no longer exists.
"""
import inspect
import re
from pathlib import Path

import pytest

import placette
from placette import hookspecs, testing

ROOT = Path(__file__).resolve().parents[1]
GUIDE = (ROOT / "docs" / "plugins.md").read_text(encoding="utf-8")
REFERENCE = GUIDE.split("\n## Hook reference\n", 1)[1]
HEADING = re.compile(r"^### `(\w+)\(([^)]*)\)`\n(.*?)(?=^### |\Z)", re.M | re.S)


def hookspecs_in_code() -> dict[str, tuple[list[str], bool]]:
    specs = {}
    for name, function in inspect.getmembers(hookspecs, inspect.isfunction):
        options = getattr(function, f"{hookspecs.PROJECT}_spec", None)
        if options is not None:
            specs[name] = (list(inspect.signature(function).parameters),
                           bool(options.get("firstresult")))
    return specs


def hooks_in_docs() -> dict[str, tuple[list[str], bool]]:
    return {name: ([a.strip() for a in args.split(",") if a.strip()], "*firstresult*" in body)
            for name, args, body in HEADING.findall(REFERENCE)}


def test_every_hookspec_is_documented_with_its_arguments():
    code, docs = hookspecs_in_code(), hooks_in_docs()
    assert len(code) > 20
    missing = sorted(set(code) - set(docs))
    assert missing == [], f"hooks missing from docs/plugins.md's Hook reference: {missing}"
    for name, (args, firstresult) in code.items():
        assert docs[name] == (args, firstresult), \
            f"{name}: code says {args} firstresult={firstresult}, the guide says {docs[name]}"


def test_no_documented_hook_is_gone():
    gone = sorted(set(hooks_in_docs()) - set(hookspecs_in_code()))
    assert gone == [], f"docs/plugins.md documents hooks that no longer exist: {gone}"


def test_every_facade_name_is_in_the_guide():
    missing = [name for name in placette.__all__ if f"`{name}" not in GUIDE
               and not re.search(rf"[`, ]{re.escape(name)}[`(,]", GUIDE)]
    assert missing == [], f"facade names not documented in docs/plugins.md: {missing}"


def test_every_slot_of_the_default_theme_is_listed():
    templates = ROOT / "themes" / "default" / "templates"
    used = set()
    for path in templates.rglob("*.html"):
        used |= set(re.findall(r"slot\('([\w.]+)'", path.read_text(encoding="utf-8")))
    assert used, "the default theme renders no slot?"
    missing = sorted(s for s in used if f"| `{s}` |" not in GUIDE)
    assert missing == [], f"slots rendered by the default theme, not in docs/plugins.md: {missing}"


def test_every_fixture_for_plugin_authors_is_listed():
    fixtures = [name for name, value in vars(testing).items()
                if type(value).__name__ == "FixtureFunctionDefinition"  # pytest >= 8.4
                or hasattr(value, "_pytestfixturefunction")]
    assert "make_space" in fixtures
    missing = [name for name in fixtures if f"`{name}" not in GUIDE]
    assert missing == [], f"placette.testing fixtures not in docs/plugins.md: {missing}"


@pytest.mark.parametrize("path", ["docs/plugins.md", "docs/architecture.md"])
def test_relative_links_point_to_files_that_exist(path):
    text = (ROOT / path).read_text(encoding="utf-8")
    for target in re.findall(r"\]\((?!https?://|#)([^)#]+)", text):
        assert (ROOT / path).parent.joinpath(target).resolve().exists(), f"{path}: {target}"
