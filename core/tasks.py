"""The task queue: huey on SQLite by default, on Redis when configured, immediate in tests.

Plugins declare tasks by name in ``register_tasks(queue)`` and enqueue them by name with
:func:`placette.enqueue`, so nothing needs the queue at import time (huey's own decorators would).
Every task runs inside the app context with its own database connection -- the trap of a huey
consumer that never ran the app factory cannot happen, because ``placette worker`` builds the app.

Periodic tasks run once per time slot however many workers run them: the first worker to claim
the slot in the queue's storage (an atomic put-if-empty, in SQLite or Redis) does the work.
"""
from __future__ import annotations

import datetime as dt
import functools
import logging
from typing import Any, Callable

from huey import MemoryHuey, RedisHuey, SqliteHuey, crontab
from huey.consumer import Consumer

from .db import database

log = logging.getLogger("placette.tasks")


class TaskQueue:
    """One app's queue: named tasks, periodic tasks, and a consumer when asked."""

    def __init__(self, app, url: str, root, name: str = "placette", immediate: bool = False):
        self.app = app
        self.url = url
        if url.startswith("redis://"):
            self.huey = RedisHuey(name, url=url, immediate=immediate, utc=True)
        elif url.startswith("sqlite:///"):
            path = url[len("sqlite:///"):]
            from pathlib import Path
            full = Path(path) if Path(path).is_absolute() else Path(root) / path
            full.parent.mkdir(parents=True, exist_ok=True)
            self.huey = SqliteHuey(name, filename=str(full), immediate=immediate, utc=True)
        else:
            self.huey = MemoryHuey(name, immediate=immediate, utc=True)
        self.tasks: dict[str, Any] = {}
        self.periodic_tasks: dict[str, Any] = {}

    # -- declaring ---------------------------------------------------------------------------

    def _in_app(self, name: str, fn: Callable) -> Callable:
        app = self.app

        @functools.wraps(fn)
        def run(*args, **kwargs):
            with app.app_context():
                opened = database.connect(reuse_if_open=True)
                try:
                    return fn(*args, **kwargs)
                except Exception:
                    log.exception("task %s failed", name)
                    raise
                finally:
                    if opened and not database.in_transaction():
                        database.close()
        return run

    def task(self, name: str, retries: int = 2, retry_delay: int = 30) -> Callable:
        """Decorator: register ``fn`` as the task ``name`` (prefix it with the plugin's name)."""
        def decorator(fn: Callable) -> Callable:
            if name in self.tasks or name in self.periodic_tasks:
                raise ValueError(f"task {name!r} is declared twice")
            self.tasks[name] = self.huey.task(name=name, retries=retries,
                                              retry_delay=retry_delay)(self._in_app(name, fn))
            return fn
        return decorator

    def periodic(self, name: str, minute: str = "*", hour: str = "*", day: str = "*",
                 month: str = "*", day_of_week: str = "*") -> Callable:
        """Decorator: run ``fn`` on a cron schedule, once per slot across all workers."""
        schedule = crontab(minute=minute, hour=hour, day=day, month=month,
                           day_of_week=day_of_week)

        def decorator(fn: Callable) -> Callable:
            if name in self.tasks or name in self.periodic_tasks:
                raise ValueError(f"task {name!r} is declared twice")
            once = self._once_per_slot(name, self._in_app(name, fn))
            self.periodic_tasks[name] = self.huey.periodic_task(schedule, name=name)(once)
            self.periodic_tasks[name].run_now = self._in_app(name, fn)
            return fn
        return decorator

    def _once_per_slot(self, name: str, fn: Callable) -> Callable:
        huey = self.huey

        @functools.wraps(fn)
        def run():
            slot = dt.datetime.now(dt.UTC).strftime("%Y%m%d%H%M")
            if not huey.put_if_empty(f"placette:periodic:{name}:{slot}", "1"):
                log.info("periodic task %s already ran for slot %s", name, slot)
                return None
            return fn()
        return run

    # -- running -----------------------------------------------------------------------------

    def enqueue(self, name: str, *args, delay: float | None = None,
                eta: dt.datetime | None = None, **kwargs):
        """Queue the task ``name``; returns huey's result handle (``None`` for unknown names)."""
        task = self.tasks.get(name)
        if task is None:
            raise KeyError(f"no task named {name!r} (declared: {', '.join(sorted(self.tasks))})")
        from .db.changes import refuse_current
        refuse_current("queued a task")  # a page that sent a mail must render again next time
        try:
            return self._send(task, args, kwargs, delay, eta)
        except Exception as exc:
            if not is_connection_error(exc):
                raise
            return self._keep(name, args, kwargs, delay, eta, exc)

    @staticmethod
    def _send(task, args, kwargs, delay=None, eta=None):
        if delay is None and eta is None:
            return task(*args, **kwargs)
        return task.schedule(args=args, kwargs=kwargs, delay=delay, eta=eta)

    def _keep(self, name, args, kwargs, delay, eta, exc):
        """The queue's Redis does not answer: keep the task in the database (a write that
        queued it is usually committed already; failing the request would have it sent again,
        dropping the task would lose its mail).  ``placette.tasks.resend`` queues it later."""
        import json

        from .db import utcnow
        from .models import PendingTask
        payload = {"args": _storable(list(args)), "kwargs": _storable(kwargs)}
        try:
            json.dumps(payload)
        except (TypeError, ValueError):
            raise exc from None  # not storable: the request answers 503 (nothing kept)
        when = eta.astimezone(dt.UTC).replace(tzinfo=None) if eta is not None and eta.tzinfo \
            else eta
        if delay is not None:
            when = utcnow() + dt.timedelta(seconds=delay)
        PendingTask.create(name=name, payload=payload, eta=when)
        log.warning("queue unavailable (%s): task %s kept in the database until it answers",
                    (str(exc).strip().splitlines() or [type(exc).__name__])[0], name)
        return None

    def resend_pending(self, batch: int = 500) -> int:
        """Queue the tasks kept while the queue did not answer (periodic, every minute).

        Each row is deleted in the transaction that queues it: two workers cannot both send it
        (the second finds it gone), and a queue still down leaves it for the next minute.
        """
        from .db import utcnow
        from .models import PendingTask
        sent = 0
        for row in list(PendingTask.select().order_by(PendingTask.id).limit(batch)):
            task = self.tasks.get(row.name)
            try:
                with database.atomic():
                    if not PendingTask.delete().where(PendingTask.id == row.id).execute():
                        continue
                    if task is None:
                        log.error("kept task %s is no longer declared: dropped", row.name)
                        continue
                    eta = row.eta.replace(tzinfo=dt.UTC) if row.eta and row.eta > utcnow() \
                        else None
                    self._send(task, _restored(row.payload.get("args", [])),
                               _restored(row.payload.get("kwargs", {})), eta=eta)
            except Exception as exc:
                if not is_connection_error(exc):
                    raise
                log.warning("queue still unavailable: %d kept task(s) wait for the next minute",
                            PendingTask.select().count())
                break  # rolled back: the row stays
            sent += 1
        return sent

    def run_periodic_now(self, name: str):
        """Run a periodic task's body at once (tests, ``placette tasks run``)."""
        return self.periodic_tasks[name].run_now()

    def consumer(self, workers: int = 2, periodic: bool = True) -> Consumer:
        return self.huey.create_consumer(workers=workers, worker_type="thread",
                                         periodic=periodic, check_worker_health=True)

    def start_in_background(self, workers: int = 1) -> Consumer:
        """Run a consumer in threads of this process (``placette demo``): no signal handlers."""
        consumer = self.consumer(workers=workers)
        consumer.scheduler.start()
        for _name, worker in consumer.worker_threads:
            worker.start()
        return consumer

    def ping(self, log_errors: bool = True) -> bool:
        """Does the queue's storage answer?  (``/healthz``, ``placette worker``)"""
        try:
            self.huey.storage.queue_size()
            return True
        except Exception:
            if log_errors:
                log.exception("queue storage does not answer")
            return False


def _storable(value):
    """Task arguments as JSON: bytes (a composed mail) become ``{"$bytes": base64}``."""
    import base64
    if isinstance(value, bytes):
        return {"$bytes": base64.b64encode(value).decode("ascii")}
    if isinstance(value, (list, tuple)):
        return [_storable(v) for v in value]
    if isinstance(value, dict):
        return {k: _storable(v) for k, v in value.items()}
    return value


def _restored(value):
    import base64
    if isinstance(value, dict):
        if set(value) == {"$bytes"}:
            return base64.b64decode(value["$bytes"])
        return {k: _restored(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_restored(v) for v in value]
    return value


def is_connection_error(exc: BaseException) -> bool:
    """Is ``exc`` a queue backend (Redis) that does not answer?"""
    try:
        from redis.exceptions import ConnectionError as RedisConnectionError
        from redis.exceptions import TimeoutError as RedisTimeoutError
    except ImportError:  # pragma: no cover - redis is a dependency
        return False
    return isinstance(exc, (RedisConnectionError, RedisTimeoutError))




def current_queue() -> TaskQueue:
    from .kernel import current
    return current().queue


def enqueue(name: str, *args, **kwargs):
    """Queue a task declared by any plugin, by name (``placette.enqueue("agenda.remind", 3)``)."""
    return current_queue().enqueue(name, *args, **kwargs)
