"""Creating an instance, serving it, and the demo city: ``init``, ``run``, ``demo``."""
from __future__ import annotations

from pathlib import Path

import click

from ..errors import PlacetteError
from .context import instance_option

@click.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--city", required=True, help="The city's name, shown on every page.")
@click.option("--plugins", default=None,
              help="Comma-separated plugins to activate (default: every installed one).")
@click.option("--language", type=click.Choice(["fr", "en"]), default="fr", show_default=True)
@click.option("--base-url", default="http://127.0.0.1:5000", show_default=True,
              help="Public address of the site (used in e-mails).")
def init(directory, city, plugins, language, base_url):
    """Create an instance folder DIRECTORY (placette.toml, database, uploads, outbox)."""
    from ..instance import init_instance
    from ..plugin_manager import installed_plugins
    installed = installed_plugins()
    chosen = [p.strip() for p in plugins.split(",") if p.strip()] if plugins is not None \
        else sorted(installed)
    unknown = [name for name in chosen if name not in installed]
    if unknown:
        raise PlacetteError(f"--plugins: {', '.join(unknown)} not installed (installed: "
                            f"{', '.join(sorted(installed)) or 'none'})")
    if not city.strip():
        raise PlacetteError("--city: give the city's name")
    target = init_instance(directory, city.strip(), chosen, language, base_url)
    click.echo(f"Created {target}")
    click.echo(f"Next: placette migrate --instance {directory} && "
               f"placette run --instance {directory}")


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--debug", is_flag=True)
@instance_option
def run(instance, host, port, debug):
    """Serve the site with the development server (use gunicorn in production)."""
    from ..config import load
    config = load(instance)
    from ..app import create_app
    app = create_app(config=config)
    app.run(host=host, port=port, debug=debug, use_reloader=False, threaded=True)


@click.command()
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--data-dir", default=None, type=click.Path(file_okay=False, path_type=Path),
              help="Instance folder of the demo city, created on the first run and reused "
                   "after [default: $PLACETTE_DEMO_DIR, else $XDG_DATA_HOME/placette/demo, "
                   "i.e. ~/.local/share/placette/demo].")
@click.option("--password", default="demo-password", show_default=True,
              help="Password of the demo accounts (at least 10 characters).")
@click.option("--no-serve", is_flag=True, help="Create and seed, then exit.")
def demo(port, data_dir, password, no_serve):
    """Create (or reuse) a demo city, run the worker in this process, serve on 127.0.0.1."""
    from ..demo.runner import default_data_dir, run_demo
    run_demo(data_dir or default_data_dir(), port, password, serve=not no_serve,
             echo=click.echo)


COMMANDS = [init, run, demo]
