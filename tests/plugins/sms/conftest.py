"""Fixtures of the sms tests: agenda + sms activated, Twilio's API played by a real HTTP stub on
127.0.0.1, a council with a meeting, people with confirmed numbers, signed webhooks."""
from __future__ import annotations

import datetime as dt

import pytest

from sms_twilio_stub import ACCOUNT, SENDER, TOKEN, TwilioStub


@pytest.fixture
def placette_plugins():
    return ["agenda", "sms"]


@pytest.fixture
def placette_language():
    return "en"


@pytest.fixture
def twilio():
    with TwilioStub() as stub:
        yield stub


@pytest.fixture
def placette_settings(twilio):
    return {"sms": {"backend": "twilio", "account_sid": ACCOUNT, "auth_token": TOKEN,
                    "from_number": SENDER, "api_base": twilio.url}}


@pytest.fixture
def council(make_space):
    return make_space("quartier-nord", visibility="network", plugins=["agenda", "sms"],
                      name="Quartier Nord", settings={"sms": {"quiet_from": 0, "quiet_until": 0}})


@pytest.fixture
def animator(make_user, council):
    return make_user(member_of=council, role="animator", name="Karim Animateur")


@pytest.fixture
def local_now():
    from zoneinfo import ZoneInfo
    return dt.datetime.now(ZoneInfo("Europe/Paris")).replace(tzinfo=None, second=0,
                                                              microsecond=0)


@pytest.fixture
def make_meeting(app, local_now):
    from placette_plugins.agenda import service

    def factory(space, author, days: float = 7, hours: float = 2, **fields):
        start = fields.pop("starts_at", None) or (local_now + dt.timedelta(days=days)).replace(
            minute=0)
        data = {"title": "Conseil de quartier", "starts_at": start,
                "ends_at": fields.pop("ends_at", None) or start + dt.timedelta(hours=hours)}
        data.update(fields)
        return service.create_meeting(space, author, data)
    return factory


@pytest.fixture
def texting(app, make_user, council):
    """``texting(number="+33612345601", **user)``: a member with a confirmed number and texts
    switched on (straight in the tables: the verification journey has its own tests)."""
    from placette_plugins.sms.models import Phone
    import placette
    counter = iter(range(10, 10_000))

    def factory(number=None, **fields):
        fields.setdefault("member_of", council)
        person = make_user(**fields)
        number = number or f"+3361{next(counter):07d}"
        now = placette.utcnow()
        Phone.create(user=person.id, number=number, verified_at=now, created_at=now,
                     updated_at=now)
        placette.User.update(notification_prefs={"sms": "immediate"}).where(
            placette.User.id == person.id).execute()
        return placette.User.get_by_id(person.id)
    return factory


@pytest.fixture
def signed_post(client):
    """POST a form to a Twilio webhook with Twilio's signature of ``url`` (default: the public
    URL of the path, as Twilio would call it)."""
    from twilio.request_validator import RequestValidator

    def post(path, form, url=None, token=TOKEN, signature=None, headers=None):
        url = url or f"http://localhost{path}"
        sig = signature if signature is not None else RequestValidator(token).compute_signature(
            url, form)
        all_headers = {"X-Twilio-Signature": sig} if sig else {}
        all_headers.update(headers or {})
        return client.post(path, data=form, headers=all_headers)
    return post


@pytest.fixture
def messages(app):
    def read(**where):
        from placette_plugins.sms.models import Message
        query = Message.select().order_by(Message.id)
        for key, value in where.items():
            query = query.where(getattr(Message, key) == value)
        return list(query)
    return read
