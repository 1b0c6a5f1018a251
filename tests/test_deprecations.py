"""A deprecated call made by placette's code fails the suite (issue 17, point 10).

Each case runs a small test file in a fresh pytest process configured with this project's own
``[tool.pytest.ini_options]`` warning settings, so what is checked is the real configuration.
"""
from __future__ import annotations

import subprocess
import sys
import textwrap
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Code compiled as if it lived in a placette module (``__name__`` is what warnings look at).
PRELUDE = '''
import warnings

def placette_code(source, module="placette_plugins.demo.forms"):
    namespace = {"__name__": module}
    exec(compile(source, module.replace(".", "/") + ".py", "exec"), namespace)
    return namespace
'''


def _run(tmp_path, body: str) -> subprocess.CompletedProcess:
    options = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["pytest"]["ini_options"]
    lines = ["[pytest]", "filterwarnings ="]
    lines += [f"    {entry}" for entry in options["filterwarnings"]]
    lines.append("placette_deprecations_fail = " + " ".join(options["placette_deprecations_fail"]))
    (tmp_path / "pytest.ini").write_text("\n".join(lines) + "\n")
    (tmp_path / "test_case.py").write_text(PRELUDE + textwrap.dedent(body))
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           "-p", "no:randomly", "test_case.py"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=120)


def test_a_library_deprecation_caused_by_placette_code_fails_the_test(tmp_path):
    """WTForms attributes its warning to its own frames: the stack guard still blames us."""
    run = _run(tmp_path, '''
        def test_form():
            code = placette_code("""
        from wtforms import Form, SelectField
        class F(Form):
            kind = SelectField(choices=[("a", "A")])
        def build():
            return F()
        """)
            code["build"]()
    ''')
    assert run.returncode == 1, run.stdout + run.stderr
    assert "Deprecated call made by our code" in run.stdout
    assert "placette_plugins.demo.forms" in run.stdout
    assert "SelectField choices as tuples" in run.stdout


def test_a_deprecation_attributed_to_placette_code_fails_the_test(tmp_path):
    run = _run(tmp_path, '''
        def test_direct():
            code = placette_code("""
        def old():
            warnings.warn("old() is deprecated", DeprecationWarning, stacklevel=1)
        """, module="placette.some_module")
            code["warnings"] = warnings
            code["old"]()
    ''')
    assert run.returncode == 1, run.stdout + run.stderr
    assert "old() is deprecated" in run.stdout


def test_the_current_api_and_other_peoples_code_pass(tmp_path):
    """SelectChoice is the current API; a test's own deprecated call is not placette's."""
    run = _run(tmp_path, '''
        from wtforms import Form, SelectChoice, SelectField

        def test_current_api():
            code = placette_code("""
        from wtforms import Form, SelectChoice, SelectField
        class F(Form):
            kind = SelectField(choices=[SelectChoice("a", "A")])
        def build():
            return F()
        """)
            assert "A" in str(code["build"]().kind)

        def test_not_ours():
            class F(Form):
                kind = SelectField(choices=[("a", "A")])
            F()
    ''')
    assert run.returncode == 0, run.stdout + run.stderr
    assert "2 passed" in run.stdout
