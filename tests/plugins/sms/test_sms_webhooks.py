"""Twilio's webhooks: signed or refused (403), replays and big bodies change nothing; STOP,
START, answers to a reminder recorded as the RSVP (through the agenda's listener), one help
text for anything else; delivery statuses never go backwards."""
from __future__ import annotations

import datetime as dt

import pytest

INBOUND = "/sms/twilio/inbound"
STATUS = "/sms/twilio/status"


@pytest.fixture
def meeting(council, animator, make_meeting):
    return make_meeting(council, animator, days=3, title="Conseil de quartier Nord")


@pytest.fixture
def reminded(meeting, texting):
    """Léa answered maybe, and got the text reminder."""
    from placette_plugins.agenda import reminders, rsvp
    lea = texting(name="Léa", number="+33612345678")
    rsvp.answer(meeting, lea, "maybe")
    reminders.send_due(meeting.starts_at - dt.timedelta(hours=47))
    return lea


def reply(signed_post, body, sid="SM" + "1" * 32, sender="+33612345678"):
    return signed_post(INBOUND, {"MessageSid": sid, "From": sender, "To": "+33757000000",
                                 "Body": body, "NumMedia": "0"})


def rsvp_of(meeting, person):
    from placette_plugins.agenda.models import Rsvp
    row = Rsvp.get_or_none(Rsvp.meeting == meeting.id, Rsvp.user == person.id)
    return row.answer if row else None


@pytest.mark.parametrize("word,expected", [("OUI", "yes"), ("oui !", "yes"), ("Non", "no"),
                                           ("peut-être", "maybe"), ("PEUT ETRE", "maybe"),
                                           ("yes", "yes"), ("No", "no")])
def test_a_reply_to_a_reminder_records_the_rsvp(app, signed_post, meeting, reminded, word,
                                                expected, twilio, events):
    start = "no" if expected != "no" else "yes"
    from placette_plugins.agenda import rsvp
    rsvp.answer(meeting, reminded, start)
    answer = reply(signed_post, word)
    assert answer.status_code == 200 and answer.mimetype == "text/xml"
    assert rsvp_of(meeting, reminded) == expected
    (event,) = events("sms.reply.rsvp")
    assert event["recipients"] == [] and event["actor"] == reminded.id  # tells nobody
    assert event["data"]["meeting"] == meeting.id and event["data"]["answer"] == expected
    confirmation = twilio.sent[-1]
    assert confirmation["To"] == "+33612345678"
    assert "Answer recorded" in confirmation["Body"] and "Conseil de quartier Nord" in \
        confirmation["Body"]


def test_a_yes_for_a_full_meeting_is_confirmed_as_the_waiting_list(
        app, signed_post, meeting, reminded, make_user, council, twilio):
    """The text tells what the agenda really recorded, not what was asked."""
    from placette_plugins.agenda import rsvp
    from placette_plugins.agenda.models import Meeting, Rsvp
    Meeting.update(capacity=1).where(Meeting.id == meeting.id).execute()
    rsvp.answer(Meeting.get_by_id(meeting.id), make_user(name="Paul", member_of=council), "yes")
    assert reply(signed_post, "OUI", sid="SM" + "5" * 32).status_code == 200
    row = Rsvp.get(Rsvp.meeting == meeting.id, Rsvp.user == reminded.id)
    assert row.answer == "yes" and row.waiting
    body = twilio.sent[-1]["Body"]
    assert "waiting list" in body and "Answer recorded" not in body


def test_an_answer_the_agenda_refuses_is_not_confirmed(app, signed_post, meeting, reminded,
                                                       twilio):
    from placette_plugins.agenda.models import Meeting
    Meeting.update(status="cancelled", cancelled_at=meeting.starts_at).where(
        Meeting.id == meeting.id).execute()
    assert reply(signed_post, "OUI", sid="SM" + "6" * 32).status_code == 200
    assert rsvp_of(meeting, reminded) == "maybe"          # unchanged: the meeting is cancelled
    body = twilio.sent[-1]["Body"]
    assert "could not be recorded" in body and "Answer recorded" not in body


def test_a_replayed_message_is_handled_once(app, signed_post, meeting, reminded, twilio):
    from placette_plugins.sms.models import Inbound
    first = reply(signed_post, "NON", sid="SM" + "2" * 32)
    sent = len(twilio.sent)
    again = reply(signed_post, "NON", sid="SM" + "2" * 32)
    assert first.status_code == again.status_code == 200
    assert Inbound.select().count() == 1 and len(twilio.sent) == sent
    assert rsvp_of(meeting, reminded) == "no"


@pytest.mark.parametrize("case", ["missing", "wrong_token", "other_url", "tampered"])
def test_unsigned_or_tampered_webhooks_are_refused(app, client, signed_post, meeting, reminded,
                                                   case, twilio):
    from placette_plugins.sms.models import Inbound
    form = {"MessageSid": "SM" + "3" * 32, "From": "+33612345678", "Body": "NON"}
    if case == "missing":
        answer = client.post(INBOUND, data=form)
    elif case == "wrong_token":
        answer = signed_post(INBOUND, form, token="not-the-token")
    elif case == "other_url":
        answer = signed_post(INBOUND, form, url="http://localhost/sms/twilio/status")
    else:
        from twilio.request_validator import RequestValidator
        sig = RequestValidator("twilio-auth-token-for-tests").compute_signature(
            "http://localhost" + INBOUND, dict(form, Body="OUI"))
        answer = client.post(INBOUND, data=form, headers={"X-Twilio-Signature": sig})
    assert answer.status_code == 403
    assert Inbound.select().count() == 0
    assert rsvp_of(meeting, reminded) == "maybe"


def test_a_body_of_10_kb_is_refused_before_anything_is_read(app, signed_post, reminded):
    from placette_plugins.sms.models import Inbound
    answer = reply(signed_post, "OUI" + "x" * 10_000)
    assert answer.status_code == 413
    assert Inbound.select().count() == 0


def test_stop_opts_out_at_once_and_a_reminder_then_sends_nothing(
        app, signed_post, meeting, reminded, twilio, council, animator, make_meeting):
    from placette_plugins.agenda import reminders, rsvp
    from placette_plugins.sms.models import Phone
    sent = len(twilio.sent)
    assert reply(signed_post, "STOP", sid="SM" + "5" * 32).status_code == 200
    assert Phone.get(Phone.user == reminded.id).stopped_at is not None
    assert len(twilio.sent) == sent  # Twilio confirms STOP itself
    other = make_meeting(council, animator, days=3, hours=1, title="Autre réunion")
    rsvp.answer(other, reminded, "yes")
    reminders.send_due(other.starts_at - dt.timedelta(hours=47))
    assert len(twilio.calls) == sent  # nothing tried
    # START brings texts back
    assert reply(signed_post, "start", sid="SM" + "6" * 32).status_code == 200
    assert Phone.get(Phone.user == reminded.id).stopped_at is None
    from placette.models import User
    assert User.get_by_id(reminded.id).notification_prefs["sms"] == "immediate"


@pytest.mark.parametrize("word", ["ARRET", "arrêt", "Stop all"])
def test_french_and_long_stop_words(app, signed_post, reminded, word):
    from placette_plugins.sms.models import Phone
    reply(signed_post, word, sid="SM" + "7" * 32)
    assert Phone.get(Phone.user == reminded.id).stopped_at is not None


def test_an_unknown_reply_gets_one_help_text_never_a_loop(app, signed_post, reminded, twilio):
    sent = len(twilio.sent)
    reply(signed_post, "Bonjour, c'est à quelle heure ?", sid="SM" + "8" * 32)
    assert len(twilio.sent) == sent + 1
    assert "Reply YES, NO or MAYBE" in twilio.sent[-1]["Body"]
    for n in range(3):  # an automatic responder answering the help: no more help
        reply(signed_post, "Message automatique : absent", sid=f"SM{n}" + "9" * 31)
    assert len(twilio.sent) == sent + 1


def test_a_status_callback_is_recorded_and_never_downgraded(app, signed_post, reminded,
                                                            messages):
    (row,) = [m for m in messages() if m.kind == "notification"]
    form = {"MessageSid": row.sid, "MessageStatus": "delivered", "AccountSid": "AC"}
    assert signed_post(STATUS, form).status_code == 204
    assert messages()[0].status == "delivered"
    late = dict(form, MessageStatus="sent")
    assert signed_post(STATUS, late).status_code == 204
    assert messages()[0].status == "delivered"  # a late "sent" changes nothing
    assert signed_post(STATUS, dict(form, MessageStatus="failed")).status_code == 204
    assert messages()[0].status == "delivered"  # final stays final
    unsigned = signed_post(STATUS, dict(form, MessageStatus="undelivered"), signature="")
    assert unsigned.status_code == 403


def test_status_callbacks_move_forward_and_record_errors(app, signed_post, reminded, messages):
    row = messages()[0]
    signed_post(STATUS, {"MessageSid": row.sid, "MessageStatus": "sent"})
    assert messages()[0].status == "sent"
    signed_post(STATUS, {"MessageSid": row.sid, "MessageStatus": "undelivered",
                         "ErrorCode": "30003"})
    row = messages()[0]
    assert (row.status, row.error_code) == ("undelivered", "30003")
    assert signed_post(STATUS, {"MessageSid": row.sid}).status_code == 400


def test_twilio_advanced_opt_out_type_wins(app, signed_post, reminded):
    """Twilio's Advanced Opt-Out reads localised keywords itself and says so in OptOutType."""
    from placette_plugins.sms.models import Phone
    signed_post(INBOUND, {"MessageSid": "SM" + "c" * 32, "From": "+33612345678",
                          "Body": "Désinscription", "OptOutType": "STOP"})
    assert Phone.get(Phone.user == reminded.id).stopped_at is not None
