"""The docs stay true: docs/plugins.md's hook reference, facade names, slots and fixtures follow
the code, and every guide's checkable claims hold -- "the kernel does not call this hook" (checked
against the calls in core/), "Two SQL shapes:" (against the items listed), ``placette.name``
(against the facade and the kernel's modules).

When one of these fails, the code changed and the docs did not (or the other way round): fix the
sentence, document the new name in docs/plugins.md, or remove the one that no longer exists.
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


# -- claims that drift: "not called", counted lists, facade names --------------------------------

DOCS = ["docs/plugins.md", "docs/architecture.md", "docs/operations.md", "README.md",
        *sorted(str(p.relative_to(ROOT)) for p in ROOT.glob("plugins/*/README.md")),
        *sorted(str(p.relative_to(ROOT)) for p in ROOT.glob("examples/*/README.md"))]
NOT_CALLED = re.compile(r"\b(?:does not|doesn't|do not|never) call\b|\bnot (?:yet )?called\b|"
                        r"\bnever called\b", re.I)
# ``placette.<x>`` that is no Python name: the entry-point group, file names.
NOT_PYTHON = {"plugins", "toml", "sqlite3", "conf", "env"}
NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
           "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}


def hooks_the_kernel_calls() -> dict[str, list[str]]:
    """``{hook: [file:line, ...]}`` of every hook call in core/: ``registry.<method>("hook")``
    for each registry method whose first argument is a hook name, and ``pm.hook.<hook>(...)``."""
    import ast

    from placette.plugin_manager import PluginRegistry
    methods = {name for name, fn in inspect.getmembers(PluginRegistry, inspect.isfunction)
               if list(inspect.signature(fn).parameters)[1:2] == ["hook"]}
    assert {"call_each", "collect"} <= methods
    calls: dict[str, list[str]] = {}
    for path in sorted((ROOT / "core").rglob("*.py")):
        if path.name == "hookspecs.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            name = None
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr in methods and node.args
                    and isinstance(node.args[0], ast.Constant)):
                name = node.args[0].value
            elif (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Attribute)
                  and node.value.attr == "hook"):
                name = node.attr
            if name:
                calls.setdefault(name, []).append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return calls


def clauses(text: str) -> list[str]:
    """Sentences and ``;``-separated clauses, code blocks left out."""
    text = re.sub(r"^```.*?^```", "", text, flags=re.M | re.S)
    return [c for c in re.split(r"(?<=[.;])\s+|\n\s*\n|\n- ", text) if c.strip()]


def test_hooks_said_not_to_be_called_are_not_called_and_the_others_are():
    """"The kernel does not call X yet" must stay true, and must be said of every hook the
    kernel never calls -- in its hookspec docstring and in the guide's hook reference."""
    specs, calls = hookspecs_in_code(), hooks_the_kernel_calls()
    unknown = sorted(set(calls) - set(specs))
    assert unknown == [], f"the kernel calls hooks that have no hookspec: {unknown}"
    wrong = []
    for path in DOCS:
        for clause in clauses((ROOT / path).read_text(encoding="utf-8")):
            if NOT_CALLED.search(clause):
                for hook in re.findall(r"`(\w+)(?:\([^`]*\))?`", clause):
                    if hook in calls:
                        wrong.append(f"{path} says `{hook}` is not called, but "
                                     f"{calls[hook][0]} calls it: {' '.join(clause.split())}")
    sections = {name: body for name, _args, body in HEADING.findall(REFERENCE)}
    for name in specs:
        docstring = inspect.getdoc(getattr(hookspecs, name)) or ""
        says = {"hookspec docstring": bool(NOT_CALLED.search(docstring)),
                "docs/plugins.md hook reference": bool(NOT_CALLED.search(sections[name]))}
        for where, said in says.items():
            if said and name in calls:
                wrong.append(f"{where} of `{name}` says it is not called; "
                             f"{calls[name][0]} calls it")
            if not said and name not in calls:
                wrong.append(f"the kernel never calls `{name}`: its {where} must say so "
                             f"(\"not called yet\")")
    assert not wrong, "\n" + "\n".join(wrong)


def counted_lists(text: str):
    """``(line, number announced, items that follow)`` for every list introduced by a sentence
    such as "Two cases need a word from the view:"."""
    lines = text.split("\n")
    fenced = False
    for index, line in enumerate(lines):
        if line.startswith("```"):
            fenced = not fenced
        if fenced or not line.rstrip().endswith(":"):
            continue
        paragraph = []
        for previous in reversed(lines[:index + 1]):
            if not previous.strip() or previous.lstrip().startswith(("- ", "* ", "#")):
                break
            paragraph.insert(0, previous)
        if not paragraph:
            continue
        sentence = re.split(r"(?<=[.!?])\s+", " ".join(paragraph))[-1]
        match = re.match(r"\W*(\w+)\b", sentence)
        if not match or match.group(1).lower() not in NUMBERS:
            continue
        following = lines[index + 1:]
        while following and not following[0].strip():
            following.pop(0)
        items = 0
        for item in following:
            if re.match(r"(?:[-*]|\d+\.) ", item):
                items += 1
            elif item.strip() and item.startswith(" "):
                continue  # an item's second line
            else:
                break
        if items:
            yield index + 1, NUMBERS[match.group(1).lower()], items


def test_counted_lists_have_as_many_items_as_they_announce():
    """"Two SQL shapes that matter:" followed by five items is a list that grew without its
    sentence: count again, or drop the number."""
    wrong = [f"{path}:{line}: announces {number}, lists {items}"
             for path in DOCS
             for line, number, items in counted_lists((ROOT / path).read_text(encoding="utf-8"))
             if number != items]
    assert not wrong, "\n" + "\n".join(wrong)


def test_counted_list_check_reads_a_list_as_a_reader_does():
    text = ("Intro.  Two shapes matter\n(measured):\n\n- one\n  continued\n- two\n- three\n\n"
            "Three steps:\n1. a\n2. b\n3. c\n\nPlain text: no list.\n")
    assert list(counted_lists(text)) == [(2, 2, 3), (9, 3, 3)]


def test_facade_names_used_in_the_docs_exist():
    """``placette.name`` in a guide is either a facade name or a module of the kernel;
    ``from placette import a, b`` in an example imports facade names only."""
    import importlib.util
    wrong = []
    for path in DOCS:
        text = (ROOT / path).read_text(encoding="utf-8")
        for name in sorted(set(re.findall(r"\bplacette\.([A-Za-z_]\w*)", text))):
            if name in NOT_PYTHON or name in placette.__all__ or hasattr(placette, name):
                continue
            if importlib.util.find_spec(f"placette.{name}") is None:
                wrong.append(f"{path}: placette.{name} is neither a facade name nor a module")
        for names in re.findall(r"^\s*from placette import \(?([\w ,\n]+?)\)?$", text, re.M):
            for name in re.findall(r"(\w+)(?: as \w+)?", names):
                if name != "as" and name not in placette.__all__:
                    wrong.append(f"{path}: `from placette import {name}`: not a facade name")
    assert not wrong, "\n" + "\n".join(wrong)


# -- what a plugin author reads in the guide exists (issue 25) -------------------------------------

# ``placette.<word>`` in the guide that are not facade names, and why.
NOT_FACADE = {"toml": "the instance's configuration file", "plugins": "the entry-point group",
              "wsgi": "the WSGI module gunicorn loads", "testing": "the pytest plugin",
              "__all__": "the facade's own list of names"}
NAMED_NOT_IMPORTED = {
    "placette.models.fields": "the import `migrations make` writes, which §4 says to replace",
    "placette.db.changes": "the page cache's write counter, named to explain it",
}


def _kernel_event_and_task_names() -> set[str]:
    from placette import kernel_hooks
    events = {event.name for event in kernel_hooks.register_events()}
    tasks = set()
    for declared_in in ("notifications/hooks.py", "kernel_hooks.py"):  # the kernel's tasks
        tasks |= set(re.findall(r'queue\.(?:task|periodic)\("(placette\.[\w.]+)"',
                                (ROOT / "core" / declared_in).read_text("utf-8")))
    return events | tasks


def test_every_facade_name_the_guide_uses_exists():
    """A snippet naming ``placette.X`` that the facade lacks sends authors into core/ (or to an
    AttributeError): every one must be a facade name -- or a kernel event or task name."""
    kernel_names = _kernel_event_and_task_names()
    wrong = []
    for name, rest in set(re.findall(r"(?<![\w.])placette\.([A-Za-z_]\w*)((?:\.\w+)*)", GUIDE)):
        dotted = f"placette.{name}{rest}"
        if name in NOT_FACADE or dotted in kernel_names or dotted in NAMED_NOT_IMPORTED:
            continue
        if name not in placette.__all__:
            wrong.append(f"placette.{name}{rest}")
    for group in re.findall(r"from placette import \(?([\w, \n]+)\)?", GUIDE):
        wrong += [n for n in re.findall(r"\w+", group) if n != "as" and n not in
                  placette.__all__ and n not in ("_l",)]
    wrong += [f"placette.testing.{n}" for n in re.findall(r"placette\.testing\.(\w+)", GUIDE)
              if not hasattr(testing, n)]
    assert sorted(set(wrong)) == [], "docs/plugins.md names what placette does not offer"


def test_the_resource_fields_table_lists_every_field():
    """§8's table of a ``placette.Resource``'s fields follows the model."""
    section = GUIDE.split("has these\nfields:", 1)[1].split("\n\n", 2)[1]
    documented = set()
    for row in section.splitlines()[2:]:
        documented |= set(re.findall(r"`(\w+)`", row.split("|")[1]))
    assert documented == set(placette.Resource._meta.fields)


def test_the_guide_documents_the_activity_line_and_the_way_back_from_sign_in():
    """The contract tests/test_plugin_contract.py checks, in the words authors read."""
    events = GUIDE.split("## 8. Resources and events", 1)[1].split("## 9.", 1)[0]
    assert "Activity" in events and "<the EventType's label>: <the resource's title>" in events
    assert "stays off the Activity page" in events and "`EventType(..., activity=True)`" in events
    assert "**your item's id as a string**" in events
    pages = GUIDE.split("## 5. Pages", 1)[1].split("## 6.", 1)[0]
    assert "placette.sign_in_url(next=None)" in pages and "sign_in_url()" in pages
    assert "/auth/sign-in?next=/s/square/budget/" in pages
