"""The ``placette`` command line.  Every command takes ``--instance DIR`` (or PLACETTE_INSTANCE).

Errors an operator can fix (a wrong key in placette.toml, a missing plugin, pending migrations)
print one line starting with ``Error:`` and exit with status 2 -- never a traceback.
"""
from __future__ import annotations

import functools
import json
import sys
from pathlib import Path

import click

from .errors import PlacetteError

instance_option = click.option(
    "--instance", "instance", envvar="PLACETTE_INSTANCE", default=None,
    type=click.Path(file_okay=False, path_type=Path),
    help="Instance folder (default: $PLACETTE_INSTANCE or the current folder).")


def app_context(instance, check_migrations: bool = True):
    """Build the instance's app, then enter its app context with an open database connection.

    A database that does not answer becomes one line naming ``database_url`` and the file.
    """
    import contextlib

    from .config import load
    config = load(instance)  # first, and cheap: a wrong key is reported before heavy imports

    import peewee

    from .app import create_app
    from .db import database, unreachable
    app = create_app(config=config, check_migrations=check_migrations)
    stack = contextlib.ExitStack()
    stack.enter_context(app.app_context())
    try:
        stack.enter_context(database.connection_context())
    except peewee.DatabaseError as exc:
        stack.close()
        raise unreachable(app.extensions["placette"].config, exc) from None
    return app, stack


def with_app(check_migrations: bool = True):
    """Decorator: build the instance's app and run the command inside its app context."""
    def decorator(fn):
        @instance_option
        @functools.wraps(fn)
        def wrapper(instance, **kwargs):
            app, stack = app_context(instance, check_migrations)
            with stack:
                return fn(app=app, **kwargs)
        return wrapper
    return decorator


class PlacetteGroup(click.Group):
    """Adds plugin command groups (``register_commands``) found in the instance's plugins."""

    def list_commands(self, ctx):
        return sorted(set(super().list_commands(ctx)) | set(_plugin_commands()))

    def get_command(self, ctx, name):
        return super().get_command(ctx, name) or _plugin_commands().get(name)


@functools.lru_cache(maxsize=1)
def _plugin_commands() -> dict:
    """Plugin CLI groups of the instance in PLACETTE_INSTANCE / the current folder, if any.

    Each runs inside the instance's app context (database connection open, migrations checked),
    like the kernel's commands; ``--instance DIR`` anywhere on the line picks the instance
    (:func:`main` moves it to ``PLACETTE_INSTANCE`` before the plugin's group parses).
    """
    from .config import load
    from .plugin_manager import PluginRegistry
    try:
        config = load(None)
        registry = PluginRegistry(config.plugins)
        commands = registry.check_commands(cli.commands)
    except Exception:
        return {}
    for command in commands.values():
        _run_in_app(command, config.root)
    return commands


def _run_in_app(command: click.Command, instance: Path) -> None:
    original = command.invoke

    def invoke(ctx):
        if ctx.resilient_parsing:  # shell completion: no app
            return original(ctx)
        app, stack = app_context(instance)
        with stack:
            return original(ctx)
    command.invoke = invoke


def _split_instance(args: list[str]) -> tuple[str | None, list[str]]:
    """Take ``--instance DIR`` / ``--instance=DIR`` out of a command line."""
    rest, found, skip = [], None, False
    for index, arg in enumerate(args):
        if skip:
            skip = False
            continue
        if arg == "--instance" and index + 1 < len(args):
            found, skip = args[index + 1], True
        elif arg.startswith("--instance="):
            found = arg.split("=", 1)[1]
        else:
            rest.append(arg)
    return found, rest


@click.group(cls=PlacetteGroup)
@click.version_option(package_name="placette")
def cli():
    """placette: the online side of a city's participatory democracy."""


@cli.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--city", required=True, help="The city's name, shown on every page.")
@click.option("--plugins", default=None,
              help="Comma-separated plugins to activate (default: every installed one).")
@click.option("--language", type=click.Choice(["fr", "en"]), default="fr", show_default=True)
@click.option("--base-url", default="http://127.0.0.1:5000", show_default=True,
              help="Public address of the site (used in e-mails).")
def init(directory, city, plugins, language, base_url):
    """Create an instance folder DIRECTORY (placette.toml, database, uploads, outbox)."""
    from .instance import init_instance
    from .plugin_manager import installed_plugins
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


@cli.command()
@with_app(check_migrations=False)
def migrate(app):
    """Apply pending database migrations (kernel first, then plugins by requirement)."""
    from .app import migration_sources
    from .db.migrations import migrate as run_migrations
    from .kernel import registry
    done = run_migrations(migration_sources(registry()), log=click.echo)
    click.echo(f"{len(done)} migration(s) applied." if done else "Database is up to date.")


@cli.group()
def migrations():
    """Inspect and write migrations."""


@migrations.command("status")
@with_app(check_migrations=False)
def migrations_status(app):
    """List every migration, applied or pending."""
    from .app import migration_sources
    from .kernel import registry
    for source in migration_sources(registry()):
        for item in source.runner().status():
            state = item.applied.isoformat(timespec="seconds") if item.applied else "PENDING"
            click.echo(f"{source.plugin:16} {item.name:40} {state}")


@migrations.command("make")
@click.argument("plugin")
@click.option("--name", default="auto", help="Short description for the file name.")
@with_app(check_migrations=False)
def migrations_make(app, plugin, name):
    """Write the next migration of PLUGIN from the difference between its models and the DB."""
    from .app import CORE_MIGRATIONS
    from .db.migrations import MigrationSource, make
    from .kernel import registry
    from .models import CORE_MODELS
    if plugin == "placette":
        source, models = MigrationSource("placette", CORE_MIGRATIONS), CORE_MODELS
    else:
        info = registry().plugins.get(plugin)
        if info is None:
            raise PlacetteError(f"no activated plugin named {plugin!r}")
        folder = info.migrations_dir or Path(
            __import__("placette.theme", fromlist=["x"]).plugin_folder(info.module)) / "migrations"
        source, models = MigrationSource(plugin, folder), info.models
    path = make(source, models, name)
    click.echo(f"Wrote {path}" if path else "No changes: the database matches the models.")


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--debug", is_flag=True)
@instance_option
def run(instance, host, port, debug):
    """Serve the site with the development server (use gunicorn in production)."""
    from .config import load
    config = load(instance)
    from .app import create_app
    app = create_app(config=config)
    app.run(host=host, port=port, debug=debug, use_reloader=False, threaded=True)


@cli.command()
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64),
              help="Worker threads.")
@click.option("--no-periodic", is_flag=True, help="Do not run periodic tasks in this worker.")
@click.option("--queue-name", default=None,
              help="Name of the queue in its storage (default: placette); lets several "
                   "instances or test runs share one Redis database.")
@instance_option
def worker(instance, workers, no_periodic, queue_name):
    """Run background tasks (mail, reminders, digests) -- as many processes as you like.

    Every activated plugin's tasks are registered (the worker builds the same app as the web
    processes).  Web and workers must share ``queue_url`` (or ``redis_url``) and ``queue_name``.
    """
    import logging

    from .config import load
    config = load(instance)
    if queue_name:
        config.queue_name = queue_name
    from .app import create_app
    from .db import redact_url
    from .kernel import current
    app = create_app(config=config)
    with app.app_context():
        kernel = current()
    queue, config = kernel.queue, kernel.config
    if not queue.ping(log_errors=False):
        key = "redis_url" if config.effective_queue_url != config.queue_url else "queue_url"
        raise PlacetteError(f"{config.source}: key '{key}': the queue at "
                            f"{redact_url(queue.url)} does not answer")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: "
                                                   "%(message)s")
    click.echo(f"worker: {len(queue.tasks)} tasks, {len(queue.periodic_tasks)} periodic, "
               f"queue '{queue.huey.name}' on {redact_url(queue.url)}")
    click.echo("tasks: " + ", ".join(sorted(queue.tasks) + sorted(queue.periodic_tasks)))
    sys.stdout.flush()
    queue.consumer(workers=workers, periodic=not no_periodic).run()


@cli.command()
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
    from .demo.runner import default_data_dir, run_demo
    run_demo(data_dir or default_data_dir(), port, password, serve=not no_serve,
             echo=click.echo)


@cli.group()
def users():
    """Accounts."""


@users.command("import")
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--space", "slug", required=True, help="Slug of the space to add people to.")
@click.option("--dry-run", is_flag=True, help="Check every row, write nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@with_app()
def users_import(app, csv_file, slug, dry_run, as_json):
    """Import members from CSV (name, email, phone, role); all rows or none."""
    from .identity.csv_import import import_members
    from .models import Space
    space = Space.get_or_none(Space.slug == slug)
    if space is None:
        raise PlacetteError(f"no space with slug {slug!r}")
    report = import_members(csv_file.read_bytes(), space, dry_run=dry_run)
    if as_json:
        click.echo(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    else:
        for error in report.errors:
            click.echo(f"error: {error}")
        for row in report.rows:
            message = f"  {row.message}" if row.message else ""
            click.echo(f"line {row.line:>4}  {row.status:9} {row.email or '-':40} "
                       f"{row.role}{message}")
        counts = ", ".join(f"{k}: {v}" for k, v in sorted(report.counts().items()))
        counts = f" ({counts})" if counts else ""
        if report.written:
            click.echo(f"Imported into {slug}{counts}.")
        elif dry_run and report.ok:
            click.echo(f"Dry run: nothing written{counts}.")
        else:
            click.echo(f"Nothing written: fix the errors above{counts}.")
    if not report.ok:
        sys.exit(1)


@users.command("create")
@click.argument("email")
@click.option("--name", default="", help="Display name.")
@click.option("--admin", is_flag=True, help="City administrator.")
@click.option("--password", default=None, help="Optional password (else: sign-in links).")
@with_app()
def users_create(app, email, name, admin, password):
    """Create an account (e.g. the first city administrator)."""
    from .identity.accounts import AccountError, create_user
    try:
        user = create_user(email, name or email.split("@")[0], password=password,
                           is_admin=admin)
    except AccountError as exc:
        raise PlacetteError(exc.message) from None
    click.echo(f"Created {user.email}{' (city admin)' if admin else ''}")


@cli.group()
def tokens():
    """API tokens."""


@tokens.command("create")
@click.argument("email")
@click.option("--name", default="cli", help="A label to recognise the token later.")
@with_app()
def tokens_create(app, email, name):
    """Create an API token for EMAIL; the token is the last line printed."""
    from .identity.accounts import find_by_email
    from .identity.tokens import create_token
    user = find_by_email(email)
    if user is None:
        raise PlacetteError(f"no account for {email}")
    click.echo(f"Token for {user.email} (use it as: Authorization: Bearer TOKEN):")
    click.echo(create_token(user, name))


@cli.group()
def plugins():
    """Installed, activated and per-space plugins."""


@plugins.command("list")
@click.option("--json", "as_json", is_flag=True)
@click.option("--space", "slug", default=None, help="Also show whether each is on in a space.")
@instance_option
def plugins_list(instance, as_json, slug):
    """Every installed plugin: version, activated here, requirements."""
    from .config import load
    from .plugin_manager import PluginRegistry, installed_plugins
    config = load(instance)
    installed = installed_plugins()
    registry = PluginRegistry([n for n in config.plugins if n in installed])
    enabled: set[str] | None = None
    if slug:
        from .app import create_app
        from .db import database
        from .models import Space
        from .modules import enabled_plugins
        app = create_app(instance)
        with app.app_context(), database.connection_context():
            space = Space.get_or_none(Space.slug == slug)
            if space is None:
                raise PlacetteError(f"no space with slug {slug!r}")
            enabled = enabled_plugins(space)
    rows = []
    for name, entry_point in sorted(installed.items()):
        info = registry.plugins.get(name)
        dist = getattr(entry_point, "dist", None)
        row = {"name": name, "version": dist.version if dist else None,
               "distribution": dist.name if dist else None,
               "activated": name in config.plugins,
               "title": str(info.manifest.title) if info else None,
               "requires": list(info.manifest.requires) if info else [],
               "default_enabled": info.manifest.default_enabled if info else None}
        if enabled is not None:
            row["enabled"] = name in enabled
        rows.append(row)
    missing = [n for n in config.plugins if n not in installed]
    if as_json:
        click.echo(json.dumps({"plugins": rows, "missing": missing}, indent=2))
        return
    for row in rows:
        state = "activated" if row["activated"] else "installed"
        extra = f"  requires {', '.join(row['requires'])}" if row["requires"] else ""
        on = "" if enabled is None else ("  [on]" if row["enabled"] else "  [off]")
        click.echo(f"{row['name']:16} {row['version'] or '?':10} {state:10}{on}{extra}")
    for name in missing:
        click.echo(f"{name:16} {'-':10} MISSING (activated in placette.toml, not installed)")


@plugins.command("new")
@click.argument("name")
@click.option("--dir", "directory", default=".", show_default=True,
              type=click.Path(file_okay=False, path_type=Path),
              help="Folder in which to create placette-NAME/.")
@click.option("--title", default=None, help="Human title (default: NAME, capitalised).")
def plugins_new(name, directory, title):
    """Write a ready-to-install plugin package placette-NAME (see docs/plugins.md)."""
    from .scaffold import write_plugin
    target = write_plugin(name, directory, title)
    click.echo(f"Created {target}")
    click.echo(f"Next: pip install -e {target}  (then pytest {target / 'tests'}), add \"{name}\" "
               f"to plugins = [...] in placette.toml, placette migrate, and switch it on in a "
               f"space with placette plugins enable {name} --space SLUG")


def _switch(app, name, slug, enabled, settings=None, cascade=False):
    from .models import Space
    from .modules import ModuleError, set_module
    space = Space.get_or_none(Space.slug == slug)
    if space is None:
        raise PlacetteError(f"no space with slug {slug!r}")
    try:
        changes = set_module(space, name, enabled, settings, cascade=cascade)
    except ModuleError as exc:
        raise PlacetteError(exc.message) from None
    for key in ("enabled", "disabled", "configured"):
        if changes[key]:
            click.echo(f"{key} in {slug}: {', '.join(changes[key])}")
    if not any(changes.values()):
        click.echo(f"{name} already {'on' if enabled else 'off'} in {slug}")


@plugins.command("enable")
@click.argument("name")
@click.option("--space", "slug", required=True)
@click.option("--settings", default=None, help="Settings as a JSON object.")
@with_app()
def plugins_enable(app, name, slug, settings):
    """Switch plugin NAME on in a space (its requirements too)."""
    parsed = None
    if settings:
        try:
            parsed = json.loads(settings)
        except json.JSONDecodeError as exc:
            raise PlacetteError(f"--settings is not valid JSON: {exc}") from None
        if not isinstance(parsed, dict):
            raise PlacetteError("--settings must be a JSON object")
    _switch(app, name, slug, True, parsed)


@plugins.command("disable")
@click.argument("name")
@click.option("--space", "slug", required=True)
@click.option("--cascade", is_flag=True, help="Also disable plugins that require it.")
@with_app()
def plugins_disable(app, name, slug, cascade):
    """Switch plugin NAME off in a space (data is kept)."""
    _switch(app, name, slug, False, cascade=cascade)


@cli.group()
def spaces():
    """Spaces."""


@spaces.command("create")
@click.argument("slug")
@click.option("--name", required=True)
@click.option("--kind", required=True)
@click.option("--visibility", default="network", show_default=True,
              type=click.Choice(["public", "network", "members", "private"]))
@click.option("--parent", "parents", multiple=True, help="Slug of a parent space (repeatable).")
@with_app()
def spaces_create(app, slug, name, kind, visibility, parents):
    """Create a space."""
    from .models import Space
    from .spaces import SpaceError, create_space
    found = []
    for parent in parents:
        space = Space.get_or_none(Space.slug == parent)
        if space is None:
            raise PlacetteError(f"no space with slug {parent!r}")
        found.append(space)
    try:
        create_space(slug, name, kind, visibility, parents=found)
    except SpaceError as exc:
        raise PlacetteError(exc.message) from None
    click.echo(f"Created /s/{slug}")


@spaces.command("list")
@with_app()
def spaces_list(app):
    """List spaces."""
    from .models import Space
    for space in Space.select().order_by(Space.kind, Space.name):
        click.echo(f"{space.slug:30} {space.kind:14} {space.visibility:9} {space.name}")


@cli.group()
def assets():
    """CSS and JavaScript bundles."""


@assets.command("build")
@with_app(check_migrations=False)
def assets_build(app):
    """Build the minified bundles into the instance's assets/ folder (deploy time)."""
    from .kernel import current
    from .theme import build
    for url in build(current().services["assets"]):
        click.echo(f"built {url}")


@cli.group("db")
def db_group():
    """The database: move it to another engine."""


@db_group.command("copy")
@click.option("--to", "target_url", required=True, metavar="URL",
              help="The target database, e.g. postgresql://placette@db/placette (empty).")
@with_app()
def db_copy(app, target_url):
    """Copy every kernel and plugin table into an empty database (SQLite -> PostgreSQL).

    The target is migrated first, must hold no row, and is written in one transaction.
    Afterwards point database_url (or PLACETTE_DATABASE_URL) at it.
    """
    from .app import migration_sources
    from .db.copy import copy_database
    from .db.migrations import migrate as run_migrations
    from .kernel import registry
    from .models import CORE_MODELS
    reg = registry()
    target = target_url.split("@")[-1]
    click.echo(f"Copying into {target} (migrating it first)...")
    report = copy_database(
        CORE_MODELS + reg.all_models(), target_url,
        migrate_target=lambda _db: run_migrations(migration_sources(reg), log=lambda _m: None),
        log=click.echo)
    for table, why in report.skipped:
        click.echo(f"  skipped {table}: {why}")
    click.echo(f"Copied {report.rows:,} rows in {len(report.tables)} tables. Next: set "
               f"database_url = \"{target_url.split('://')[0]}://...\" in placette.toml (or "
               f"PLACETTE_DATABASE_URL) and restart the web and worker processes.")


@cli.command("backup")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Archive to write (default: INSTANCE/backups/placette-DATE.tar.gz).")
@instance_option
def backup_command(instance, output):
    """Back up the instance (SQLite database, uploads, configuration) into a .tar.gz."""
    from .backup import backup
    result = backup(instance, output)
    click.echo(f"Wrote {result.path} ({result.database_bytes:,} bytes of database, "
               f"{result.uploads} uploaded files). It holds the secret key: keep it safe.")


@cli.command("restore")
@click.argument("archive", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True,
              help="Replace an existing database and uploads (the database is kept aside).")
@instance_option
def restore_command(archive, force, instance):
    """Restore a backup made by `placette backup` into the instance folder."""
    from .backup import restore
    restore(archive, instance, force=force, log=click.echo)
    click.echo("Next: placette migrate (if this version is newer than the backup), then start "
               "the web and worker processes.")


@cli.group("search")
def search_group():
    """The search index."""


@search_group.command("reindex")
@click.option("--keep-text", is_flag=True,
              help="Reuse the stored extra text instead of asking the plugins again (faster).")
@with_app()
def search_reindex(app, keep_text):
    """Index every resource again (after a restore or a move to PostgreSQL)."""
    from .search.engines import rebuild
    count = rebuild(hooks=not keep_text, log_progress=lambda n: click.echo(f"  {n} indexed"))
    click.echo(f"{count} resource(s) indexed.")


def main() -> None:
    args = sys.argv[1:]
    instance, rest = _split_instance(args)
    if instance is not None:
        # ``--instance DIR`` may stand anywhere on the line (``placette --instance DIR migrate``,
        # plugin commands that do not declare it): the environment carries it to every command.
        import os
        os.environ["PLACETTE_INSTANCE"] = instance
        args = rest
    try:
        cli(args=args, prog_name="placette", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(1)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except PlacetteError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(2)
    except Exception as exc:
        # A service that stopped answering mid-command is an operator's problem, not a bug:
        # one line.  Anything else is a bug and keeps its traceback.
        from .tasks import is_connection_error
        import peewee
        if isinstance(exc, peewee.OperationalError) or is_connection_error(exc):
            reason = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            click.echo(f"Error: {reason}", err=True)
            sys.exit(2)
        raise
    except SystemExit:
        raise
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":
    main()
