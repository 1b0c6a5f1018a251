"""The production entry point (gunicorn's ``placette.wsgi:app``) as a web worker runs it."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

PLACETTE = str(Path(sys.executable).with_name("placette"))


def test_a_web_worker_freezes_its_boot_objects_out_of_the_collectors_sight(tmp_path):
    """A full garbage collection in a worker must not walk the app's own objects (some
    127,000 of them: 30 ms inside a member's request): the entry point freezes them."""
    instance = tmp_path / "city"
    env = {**os.environ, "PLACETTE_INSTANCE": str(instance)}
    env.pop("PLACETTE_DATABASE_URL", None)
    for command in (["init", str(instance), "--city", "Testville"], ["migrate"]):
        subprocess.run([PLACETTE, *command], env=env, check=True, capture_output=True)
    probe = "import gc, placette.wsgi; print(gc.get_freeze_count())"
    result = subprocess.run([sys.executable, "-c", probe], env=env, text=True,
                            capture_output=True, check=True)
    assert int(result.stdout) > 50_000  # routes, templates, plugins, translations
