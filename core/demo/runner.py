"""``placette demo``: one command from nothing to a running city with a worker.

The demo city lives in its own instance folder, created on the first run and reused after (the
accounts take the password of the latest run).  By default it is a per-user data folder, so
``placette demo`` works the same from any directory and never litters the current one:
``$PLACETTE_DEMO_DIR``, else ``$XDG_DATA_HOME/placette/demo`` (``~/.local/share/placette/demo``).
"""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from ..app import create_app, migration_sources
from ..config import CONFIG_FILENAME, load
from ..errors import PlacetteError, PluginError
from ..db import database
from ..db.migrations import migrate
from ..instance import init_instance
from ..kernel import current
from ..plugin_manager import installed_plugins
from .city import ACCOUNTS, CITY_NAME, is_seeded, reset_passwords, seed


def default_data_dir() -> Path:
    """Where the demo city lives when ``--data-dir`` is not given."""
    chosen = os.environ.get("PLACETTE_DEMO_DIR")
    if chosen:
        return Path(chosen).expanduser()
    data_home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data_home).expanduser() / "placette" / "demo"


def run_demo(data_dir: Path, port: int, password: str, serve: bool = True, echo=print) -> None:
    data_dir = Path(data_dir).expanduser().resolve()
    if len(password) < 10:
        raise PlacetteError("--password needs at least 10 characters")
    if serve and not _port_free(port):
        raise PlacetteError(f"port {port} is already in use on 127.0.0.1: choose another one "
                            f"with --port")
    if not (data_dir / CONFIG_FILENAME).exists():
        plugins = sorted(installed_plugins())
        init_instance(data_dir, CITY_NAME, plugins, base_url=f"http://127.0.0.1:{port}")
        echo(f"Created the demo instance in {data_dir} (plugins: {', '.join(plugins) or 'none'})")
    else:
        echo(f"Reusing the demo instance in {data_dir}")
    # The demo serves on 127.0.0.1:<port> whatever the port of the run that created it: links
    # in the mails must point there.
    config = load(data_dir)
    config.base_url = f"http://127.0.0.1:{port}"
    app = create_app(config=config, check_migrations=False)
    app.config["PLACETTE_DEMO"] = True
    with app.app_context(), database.connection_context():
        done = migrate(migration_sources(current().registry), log=lambda m: None)
        if done:
            echo(f"Applied {len(done)} migration(s)")
        if not is_seeded():
            started = time.monotonic()
            echo("Seeding the demo city...")
            try:
                seed(password, log=echo)
            except PluginError as exc:
                raise PlacetteError(f"{exc}. The demo city in {data_dir} is incomplete: delete "
                                    f"that folder, fix or deactivate the plugin, and run "
                                    f"'placette demo' again") from exc
            echo(f"Seeded in {time.monotonic() - started:.1f} s")
        reset_passwords(password)
        queue = current().queue
    # The app checked migrations before they ran: build it again, as production would.
    app = create_app(config=config)
    app.config["PLACETTE_DEMO"] = True
    with app.app_context():
        queue = current().queue
    consumer = queue.start_in_background(workers=2)
    base = f"http://127.0.0.1:{port}"
    echo("")
    echo(f"{CITY_NAME} is ready at {base}/   (worker running in this process)")
    echo(f"Password of every demo account: {password}")
    descriptions = {"admin": "city administrator",
                    "animator": "animator of the Centre-ville council and of a private group",
                    "member": "member of a members-only council, not of the private group",
                    "guest": "guest of the private drafting group, for 30 days"}
    for key, (email, _name) in ACCOUNTS.items():
        echo(f"  {email:26} {descriptions[key]}")
    echo(f"Mails land in {data_dir / 'outbox'}")
    if not serve:
        consumer.stop(graceful=True)
        return
    from werkzeug.serving import make_server
    server = make_server("127.0.0.1", port, app, threaded=True)
    echo("Press Ctrl+C to stop.")
    sys.stdout.flush()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        consumer.stop(graceful=True)


def _port_free(port: int) -> bool:
    import socket
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True
