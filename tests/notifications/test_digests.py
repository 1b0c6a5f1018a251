"""Daily and weekly digests: once per person and period, only what they may still see."""
import datetime as dt
import re
from zoneinfo import ZoneInfo

from placette.db import utcnow
from placette.models import Digest
from placette.notifications.digests import run_digests, send_digest
from placette.testing import mail_html, mail_text

PARIS = ZoneInfo("Europe/Paris")


def at(hour, days=0):
    """Naive UTC for today (+days) at ``hour`` in the city's time zone."""
    day = utcnow().replace(tzinfo=dt.UTC).astimezone(PARIS).date() + dt.timedelta(days=days)
    local = dt.datetime.combine(day, dt.time(hour), tzinfo=PARIS)
    return local.astimezone(dt.UTC).replace(tzinfo=None)


def next_monday_at(hour):
    today = utcnow().replace(tzinfo=dt.UTC).astimezone(PARIS).date()
    return at(hour, days=(7 - today.weekday()) % 7)


def set_mode(user, **modes):
    user.notification_prefs = dict(user.notification_prefs or {}, **modes)
    user.save()


def digests(outbox, email):
    """The digests (French subjects: the city's default language) among someone's mails."""
    return [m for m in outbox(email)
            if m["Subject"].startswith(("Votre journée", "Votre semaine"))]


def test_daily_digest_groups_news_by_space_once_a_day(app, notes_space, make_user, note, happen,
                                                       outbox):
    north, south = notes_space("nord"), notes_space("sud")
    reader = make_user(member_of=[north, south])
    happen("notes.note.created", north, note(north, "Compte rendu nord"))
    happen("notes.note.created", south, note(south, "Compte rendu sud"))
    happen("notes.note.created", south, note(south, "Ordre du jour sud"))
    assert outbox() == []  # daily digest by default: nothing at once
    run_digests(at(8))
    [mail] = digests(outbox, reader.email)
    assert mail["Subject"] == "Votre journée à Testville\u00a0: 3 nouveautés"
    text, html = mail_text(mail), mail_html(mail)
    assert text.index("== Nord ==") < text.index("Compte rendu nord") < text.index("== Sud ==")
    assert "Ordre du jour sud" in html and 'href="http://localhost/s/sud/notes/' in html
    assert len(re.findall(r"/mute/", text)) == 2  # one "stop news of this space" per space
    assert mail["List-Unsubscribe"].startswith("<http://localhost/unsubscribe/")

    run_digests(at(9))  # the same day again: nothing more
    happen("notes.note.created", north, note(north, "Nouvelle affiche"))
    run_digests(at(10))
    assert len(digests(outbox, reader.email)) == 1
    run_digests(at(8, days=1))  # tomorrow: only the new item
    latest = [m for m in digests(outbox, reader.email) if "1 nouveauté" in m["Subject"]]
    assert len(latest) == 1 and "Nouvelle affiche" in mail_text(latest[0])
    assert "Compte rendu nord" not in mail_text(latest[0])


def test_no_digest_before_the_digest_hour(app, notes_space, make_user, note, happen, outbox):
    space = notes_space()
    make_user(member_of=space)
    happen("notes.note.created", space, note(space))
    assert run_digests(at(5)) == {}
    assert outbox() == []


def test_weekly_immediate_and_off_people(app, notes_space, make_user, note, happen, outbox):
    space = notes_space()
    weekly, eager, off, daily = (make_user(member_of=space) for _ in range(4))
    set_mode(weekly, email="weekly")
    set_mode(eager, email="immediate")
    set_mode(off, email="off")
    happen("notes.note.created", space, note(space, "Compte rendu"))
    monday = next_monday_at(8)
    run_digests(monday + dt.timedelta(days=1))  # a Tuesday: no weekly digest
    assert digests(outbox, weekly.email) == []
    run_digests(monday)
    run_digests(monday + dt.timedelta(hours=3))
    assert [m["Subject"] for m in digests(outbox, weekly.email)] == [
        "Votre semaine à Testville\u00a0: 1 nouveauté"]
    assert len(outbox(eager.email)) == 1 and digests(outbox, eager.email) == []
    assert outbox(off.email) == []
    assert len(digests(outbox, daily.email)) == 1


def test_urgent_news_already_mailed_is_not_repeated(app, notes_space, make_user, note, happen,
                                                    outbox):
    space = notes_space()
    reader = make_user(member_of=space)
    happen("notes.meeting.moved", space, note(space, "Réunion déplacée au 14"))
    happen("notes.note.created", space, note(space, "Compte rendu"))
    run_digests(at(8))
    [digest] = digests(outbox, reader.email)
    assert "Compte rendu" in mail_text(digest) and "au 14" not in mail_text(digest)


def test_member_removed_from_private_group_is_not_mailed_its_news(app, notes_space, make_user,
                                                                  note, happen, outbox):
    """The event is emitted while they belong, the digest is built after the removal."""
    from placette.spaces import remove_member
    group = notes_space("redaction-avis", visibility="private")
    council = notes_space("conseil")
    leaver = make_user(member_of=[group, council])
    stayer = make_user(member_of=group)
    happen("notes.note.created", group, note(group, "Projet d'avis confidentiel"))
    happen("notes.note.created", council, note(council, "Compte rendu public"))
    remove_member(group, leaver)
    run_digests(at(8))
    [mail] = digests(outbox, leaver.email)
    assert "confidentiel" not in mail_text(mail) and "confidentiel" not in mail_html(mail)
    assert "Redaction Avis" not in mail_text(mail)
    assert "Compte rendu public" in mail_text(mail)
    assert "confidentiel" in mail_text(digests(outbox, stayer.email)[0])


def test_removed_between_building_and_sending(app, notes_space, make_user, note, happen, outbox):
    from placette.spaces import remove_member
    group = notes_space(visibility="private")
    leaver = make_user(member_of=group)
    happen("notes.note.created", group, note(group, "Confidentiel"))
    queue = app.extensions["placette"].queue
    queue.huey.immediate = False  # build now, send later
    try:
        run_digests(at(8))
    finally:
        queue.huey.immediate = True
    remove_member(group, leaver)
    digest = Digest.get()
    assert send_digest(digest.id) is False
    assert outbox(leaver.email) == []
    assert Digest.get_by_id(digest.id).sent_at is not None  # done: not retried forever


def test_muted_space_and_disabled_module_stay_out_of_the_digest(client, notes_space, make_user,
                                                                note, happen, outbox):
    from placette.models import Mute
    from placette.modules import set_module
    muted, quiet, lively = notes_space("muet"), notes_space("eteint"), notes_space("vivant")
    reader = make_user(member_of=[muted, quiet, lively])
    Mute.create(user=reader, space=muted)
    happen("notes.note.created", muted, note(muted, "Dans le muet"))
    happen("notes.note.created", quiet, note(quiet, "Module coupé"))
    happen("notes.note.created", lively, note(lively, "Bien vivant"))
    set_module(quiet, "notes", False)
    run_digests(at(8))
    text = mail_text(digests(outbox, reader.email)[0])
    assert "Bien vivant" in text and "Dans le muet" not in text and "Module coupé" not in text


def test_sweep_sends_a_digest_whose_task_was_lost(app, notes_space, make_user, note, happen,
                                                  outbox):
    from placette.notifications.dispatch import sweep
    space = notes_space()
    reader = make_user(member_of=space)
    happen("notes.note.created", space, note(space))
    queue = app.extensions["placette"].queue
    queue.huey.immediate = False
    built = at(8)  # the sweep's clock runs from the build: 8:00 may be later than now
    try:
        run_digests(built)
        queue.huey.storage.flush_queue()  # the send task is lost (crash before it ran)
    finally:
        queue.huey.immediate = True
    assert outbox() == []
    sweep(built + dt.timedelta(minutes=11))
    assert len(digests(outbox, reader.email)) == 1
    sweep(built + dt.timedelta(minutes=22))
    assert len(digests(outbox, reader.email)) == 1


def test_crash_while_writing_a_group_then_restart(app, notes_space, make_user, note, happen,
                                                  outbox):
    """The same on the embedded engines (the PostgreSQL + Redis version has a real queue)."""
    import pytest
    space = notes_space()
    people = [make_user(member_of=space) for _ in range(8)]
    happen("notes.note.created", space, note(space))
    seen = []

    def crash(person):
        seen.append(person)
        if len(seen) == 5:
            raise KeyboardInterrupt  # the worker is stopped hard in the second group

    with pytest.raises(KeyboardInterrupt):
        run_digests(at(8), on_person=crash, per_commit=4)
    assert len(outbox()) == 4 and Digest.select().count() == 4
    run_digests(at(9), per_commit=4)
    assert sorted(len(digests(outbox, p.email)) for p in people) == [1] * 8
