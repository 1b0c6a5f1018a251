"""One import rule, for every plugin: a plugin talks to the kernel only through the ``placette``
facade, never through ``placette.<inner>`` modules (they may change between releases), and never
imports another plugin (each can be switched off on its own).  The kernel never imports a plugin.

The rule is read from the source with :mod:`ast` -- relative imports resolved, ``importlib``
calls with a literal name included -- over every bundled plugin (every package under
``plugins/``, so a new one is covered without editing this file) and every example plugin under
``examples/``.  A third-party library is allowed when the plugin's distribution depends on it,
directly or through placette (a plugin cannot rely on a library nobody installs).
"""
from __future__ import annotations

import ast
import importlib.metadata
import sys
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

import placette

ROOT = Path(__file__).resolve().parents[1]
KERNEL_PACKAGES = {"placette", "placette_themes"}


def bundled_plugins() -> dict[str, tuple[Path, str, str]]:
    """``{name: (folder, import name, distribution)}`` of the plugins this repository ships."""
    found = {}
    for folder in sorted((ROOT / "plugins").iterdir()):
        if (folder / "__init__.py").is_file():
            found[folder.name] = (folder, f"placette_plugins.{folder.name}", "placette")
    for project in sorted((ROOT / "examples").iterdir()):
        for folder in sorted(project.iterdir()):
            if (folder / "__init__.py").is_file() and folder.name != "tests":
                found[project.name] = (folder, folder.name, project.name)
    return found


PLUGINS = bundled_plugins()


def plugin_packages() -> set[str]:
    """Import names of every plugin: the bundled ones and any other installed one."""
    names = {package for _, package, _ in PLUGINS.values()}
    for entry_point in importlib.metadata.entry_points(group="placette.plugins"):
        module = entry_point.value.split(":")[0]
        names.add(module.rsplit(".", 1)[0] if module.endswith(".plugin") else module)
    return names


def dependency_modules(distribution: str) -> set[str]:
    """Top-level modules of ``distribution``'s run-time dependencies (and placette's: a plugin
    depends on it), followed transitively."""
    provided: dict[str, set[str]] = {}
    for module, dists in importlib.metadata.packages_distributions().items():
        for dist in dists:
            provided.setdefault(canonicalize_name(dist), set()).add(module)
    seen, todo = set(), [distribution, "placette"]
    while todo:
        name = canonicalize_name(todo.pop())
        if name in seen:
            continue
        seen.add(name)
        try:
            requires = importlib.metadata.requires(name) or []
        except importlib.metadata.PackageNotFoundError:
            continue
        for text in requires:
            requirement = Requirement(text)
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                todo.append(requirement.name)
    return {module for dist in seen for module in provided.get(dist, ())}


def module_name(path: Path, folder: Path, package: str) -> str:
    parts = list(path.relative_to(folder).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join([package, *parts])


def imports(path: Path, folder: Path, package: str):
    """``(line, absolute module name)`` of every import in one file, in line order."""
    return sorted(_imports(path, folder, package))


def _imports(path: Path, folder: Path, package: str):
    here = module_name(path, folder, package)
    is_package = path.name == "__init__.py"
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = here.split(".")
                base = base[:len(base) - node.level + (1 if is_package else 0)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            yield node.lineno, target
        elif (isinstance(node, ast.Call) and node.args
              and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)
              and (getattr(node.func, "attr", None) == "import_module"
                   or getattr(node.func, "id", None) == "__import__")):
            yield node.lineno, node.args[0].value


def violations(folder: Path, package: str, distribution: str) -> list[str]:
    """Every import of one plugin that breaks the rule, as ``file:line: why``."""
    others = plugin_packages() - {package}
    allowed = dependency_modules(distribution) | set(sys.stdlib_module_names) | {"__future__"}
    found = []
    for path in sorted(folder.rglob("*.py")):
        where = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
        for line, name in imports(path, folder, package):
            top = name.split(".")[0]
            if name == package or name.startswith(package + "."):
                continue
            if name == "placette":
                continue
            if top in KERNEL_PACKAGES:
                why = (f"imports {name}, an inner module of the kernel: use the placette "
                       f"facade (add what it lacks to core/__init__.py)")
            elif any(name == other or name.startswith(other + ".") for other in others) \
                    or top == "placette_plugins":
                why = f"imports {name}, another plugin: plugins never import each other"
            elif top in allowed:
                continue
            else:
                why = (f"imports {name}, which {distribution} does not depend on (declare it "
                       f"in its dependencies)")
            found.append(f"{where}:{line}: {why}")
    return found


@pytest.mark.parametrize("name", sorted(PLUGINS))
def test_the_plugin_imports_only_the_placette_facade(name):
    folder, package, distribution = PLUGINS[name]
    found = violations(folder, package, distribution)
    assert not found, "\n" + "\n".join(found)


def test_every_bundled_plugin_and_the_example_are_checked():
    assert {"agenda", "documents", "pages", "placette-keys"} <= set(PLUGINS)


def test_the_kernel_never_imports_a_plugin():
    plugins = plugin_packages() | {"placette_plugins"}
    found = []
    for path in sorted((ROOT / "core").rglob("*.py")):
        for line, name in imports(path, ROOT / "core", "placette"):
            if any(name == p or name.startswith(p + ".") for p in plugins):
                found.append(f"{path.relative_to(ROOT)}:{line}: imports {name}")
    assert not found, "\n" + "\n".join(found)


def test_no_plugin_keeps_its_own_copy_of_a_facade_name():
    """A plugin that copies a kernel table (permission levels...) drifts when the kernel
    changes: it should use the facade's."""
    exported = {n for n in placette.__all__ if not n.startswith("_")}
    found = []
    for folder, _package, _distribution in PLUGINS.values():
        for path in sorted(folder.rglob("*.py")):
            for node in ast.parse(path.read_text(encoding="utf-8")).body:
                targets = node.targets if isinstance(node, ast.Assign) else \
                    [node.target] if isinstance(node, ast.AnnAssign) else []
                found += [f"{path.relative_to(ROOT)}:{node.lineno}: {t.id}" for t in targets
                          if isinstance(t, ast.Name) and t.id in exported]
    assert not found, "\n" + "\n".join(found)


def test_the_rule_names_the_file_and_line_of_each_wrong_import(tmp_path):
    """The checker itself: each kind of wrong import is caught, with file and line."""
    folder = tmp_path / "placette_wrong"
    (folder / "sub").mkdir(parents=True)
    (folder / "__init__.py").write_text("")
    (folder / "sub" / "__init__.py").write_text("")
    (folder / "sub" / "views.py").write_text(
        "import placette\n"
        "from placette import can\n"
        "from . import helpers\n"
        "from ..models import Thing\n"
        "from placette.permissions import SPACE_LEVELS\n"
        "import placette_plugins.agenda.service\n"
        "from placette_keys import plugin\n"
        "import importlib\n"
        "importlib.import_module('placette.kernel')\n"
        "import not_a_dependency_of_anything\n")
    found = violations(folder, "placette_wrong", "placette")
    assert [f.split(": ", 1)[0].rsplit(":", 1)[1] for f in found] == ["5", "6", "7", "9", "10"]
    assert all(f.startswith(f"{folder / 'sub' / 'views.py'}:") for f in found)
    assert "inner module of the kernel" in found[0] and "another plugin" in found[1]
    assert "another plugin" in found[2] and "inner module" in found[3]
    assert "does not depend on" in found[4]
