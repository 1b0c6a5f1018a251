"""A plugin's catalogues: the extract / init / update / compile cycle, and a check of the result.

``placette plugins i18n`` and ``placette plugins new`` run the same ``pybabel`` commands that
docs/plugins.md §12 lists (through Babel's own command-line front end, so both paths stay one), in
a plugin distribution's folder: ``babel.cfg`` next to one ``placette_<name>/`` package -- or a
bundled plugin's folder (``plugins/<name>/``: ``babel.cfg`` inside the package itself, its
catalogues in ``plugins/<name>/translations``).
:func:`catalogue_problems` is what a plugin's test suite asserts empty (``placette.testing``
re-exports it): every French msgid translated, plural forms included, and each ``.mo`` matching
its ``.po``.
"""
from __future__ import annotations

import gettext
from pathlib import Path
from typing import Callable

from .errors import PlacetteError

LANGUAGES = ("fr", "en")  # French is the product's default; English msgids need no translation
KEYWORDS = ("_l", "lazy_gettext", "plural_label:1,2")  # besides Babel's defaults (_, ngettext...)
WIDTH = ("--width", "100")  # the line width of the kernel's and placette-keys' catalogues


# The plural forms gettext has always used, and the kernel's catalogues use.  Recent Babel (CLDR
# 42+) writes three forms for French (a "many" form for 1,000,000); a translator then leaves one
# empty and the catalogue check fails, so a new catalogue gets the two forms French speakers use.
PLURAL_FORMS = {"fr": "nplurals=2; plural=(n > 1);", "en": "nplurals=2; plural=(n != 1);"}


class CatalogueError(PlacetteError):
    pass


def set_plural_forms(po: Path, plural_forms: str) -> None:
    """Rewrite the ``Plural-Forms`` header of a ``.po`` (each plural msgstr padded or cut to the
    new number of forms)."""
    from babel.messages.pofile import read_po, write_po
    with open(po, "rb") as handle:
        catalogue = read_po(handle)
    header = [(key, plural_forms if key == "Plural-Forms" else value)
              for key, value in catalogue.mime_headers]
    catalogue.mime_headers = header
    for message in catalogue:
        if message.id and message.pluralizable:
            forms = list(message.string)[:catalogue.num_plurals]
            message.string = tuple(forms + [""] * (catalogue.num_plurals - len(forms)))
    with open(po, "wb") as handle:
        write_po(handle, catalogue, width=100)


def plugin_package(root: Path) -> Path:
    """The one ``placette_*`` package of the distribution folder ``root``; or ``root`` itself
    when it is a bundled plugin (``plugins/<name>/``: a package holding its own ``babel.cfg``)."""
    root = Path(root)
    if (root / "babel.cfg").is_file() and (root / "__init__.py").is_file() \
            and not any(root.glob("placette_*/__init__.py")):
        return root
    if not (root / "babel.cfg").is_file():
        raise CatalogueError(f"{root}: no babel.cfg here -- run this in the plugin's folder "
                             f"(the one `placette plugins new` made, holding pyproject.toml; "
                             f"for a bundled plugin, plugins/<name>/)")
    packages = sorted(p for p in root.glob("placette_*") if (p / "__init__.py").is_file())
    if len(packages) != 1:
        raise CatalogueError(f"{root}: expected one placette_<name>/ package, found "
                             f"{', '.join(p.name for p in packages) or 'none'}")
    return packages[0]


def _pybabel(*args: str) -> None:
    from babel.messages.frontend import CommandLineInterface
    try:
        CommandLineInterface().run(["pybabel", "--quiet", *args])
    except SystemExit as exc:  # Babel's front end exits on bad options
        if exc.code:
            raise CatalogueError(f"pybabel {args[0]} failed (status {exc.code})") from None


def update_catalogues(root: Path, languages=LANGUAGES,
                      log: Callable[[str], None] = lambda _m: None) -> Path:
    """Extract the msgids into ``translations/messages.pot``, create the catalogue of a language
    that has none (``pybabel init``: Babel writes French plural forms, ``nplurals=2;
    plural=(n > 1);``) and merge new msgids into the others (``pybabel update``)."""
    root = Path(root).resolve()
    package = plugin_package(root)
    translations = package / "translations"
    translations.mkdir(exist_ok=True)
    pot = translations / "messages.pot"
    keywords = [arg for keyword in KEYWORDS for arg in ("-k", keyword)]
    # No locations: they would hold this machine's absolute paths, and move with every edit.
    _pybabel("extract", "-F", str(root / "babel.cfg"), *keywords, "--sort-output",
             "--no-location", *WIDTH, "--project", root.name, "-o", str(pot), str(package))
    log(f"extracted {pot.relative_to(root)}")
    for language in languages:
        po = translations / language / "LC_MESSAGES" / "messages.po"
        command = "update" if po.is_file() else "init"
        _pybabel(command, "-i", str(pot), "-d", str(translations), "-l", language, *WIDTH,
                 *(["--no-fuzzy-matching"] if command == "update" else []))
        if command == "init" and language in PLURAL_FORMS:
            set_plural_forms(po, PLURAL_FORMS[language])
        log(f"{'updated' if command == 'update' else 'created'} {po.relative_to(root)}")
    return translations


def compile_catalogues(root: Path, log: Callable[[str], None] = lambda _m: None) -> None:
    """``pybabel compile``: the ``.mo`` files the app reads (a ``.po`` alone shows nothing)."""
    translations = plugin_package(Path(root).resolve()) / "translations"
    _pybabel("compile", "-d", str(translations))
    log(f"compiled {translations.relative_to(Path(root).resolve())}")


def catalogue_problems(translations: Path, languages=LANGUAGES,
                       complete=("fr",)) -> list[str]:
    """What is wrong with a plugin's catalogues, as sentences (an empty list: all good).

    Checked: each language has its ``.po`` and ``.mo``; in a ``complete`` language every msgid is
    translated -- for a plural msgid, every plural form the language has (two in French); each
    ``.mo`` holds exactly the translations of its ``.po`` (an edit not compiled would not show).
    """
    from babel.messages.pofile import read_po
    problems = []
    for language in languages:
        folder = Path(translations) / language / "LC_MESSAGES"
        if not (folder / "messages.po").is_file() or not (folder / "messages.mo").is_file():
            problems.append(f"{language}: no messages.po/.mo in {folder}")
            continue
        with open(folder / "messages.po", "rb") as handle:
            catalogue = read_po(handle)
        expected: dict = {}
        for message in catalogue:
            if not message.id or message.fuzzy:
                continue
            if message.pluralizable:
                forms = list(message.string) + [""] * (catalogue.num_plurals - len(message.string))
                if language in complete and not all(forms):
                    problems.append(f"{language}: {message.id[0]!r} lacks a plural form "
                                    f"({catalogue.num_plurals} expected)")
                # pybabel compile writes each form the .po holds, an empty one as the msgid
                expected.update({(message.id[0], index): form or message.id[min(index, 1)]
                                 for index, form in enumerate(message.string)})
            elif message.string:
                expected[message.id] = message.string
            elif language in complete:
                problems.append(f"{language}: {message.id!r} is not translated")
        with open(folder / "messages.mo", "rb") as handle:
            compiled = {key: value for key, value in
                        gettext.GNUTranslations(handle)._catalog.items() if key}
        if compiled != expected:
            problems.append(f"{language}: messages.mo does not match messages.po -- run pybabel "
                            f"compile (or placette plugins i18n)")
    return problems
