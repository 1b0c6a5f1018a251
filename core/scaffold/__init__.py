"""``placette plugins new NAME``: write a ready-to-install plugin distribution.

The files come from ``scaffold/plugin/`` (shipped in the kernel's wheel as ``*.tmpl``): path
segments ``PACKAGE`` and ``NAME`` become the import package and the plugin name, and ``${name}``
placeholders are filled with :class:`string.Template` -- plain ``$`` substitution, so the Jinja
and Python inside the templates need no escaping.  The result is a working plugin with a
manifest, one page, one action, a model with its migration, a template, French and English
catalogues (extracted, translated, compiled: ``translations/`` is there for the §12 commands) and
tests.
"""
from __future__ import annotations

import keyword
import re
from pathlib import Path
from string import Template

from ..errors import PlacetteError
from ..version import __version__

TEMPLATES = Path(__file__).parent / "plugin"
# French for the scaffold's own msgids; the title is the author's, kept as it is.
FRENCH = {"Add": "Ajouter", "Add items": "Ajouter des éléments",
          "Nothing yet.": "Rien pour le moment.",
          "Sign in to add items": "Se connecter pour ajouter", "Title": "Titre"}
NAME_RE = re.compile(r"^[a-z][a-z0-9_]{1,30}$")
TITLE_RE = re.compile(r"^[^\"'\\{}$%<>\n]{1,80}$")
RESERVED = {"placette", "space", "api", "static", "assets", "admin", "auth", "manage"}


class ScaffoldError(PlacetteError):
    pass


def check_name(name: str) -> None:
    if not NAME_RE.match(name or "") or keyword.iskeyword(name) or name in RESERVED:
        raise ScaffoldError(f"plugin name {name!r}: use 2 to 31 lower-case letters, digits or _ "
                            f"starting with a letter (it prefixes tables, URLs and actions), "
                            f"not a Python keyword nor one of {', '.join(sorted(RESERVED))}")


def write_plugin(name: str, directory: Path, title: str | None = None) -> Path:
    """Write ``directory/placette-<name>/`` and return it; refuses to overwrite anything."""
    check_name(name)
    title = (title or name.replace("_", " ").capitalize()).strip()
    if not TITLE_RE.match(title):
        raise ScaffoldError("--title: up to 80 characters, without quotes, backslashes, "
                            "braces, $, % or angle brackets")
    dist = f"placette-{name.replace('_', '-')}"
    target = Path(directory).expanduser().resolve() / dist
    if target.exists():
        raise ScaffoldError(f"{target} already exists: choose another --dir or remove it")
    values = {"name": name, "package": f"placette_{name}", "dist": dist, "title": title,
              "placette_version": __version__}
    for source in sorted(TEMPLATES.rglob("*.tmpl")):
        relative = source.relative_to(TEMPLATES).with_suffix("")  # drop .tmpl
        parts = [values["package"] if p == "PACKAGE" else p.replace("NAME", name)
                 for p in relative.parts]
        destination = target.joinpath(*parts)
        destination.parent.mkdir(parents=True, exist_ok=True)
        text = Template(source.read_text(encoding="utf-8")).substitute(values)
        destination.write_text(text, encoding="utf-8")
    write_catalogues(target, title)
    return target


def write_catalogues(target: Path, title: str) -> None:
    """``translations/{fr,en}`` through the same extract / init / compile cycle as
    ``placette plugins i18n``, with the French of the scaffold's strings filled in."""
    from babel.messages.pofile import read_po, write_po

    from ..plugin_i18n import compile_catalogues, update_catalogues
    translations = update_catalogues(target)
    po = translations / "fr" / "LC_MESSAGES" / "messages.po"
    with open(po, "rb") as handle:
        catalogue = read_po(handle)
    for message in catalogue:
        if message.id:
            message.string = FRENCH.get(message.id, title if message.id == title else "")
    with open(po, "wb") as handle:
        write_po(handle, catalogue, width=100)
    compile_catalogues(target)
