"""Digests on the production engines (PostgreSQL + Redis, a real queue, no immediate mode):
a run that crashes half-way and its restart give each person exactly one digest, and two
workers firing the periodic task in the same slot build it once."""
import datetime as dt

import pytest

import placette
from placette.testing import wipe_database

from .conftest import NotesPlugin
from .test_digests import at

pytestmark = [pytest.mark.postgres, pytest.mark.redis]


class Crash(Exception):
    pass


@pytest.fixture
def prod_app(redis_queue_name, instance_dir, request):
    """An app like a production worker's: PostgreSQL, huey on Redis, tasks really queued.

    Only in the PostgreSQL + Redis pass (``PLACETTE_TEST_DATABASE_URL`` set): the SQLite pass must
    not empty a database it was not given."""
    import redis

    from placette.testing import postgres_url
    if not postgres_url():
        pytest.skip("runs in the PostgreSQL + Redis pass (PLACETTE_TEST_DATABASE_URL)")
    postgres = request.getfixturevalue("postgres")
    redis_server = request.getfixturevalue("redis_server")

    from placette.app import create_app, migration_sources
    from placette.config import from_mapping
    from placette.db import database
    from placette.db.migrations import migrate
    from placette.kernel import registry
    config = from_mapping(instance_dir, {
        "city": "Testville", "secret_key": "test-secret-key-" + "x" * 16,
        "database_url": postgres, "queue_url": redis_server, "base_url": "http://localhost",
        "plugins": []})
    app = create_app(config=config, extra_plugins={"notes": NotesPlugin()}, testing=True,
                     check_migrations=False, queue_name=redis_queue_name,
                     immediate_tasks=False)
    with app.app_context():
        database.connect(reuse_if_open=True)
        migrate(migration_sources(registry()), log=lambda _m: None)
        wipe_database()
        yield app
        wipe_database()
        database.close()
    client = redis.Redis.from_url(redis_server)
    for key in client.scan_iter(f"*{redis_queue_name}*"):
        client.delete(key)


def drain(app) -> int:
    """Run every queued task, as a worker would; returns how many ran."""
    huey = app.extensions["placette"].queue.huey
    ran = 0
    while (task := huey.dequeue()) is not None:
        huey.execute(task)
        ran += 1
    return ran


def city(n_people=10):
    from placette.identity.accounts import create_user
    from placette.modules import set_module
    from placette.spaces import add_member, create_space
    space = create_space("conseil", "Conseil", "neighbourhood", "network")
    set_module(space, "notes", True)
    people = [create_user(f"p{i}@example.org", f"Person {i}") for i in range(n_people)]
    for person in people:
        add_member(space, person)
    resource = placette.publish_resource("notes", "note", 1, space=space, title="Compte rendu",
                                         url="/s/conseil/notes/1")
    with placette.atomic():
        placette.emit("notes.note.created", space=space, resource=resource)
    return space, people


def test_crash_in_the_middle_then_restart_gives_exactly_one_digest_each(prod_app, outbox):
    from placette.models import Digest, Notification
    from placette.notifications.digests import run_digests
    _space, people = city(10)
    assert drain(prod_app) == 1  # the dispatch task, from the queue
    assert Notification.select().count() == 10

    reached = []

    def crash_at_the_seventh(person):
        reached.append(person.id)
        if len(reached) == 7:
            raise Crash("worker killed while writing the third group")

    with pytest.raises(Crash):  # groups of three: 1-3 and 4-6 committed, 7-9 rolled back
        run_digests(at(8), on_person=crash_at_the_seventh, per_commit=3)
    assert Digest.select().count() == 6
    drain(prod_app)  # the six send tasks queued before the crash
    assert len(outbox()) == 6

    run_digests(at(8) + dt.timedelta(hours=1), per_commit=3)  # the next hourly run: the rest
    drain(prod_app)
    run_digests(at(8) + dt.timedelta(hours=2))  # and again: nothing more
    drain(prod_app)
    for person in people:
        assert len(outbox(person.email)) == 1, person.email
    assert Digest.select().where(Digest.sent_at.is_null()).count() == 0


def test_two_workers_in_the_same_slot_build_digests_once(prod_app, outbox):
    from placette.kernel import registry
    from placette.tasks import TaskQueue
    city(3)
    drain(prod_app)
    first = prod_app.extensions["placette"].queue
    second = TaskQueue(prod_app, first.url, prod_app.extensions["placette"].config.root,
                       name=first.huey.name)
    registry().call_each("register_tasks", strict=True, queue=second)
    name = "placette.notifications.digests"
    results = [first.periodic_tasks[name].call_local(), second.periodic_tasks[name].call_local()]
    assert results.count(None) == 1  # the second worker found the slot taken
    drain(prod_app)
    assert len(outbox()) in (0, 3)  # before 7:00 local nothing is due; else three digests
