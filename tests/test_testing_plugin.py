"""``placette.testing`` is a pytest plugin a plugin's own suite gets by installing placette: the
markers docs/plugins.md §13 tells authors to use must come with it, not with placette's own
``pyproject.toml`` (which a plugin's suite never reads)."""
import subprocess
import sys
import textwrap

from placette.testing import MARKERS


def test_a_plugin_suite_uses_the_documented_markers_without_declaring_them(tmp_path):
    (tmp_path / "pytest.ini").write_text("[pytest]\n")  # a plugin's own, empty configuration
    (tmp_path / "test_marked.py").write_text(textwrap.dedent('''
        import pytest

        pytestmark = [pytest.mark.browser, pytest.mark.postgres, pytest.mark.redis]


        def test_marked():
            assert True
    '''))
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                             "--strict-markers", "-W", "error::pytest.PytestUnknownMarkWarning",
                             "-c", str(tmp_path / "pytest.ini"), "--rootdir", str(tmp_path),
                             str(tmp_path / "test_marked.py")],
                            cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert "1 passed" in result.stdout
    markers = subprocess.run([sys.executable, "-m", "pytest", "--markers", "-c",
                              str(tmp_path / "pytest.ini"), "--rootdir", str(tmp_path)],
                             cwd=tmp_path, capture_output=True, text=True, timeout=120).stdout
    assert all(f"@pytest.mark.{name}:" in markers for name in ("browser", "postgres", "redis"))


def test_every_marker_the_docs_name_is_registered_by_the_pytest_plugin():
    from pathlib import Path
    import re
    docs = (Path(__file__).parents[1] / "docs" / "plugins.md").read_text(encoding="utf-8")
    named = set(re.findall(r"pytest\.mark\.([a-z_]+)", docs)) - {"parametrize"}
    assert named - set(MARKERS) == set()
    assert {"browser", "postgres", "redis"} <= set(MARKERS)
