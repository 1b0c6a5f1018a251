"""What people answer by text: STOP / START, YES / NO / MAYBE to a reminder, anything else.

Keywords are matched without case or accents (``arrêt``, ``Peut-être``, ``oui !``).  STOP,
ARRET and STOP ALL opt the number out at once (every account with it); START and UNSTOP bring
it back.  Twilio answers those keywords itself on long codes, so nothing is sent back.  A yes,
no or maybe answers the latest reminder sent to that number in the last week: the plugin
emits ``sms.reply.rsvp`` and whoever records answers (the agenda) listens to it, then tells
the outcome back as ``agenda.rsvp.answered``; only then is the person told by text what was
really recorded (:func:`confirm_rsvp`: the answer, the waiting list, or that it could not be
recorded) -- the sms plugin imports no other plugin.  Anything else gets one short help text, at most once a day
per number, so two automatic responders can never loop.
"""
from __future__ import annotations

import datetime as dt
import unicodedata

import placette

from . import compose, sending
from .models import Inbound, Message, Phone

STOP_WORDS = {"STOP", "ARRET", "STOPALL", "STOP ALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT",
              "OPTOUT", "REVOKE", "DESABONNER", "DESINSCRIRE"}
START_WORDS = {"START", "UNSTOP", "YES START", "DEMARRER"}
ANSWERS = {"OUI": "yes", "YES": "yes", "O": "yes", "Y": "yes",
           "NON": "no", "NO": "no", "N": "no",
           "PEUT ETRE": "maybe", "PEUTETRE": "maybe", "MAYBE": "maybe", "PE": "maybe"}
REPLY_WINDOW = dt.timedelta(days=7)
HELP_EVERY = dt.timedelta(hours=24)


def keyword(body: str) -> str:
    """``" Peut-être ! "`` -> ``"PEUT ETRE"``: upper case, no accents, words only."""
    plain = unicodedata.normalize("NFKD", body or "")
    plain = "".join(c for c in plain if not unicodedata.combining(c)).upper()
    words = "".join(c if c.isalnum() else " " for c in plain).split()
    return " ".join(words)


def handle(sid: str, number: str, body: str, opt_out_type: str = "") -> str:
    """Record and act on one inbound text; returns what was done (``replayed`` for a
    MessageSid already handled: nothing happens twice).  ``opt_out_type`` is Twilio's
    ``OptOutType`` (Advanced Opt-Out, which knows localised keywords): STOP or START wins over
    our own reading of the words."""
    word = keyword(body)
    if opt_out_type.upper() == "STOP":
        word = "STOP"
    elif opt_out_type.upper() == "START":
        word = "START"
    phone = (Phone.select().where(Phone.number == number)
             .order_by(Phone.verified_at.desc(nulls="LAST"), Phone.id).first())
    if word in STOP_WORDS:
        action = "stop"
    elif word in START_WORDS:
        action = "start"
    elif word in ANSWERS and phone is not None and phone.verified_at is not None:
        action = "rsvp"
    else:
        action = "help"
    with placette.atomic():
        got = list(Inbound.insert_many([dict(
            message_sid=sid, number=number, user=phone.user_id if phone else None,
            body=(body or "")[:1600], action=action, created_at=placette.utcnow())])
            .on_conflict_ignore().returning(Inbound.id).tuples().execute())
        if not got:
            return "replayed"
        if action == "stop":
            sending.stop_number(number)
            _prefs(number, "off")
        elif action == "start":
            now = placette.utcnow()
            (Phone.update(stopped_at=None, updated_at=now)
             .where((Phone.number == number) & Phone.stopped_at.is_null(False)).execute())
            _prefs(number, "immediate")
        elif action == "rsvp":
            action = _rsvp(sid, phone, ANSWERS[word])
        if action == "help":
            _help(sid, number, phone)
        Inbound.update(action=action).where(Inbound.message_sid == sid).execute()
    return action


def _prefs(number: str, mode: str) -> None:
    """The person's channel mode follows STOP/START: one consent, wherever it was given."""
    users = [p.user_id for p in Phone.select(Phone.user).where(Phone.number == number)]
    for user in placette.User.select().where(placette.User.id.in_(users or [0])):
        prefs = dict(user.notification_prefs or {})
        prefs["sms"] = mode
        placette.User.update(notification_prefs=prefs).where(
            placette.User.id == user.id).execute()


def _rsvp(sid: str, phone: Phone, answer: str) -> str:
    since = placette.utcnow() - REPLY_WINDOW
    reminder = (Message.select().where(
        (Message.number == phone.number) & (Message.user == phone.user_id)
        & (Message.event == "agenda.meeting.reminder") & Message.meeting.is_null(False)
        & (Message.created_at > since) & Message.space.is_null(False))
        .order_by(Message.created_at.desc(), Message.id.desc()).first())
    if reminder is None:
        return "help"
    space = placette.Space.get_by_id(reminder.space_id)
    person = placette.User.get_by_id(phone.user_id)
    title = ""
    resource = None
    event = (placette.Resource.select().where(
        (placette.Resource.plugin == "agenda") & (placette.Resource.kind == "meeting")
        & (placette.Resource.object_id == str(reminder.meeting))).first())
    if event is not None:
        resource, title = event, event.title
    placette.emit("sms.reply.rsvp", space=space, resource=resource, actor=person, recipients=[],
                  data={"meeting": reminder.meeting, "occurrence": reminder.occurrence,
                        "answer": answer, "message_sid": sid, "title": title})
    return "rsvp"


def confirm_rsvp(event) -> None:
    """Listener of ``agenda.rsvp.answered``: the outcome of an answer given by text, told back
    to the person by text -- recorded, on the waiting list, or refused (the meeting was
    cancelled, is over, or they may no longer answer).  Idempotent: one reply per message."""
    data = event.data or {}
    request = data.get("request") or {}
    sid = request.get("message_sid")
    if request.get("name") != "sms.reply.rsvp" or not sid:
        return
    inbound = Inbound.get_or_none(Inbound.message_sid == sid)
    person = placette.User.get_or_none(placette.User.id == event.actor_id)
    if inbound is None or person is None or not inbound.number:
        return
    space = placette.Space.get_or_none(placette.Space.id == event.space_id)
    from flask_babel import force_locale
    with force_locale(person.language or placette.current_config().default_language):
        title = request.get("title") or placette._("the meeting")
        if data.get("refused"):
            body = compose.rsvp_refused(title)
        elif data.get("waiting"):
            body = compose.rsvp_waiting(title)
        else:
            body = compose.rsvp_recorded(data.get("answer") or request.get("answer"), title)
    sending.queue_text(key=f"reply:{sid}", number=inbound.number, body=body, kind="reply",
                       user_id=person.id, space=space)


def _help(sid: str, number: str, phone: Phone | None) -> None:
    since = placette.utcnow() - HELP_EVERY
    if Message.select().where((Message.number == number) & (Message.kind == "help")
                              & (Message.created_at > since)).exists():
        return  # one help a day at most: never a loop with another automatic responder
    user = placette.User.get_or_none(placette.User.id == phone.user_id) if phone else None
    from flask_babel import force_locale
    with force_locale((user.language if user else None)
                      or placette.current_config().default_language):
        body = compose.help_text()
    sending.queue_text(key=f"help:{sid}", number=number, body=body, kind="help",
                       user_id=user.id if user else None)
