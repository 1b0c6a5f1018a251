"""Reminders: two days and two hours before, to those who answered yes or maybe, once and only
once per person and date -- even with two workers on Redis at the same moment -- and never after
a cancellation."""
from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest


def utc(local_naive):
    from zoneinfo import ZoneInfo
    return local_naive.replace(tzinfo=ZoneInfo("Europe/Paris")).astimezone(dt.UTC).replace(
        tzinfo=None)


def reminded(events):
    """[(person, occurrence, hours_before)] over every reminder event."""
    return sorted((person, e.data["occurrence"], e.data["hours_before"])
                  for e in events("agenda.meeting.reminder") for person in e.recipients)


@pytest.fixture
def attendees(council, make_user):
    return {answer: make_user(member_of=council, name=f"Person {answer}")
            for answer in ("yes", "maybe", "no")}


def answer_all(meeting, attendees, key=None):
    from placette_plugins.agenda import rsvp
    for answer, person in attendees.items():
        rsvp.answer(meeting, person, answer, key)


def test_two_days_then_two_hours_before_to_yes_and_maybe_only(app, council, animator,
                                                             make_meeting, attendees, events,
                                                             local_now):
    from placette_plugins.agenda import reminders
    meeting = make_meeting(council, animator, days=3)
    answer_all(meeting, attendees)
    start = meeting.starts_at
    assert reminders.send_due(start - dt.timedelta(hours=49)) == 0
    assert reminders.send_due(start - dt.timedelta(hours=47)) == 2
    assert reminders.send_due(start - dt.timedelta(hours=46)) == 0  # not twice
    event = events("agenda.meeting.reminder")[0]
    assert sorted(event.recipients) == sorted([attendees["yes"].id, attendees["maybe"].id])
    assert event.data["hours_before"] == 48 and event.resource_id == meeting.resource_id
    assert event.data["url"] == f"/s/quartier-nord/agenda/{meeting.id}"
    assert reminders.send_due(start - dt.timedelta(hours=1, minutes=59)) == 2
    assert reminders.send_due(start - dt.timedelta(minutes=30)) == 0
    assert reminders.send_due(start + dt.timedelta(minutes=1)) == 0
    assert [h for _p, _o, h in reminded(events)].count(48) == 2
    assert [h for _p, _o, h in reminded(events)].count(2) == 2


def test_late_answer_gets_only_the_nearest_reminder(app, council, animator, make_meeting,
                                                    attendees, events):
    from placette_plugins.agenda import reminders
    meeting = make_meeting(council, animator, days=3)
    answer_all(meeting, {"yes": attendees["yes"]})
    assert reminders.send_due(meeting.starts_at - dt.timedelta(hours=1)) == 1
    assert [h for _p, _o, h in reminded(events)] == [2]
    assert reminders.send_due(meeting.starts_at - dt.timedelta(minutes=10)) == 0


def test_nothing_after_cancellation_and_moving_re_arms(app, council, animator, make_meeting,
                                                      attendees, events):
    from placette_plugins.agenda import reminders, service
    cancelled = make_meeting(council, animator, days=3, title="Annulée")
    answer_all(cancelled, attendees)
    service.cancel_meeting(cancelled, animator)
    assert reminders.send_due(cancelled.starts_at - dt.timedelta(hours=47)) == 0
    moved = make_meeting(council, animator, days=3, title="Déplacée")
    answer_all(moved, attendees)
    assert reminders.send_due(moved.starts_at - dt.timedelta(hours=47)) == 2
    later = moved.starts_at + dt.timedelta(days=7)
    from placette_plugins.agenda.timing import to_local
    service.update_meeting(moved, animator, {
        "starts_at": to_local(later, "Europe/Paris").replace(tzinfo=None),
        "ends_at": to_local(later + dt.timedelta(hours=2), "Europe/Paris").replace(
            tzinfo=None)})
    assert reminders.send_due(later - dt.timedelta(hours=47)) == 2  # the new date is reminded
    assert all(e.data["meeting"] == moved.id for e in events("agenda.meeting.reminder"))


def test_each_date_of_a_series_is_reminded_to_its_own_attendees(app, council, animator,
                                                                make_meeting, attendees,
                                                                events, local_now):
    from placette_plugins.agenda import occurrences, reminders, service
    start = (local_now + dt.timedelta(days=3)).replace(hour=18, minute=0)
    series = make_meeting(council, animator, starts_at=start,
                          ends_at=start + dt.timedelta(hours=2), rrule="FREQ=WEEKLY;COUNT=3")
    dates = occurrences.upcoming_of(series)
    answer_all(series, {"yes": attendees["yes"]}, dates[0].key)
    answer_all(series, {"maybe": attendees["maybe"]}, dates[1].key)
    service.change_occurrence(series, dates[1].key, animator, cancel=True)
    assert reminders.send_due(dates[0].starts_at - dt.timedelta(hours=47)) == 1
    assert reminders.send_due(dates[1].starts_at - dt.timedelta(hours=47)) == 0
    assert reminded(events) == [(attendees["yes"].id, dates[0].key, 48)]


def test_the_periodic_task_is_declared_and_runs(app, council, animator, make_meeting,
                                                attendees, events, local_now):
    from placette.kernel import current
    queue = current().queue
    assert "agenda.reminders" in queue.periodic_tasks
    start = local_now + dt.timedelta(hours=47)
    meeting = make_meeting(council, animator, starts_at=start,
                           ends_at=start + dt.timedelta(hours=1))
    answer_all(meeting, attendees)
    queue.run_periodic_now("agenda.reminders")
    queue.run_periodic_now("agenda.reminders")
    assert len(reminded(events)) == 2


@pytest.mark.redis
def test_two_real_workers_on_redis_remind_once_and_only_once(
        app, council, animator, make_meeting, make_user, events, local_now, redis_server,
        redis_queue_name, placette_database_url, instance_dir):
    """Two ``placette worker`` processes (2 threads each) run the reminder task 24 times at
    once; each of 30 people is reminded exactly once."""
    import tomli_w
    from placette_plugins.agenda import rsvp
    start = local_now + dt.timedelta(hours=47)
    meeting = make_meeting(council, animator, starts_at=start,
                           ends_at=start + dt.timedelta(hours=1))
    people = [make_user(member_of=council) for _ in range(30)]
    for person in people:
        rsvp.answer(meeting, person, "yes")
    folder = instance_dir / "worker-instance"
    folder.mkdir()
    (folder / "placette.toml").write_text(tomli_w.dumps({
        "city": "Testville", "secret_key": "test-secret-key-" + "x" * 16,
        "database_url": placette_database_url, "queue_url": redis_server,
        "plugins": ["agenda"]}))
    from placette.kernel import registry
    from placette.tasks import TaskQueue
    producer = TaskQueue(app, redis_server, instance_dir, name=redis_queue_name)
    registry().call_each("register_tasks", strict=True, queue=producer)
    huey = producer.huey
    env = {**os.environ, "PLACETTE_INSTANCE": str(folder)}
    placette = str(Path(sys.executable).with_name("placette"))
    workers = [subprocess.Popen([placette, "worker", "--workers", "2", "--no-periodic",
                                 "--queue-name", redis_queue_name], env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
               for _ in range(2)]
    try:
        time.sleep(3)  # both consumers up and waiting
        assert all(w.poll() is None for w in workers), workers[0].stdout.read().decode()
        handles = [producer.enqueue("agenda.send_reminders") for _ in range(24)]
        results = [h.get(blocking=True, timeout=60) for h in handles]
    finally:
        for w in workers:
            w.terminate()
        for w in workers:
            try:
                w.wait(10)
            except subprocess.TimeoutExpired:
                w.kill()
        huey.flush()
    logs = b"".join(w.stdout.read() for w in workers).decode()
    assert sum(results) == 30, (results, logs[-3000:])  # 24 runs; together, 30 people
    got = reminded(events)
    assert sorted(p for p, _o, _h in got) == sorted(p.id for p in people), logs[-3000:]


def test_simultaneous_runs_remind_once(app, council, animator, make_meeting, make_user, events,
                                       local_now):
    """Eight runs released at the same instant (threads, one connection each)."""
    import threading

    from placette.db import database
    from placette_plugins.agenda import reminders, rsvp
    start = local_now + dt.timedelta(hours=47)
    meeting = make_meeting(council, animator, starts_at=start,
                           ends_at=start + dt.timedelta(hours=1))
    people = [make_user(member_of=council) for _ in range(15)]
    for person in people:
        rsvp.answer(meeting, person, "maybe")
    barrier = threading.Barrier(8)
    results, errors = [], []

    def run():
        with app.app_context():
            database.connect(reuse_if_open=True)
            try:
                barrier.wait()
                results.append(reminders.send_due())
            except Exception as exc:  # SQLite may say "locked" past its busy timeout
                errors.append(repr(exc))
            finally:
                database.close()

    threads = [threading.Thread(target=run) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors
    assert sum(results) == 15
    assert sorted(p for p, _o, _h in reminded(events)) == sorted(p.id for p in people)
