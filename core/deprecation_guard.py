"""Fail a test when *our* code makes a deprecated call, even when the library names itself.

A ``filterwarnings = error::DeprecationWarning:placette`` line only matches the module the
warning is *attributed* to, which is wherever the library's ``stacklevel`` points.  WTForms, for
one, warns from inside its own frames (``wtforms.fields.core``) about the choices a form of ours
declared, so a module filter never sees it.  This guard looks at the whole call stack instead:
walking up from the frame that warned, it skips library frames (the standard library and
installed packages) and blames the warning on the first frame left if that frame's module belongs
to one of the packages listed in the ``placette_deprecations_fail`` ini option.  A test's own
deprecated calls are the test's business and are not blamed.

The option is empty by default, so a plugin author's suite only becomes strict by choice::

    [tool.pytest.ini_options]
    placette_deprecations_fail = ["placette_budget"]

Its hooks are imported into ``placette.testing``, the pytest plugin.
"""
from __future__ import annotations

import os
import sys
import sysconfig
import warnings

import pytest

INI_NAME = "placette_deprecations_fail"


def pytest_addoption(parser):
    parser.addini(INI_NAME, type="args", default=[],
                  help="top-level packages whose deprecated calls fail the test "
                       "(the warning may be attributed to a library frame)")


def _library_roots() -> tuple[str, ...]:
    paths = sysconfig.get_paths()
    roots = {os.path.realpath(paths[key]) for key in ("stdlib", "platstdlib", "purelib", "platlib")
             if key in paths}
    return tuple(root + os.sep for root in roots)


class _Guard:
    """Wraps ``warnings._showwarnmsg``, which CPython calls while the warner's stack is live."""

    def __init__(self, packages: set[str]):
        self.packages = packages
        self.blamed: list[str] = []
        self.roots = _library_roots()
        self.original = None

    def blame(self, frame) -> str | None:
        """``module:line`` of our frame that led to the warning, or None."""
        while frame is not None:
            module = frame.f_globals.get("__name__", "") or ""
            if module.partition(".")[0] in self.packages:
                return f"{module}:{frame.f_lineno}"
            filename = frame.f_code.co_filename
            library = filename.startswith("<frozen") or os.path.realpath(filename).startswith(
                self.roots)
            if not library:
                return None
            frame = frame.f_back
        return None

    def show(self, message):
        if issubclass(message.category, DeprecationWarning):
            where = self.blame(sys._getframe(1))
            if where is not None:
                self.blamed.append(f"{message.category.__name__} from {where} "
                                   f"(reported at {message.filename}:{message.lineno}): "
                                   f"{message.message}")
        self.original(message)

    def __enter__(self):
        self.original = warnings._showwarnmsg
        warnings._showwarnmsg = self.show
        return self

    def __exit__(self, *exc):
        warnings._showwarnmsg = self.original


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item):
    result = yield from _wrap(item)
    return result


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    result = yield from _wrap(item)
    return result


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item):
    result = yield from _wrap(item)
    return result


def _wrap(item):
    """Run one phase under the guard; fail the phase if our code warned (after it ran)."""
    packages = set(item.config.getini(INI_NAME))
    if not packages:
        return (yield)
    with _Guard(packages) as guard:
        result = yield
    if guard.blamed:
        pytest.fail("Deprecated call made by our code (use the current API):\n  "
                    + "\n  ".join(dict.fromkeys(guard.blamed)), pytrace=False)
    return result
