"""``placette demo``: one command from nothing to a running city with a worker."""
from __future__ import annotations

import sys
import time
from pathlib import Path

from ..app import create_app, migration_sources
from ..config import CONFIG_FILENAME
from ..db import database
from ..db.migrations import migrate
from ..instance import init_instance
from ..kernel import current
from ..plugin_manager import installed_plugins
from .city import ACCOUNTS, CITY_NAME, is_seeded, reset_passwords, seed


def run_demo(data_dir: Path, port: int, password: str, serve: bool = True, echo=print) -> None:
    data_dir = Path(data_dir).expanduser().resolve()
    if len(password) < 10:
        raise SystemExit("Error: --password needs at least 10 characters")
    if not (data_dir / CONFIG_FILENAME).exists():
        plugins = sorted(installed_plugins())
        init_instance(data_dir, CITY_NAME, plugins, base_url=f"http://127.0.0.1:{port}")
        echo(f"Created the demo instance in {data_dir} (plugins: {', '.join(plugins) or 'none'})")
    else:
        echo(f"Reusing the demo instance in {data_dir}")
    app = create_app(data_dir, check_migrations=False)
    app.config["PLACETTE_DEMO"] = True
    with app.app_context(), database.connection_context():
        done = migrate(migration_sources(current().registry), log=lambda m: None)
        if done:
            echo(f"Applied {len(done)} migration(s)")
        if not is_seeded():
            started = time.monotonic()
            echo("Seeding the demo city...")
            seed(password, log=echo)
            echo(f"Seeded in {time.monotonic() - started:.1f} s")
        reset_passwords(password)
        queue = current().queue
    # The app checked migrations before they ran: build it again, as production would.
    app = create_app(data_dir)
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
