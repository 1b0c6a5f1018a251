"""Background tasks: ``worker``."""
from __future__ import annotations

import sys

import click

from ..errors import PlacetteError
from .context import instance_option

@click.command()
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

    from ..config import load
    config = load(instance)
    if queue_name:
        config.queue_name = queue_name
    from ..app import create_app
    from ..db import redact_url
    from ..kernel import current
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


COMMANDS = [worker]
