"""Texts through Twilio's API (a real HTTP stub on 127.0.0.1): a reminder reaches opted-in
people with a confirmed number, in one GSM-7 segment with a short link; Twilio's errors mean
what they say (21211, 21610, 429 and 5xx retried); a status callback never goes backwards."""
from __future__ import annotations

import datetime as dt

import pytest


def remind(meeting):
    from placette_plugins.agenda import reminders
    return reminders.send_due(meeting.starts_at - dt.timedelta(hours=47))


@pytest.fixture
def meeting(council, animator, make_meeting):
    return make_meeting(council, animator, days=3, title="Conseil de quartier Nord")


def answer(meeting, person, value="yes"):
    from placette_plugins.agenda import rsvp
    return rsvp.answer(meeting, person, value)


def test_a_reminder_goes_by_text_to_opted_in_people_only(app, client, meeting, texting,
                                                          make_user, council, twilio, messages):
    lea = texting(name="Léa", number="+33612345678")
    quiet = make_user(member_of=council, name="No phone")
    off = texting(name="Texts off", number="+33612345679")
    from placette.models import User
    User.update(notification_prefs={"sms": "off"}).where(User.id == off.id).execute()
    for person in (lea, quiet, off):
        answer(meeting, person)
    assert remind(meeting) == 3
    assert [m["To"] for m in twilio.sent] == ["+33612345678"]
    sent = twilio.sent[0]
    assert sent["From"] == "+33757000000"
    assert sent["StatusCallback"] == "http://localhost/sms/twilio/status"
    body = sent["Body"]
    assert body.startswith("Meeting reminder: Conseil de quartier Nord,")
    assert "Reply YES, NO or MAYBE" in body
    assert "http://localhost/sms/l/" in body
    (row,) = messages()
    assert row.status == "queued" and row.sid == sent["sid"] and row.segments == 1
    assert row.encoding == "GSM-7" and row.user_id == lea.id and row.meeting == meeting.id
    # the short link leads to the meeting's page
    token = body.split("/sms/l/")[1].split()[0]
    assert client.get(f"/sms/l/{token}").headers["Location"].endswith(
        f"/s/quartier-nord/agenda/{meeting.id}")
    assert client.get("/sms/l/nope").status_code == 404


def test_french_text_keeps_one_segment_without_breaking_accents(app, council, animator,
                                                                make_meeting, texting, twilio,
                                                                messages):
    meeting = make_meeting(council, animator, days=3,
                           title="Fête à l’école : forêt, côté théâtre")
    lea = texting(name="Léa", language="fr")
    answer(meeting, lea)
    remind(meeting)
    body = twilio.sent[0]["Body"]
    assert body.startswith("Rappel")
    assert "Fete à l'ecole : foret, cote théâtre" not in body  # é and à stay GSM-7 as they are
    assert "Fete à l'école : foret, coté théatre" in body
    from placette_plugins.sms import text
    assert text.is_gsm(body)  # ê, ô, ’, the narrow no-break space: written plainly
    assert messages()[0].segments == 1


def test_reminder_is_not_sent_twice_when_the_task_runs_again(app, meeting, texting, twilio,
                                                             messages):
    from placette_plugins.sms import sending
    lea = texting()
    answer(meeting, lea)
    remind(meeting)
    (row,) = messages()
    assert sending.send(row.id) == "taken"  # a retried task, a second worker: nothing
    assert len(twilio.sent) == 1


def test_21211_marks_the_number_unverified(app, meeting, texting, twilio, messages):
    from placette_plugins.sms.models import Phone
    lea = texting(number="+33612345670")
    twilio.per_number["+33612345670"] = 21211
    answer(meeting, lea)
    remind(meeting)
    (row,) = messages()
    assert (row.status, row.error_code) == ("failed", "21211")
    assert Phone.get(Phone.user == lea.id).verified_at is None
    assert twilio.sent == []


def test_21610_records_the_opt_out_and_nothing_more_goes(app, meeting, texting, twilio,
                                                         messages, make_meeting, council,
                                                         animator):
    from placette_plugins.sms.models import Phone
    lea = texting(number="+33612345671")
    twilio.per_number["+33612345671"] = 21610
    answer(meeting, lea)
    remind(meeting)
    assert messages()[0].error_code == "21610"
    assert Phone.get(Phone.user == lea.id).stopped_at is not None
    calls = len(twilio.calls)
    other = make_meeting(council, animator, days=3, hours=1, title="Autre")
    answer(other, lea)
    remind(other)
    assert len(twilio.calls) == calls  # stopped: not even tried


def test_429_and_500_are_retried_with_backoff_then_sent(app, meeting, texting, twilio,
                                                        messages):
    from placette_plugins.sms import sending
    lea = texting()
    twilio.script(429, 500)
    answer(meeting, lea)
    remind(meeting)
    (row,) = messages()
    assert (row.status, row.error_code, row.attempts) == ("retrying", "429", 1)
    # huey holds the retry for 30 s (then 60 s): run it as the worker would when it is due
    assert sending.send(row.id) == "retrying"
    assert messages()[0].error_code == "500"
    assert sending.send(row.id) == "queued"
    row = messages()[0]
    assert (row.status, row.attempts, row.error_code) == ("queued", 3, None)
    assert len(twilio.sent) == 1 and len(twilio.calls) == 3


def test_backoff_doubles_and_gives_up(app, meeting, texting, twilio, messages):
    from placette_plugins.sms import sending
    lea = texting()
    twilio.script(*[503] * sending.MAX_ATTEMPTS)
    answer(meeting, lea)
    remind(meeting)
    row = messages()[0]
    for _ in range(sending.MAX_ATTEMPTS - 1):
        sending.send(row.id)
    row = messages()[0]
    assert (row.status, row.error_code, row.attempts) == ("failed", "503", sending.MAX_ATTEMPTS)
    assert twilio.sent == []


def test_quiet_hours_hold_texts_until_morning(app):
    from placette_plugins.sms import sending

    class Settings:
        quiet_from, quiet_until = 21, 8
    # 22:30 in Paris in winter is 21:30 UTC: held until 08:00 Paris, 07:00 UTC
    held = sending.quiet_until(Settings, dt.datetime(2026, 12, 6, 21, 30))
    assert held == dt.datetime(2026, 12, 7, 7, 0)
    assert sending.quiet_until(Settings, dt.datetime(2026, 12, 6, 12, 0)) is None
    assert sending.quiet_until(Settings, dt.datetime(2026, 12, 6, 6, 0)) == dt.datetime(
        2026, 12, 6, 7, 0)


def test_the_sweep_requeues_lost_texts_and_never_resends_an_interrupted_one(
        app, meeting, texting, twilio, messages):
    from placette_plugins.sms import sending
    from placette_plugins.sms.models import Message
    lea, max_ = texting(), texting()
    answer(meeting, lea)
    answer(meeting, max_)
    remind(meeting)
    first, second = messages()
    now = first.created_at
    # the first one's hand-over to the queue was lost; the second's worker died mid-call
    Message.update(status="pending", sid=None).where(Message.id == first.id).execute()
    Message.update(status="claimed").where(Message.id == second.id).execute()
    assert sending.sweep(now) == {"requeued": 0, "unknown": 0}  # not late yet
    later = now + dt.timedelta(minutes=16)
    assert sending.sweep(later) == {"requeued": 1, "unknown": 1}
    first, second = messages()
    assert first.status == "queued" and len(twilio.sent) == 3
    assert (second.status, second.error_code) == ("unknown", "interrupted")
    assert sending.sweep(later + dt.timedelta(minutes=30)) == {"requeued": 0, "unknown": 0}


def test_a_retry_is_due_after_its_backoff(app, meeting, texting, twilio, messages):
    from placette_plugins.sms import sending
    lea = texting()
    twilio.script(429)
    answer(meeting, lea)
    remind(meeting)
    row = messages()[0]
    assert row.status == "retrying"
    assert 29 <= (row.due_at - row.updated_at).total_seconds() <= 31
    assert sending.sweep(row.updated_at + dt.timedelta(minutes=5))["requeued"] == 0


def test_a_seat_freed_up_is_texted_to_the_person_promoted(app, council, animator, make_meeting,
                                                          texting, twilio):
    from placette_plugins.agenda import rsvp
    meeting = make_meeting(council, animator, days=3, title="Atelier vélo", capacity=1)
    first, waiting = texting(number="+33612345601"), texting(number="+33612345602")
    rsvp.answer(meeting, first, "yes")
    rsvp.answer(meeting, waiting, "yes", waiting_list=True)
    sent_before = len(twilio.sent)
    rsvp.answer(meeting, first, "no")
    promoted = twilio.sent[sent_before:]
    assert [m["To"] for m in promoted] == ["+33612345602"]
    assert promoted[0]["Body"].startswith("A seat freed up for you: Atelier vélo")
