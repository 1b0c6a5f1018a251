"""A one-way sender (an alphanumeric one, the rule for French mobiles): texts say to answer on
the site and carry a short link that switches texts off in one click; the API is in the
OpenAPI document."""
from __future__ import annotations

import datetime as dt

import pytest

from sms_twilio_stub import ACCOUNT, TOKEN


@pytest.fixture
def placette_settings(twilio):
    return {"sms": {"backend": "twilio", "account_sid": ACCOUNT, "auth_token": TOKEN,
                    "messaging_service_sid": "MG" + "1" * 32, "two_way": False,
                    "api_base": twilio.url}}


def test_one_way_texts_link_to_the_web_and_to_opting_out(app, client, council, animator,
                                                         make_meeting, texting, twilio):
    from placette_plugins.agenda import reminders, rsvp
    meeting = make_meeting(council, animator, days=3, title="Conseil")
    lea = texting()
    rsvp.answer(meeting, lea, "yes")
    reminders.send_due(meeting.starts_at - dt.timedelta(hours=47))
    (sent,) = twilio.sent
    assert sent["MessagingServiceSid"] == "MG" + "1" * 32 and "From" not in sent
    body = sent["Body"]
    assert "Answer on the site. Stop: http://localhost/sms/l/" in body and "Reply" not in body
    stop = body.split("Stop: ")[1].split()[0]
    target = client.get(stop.replace("http://localhost", "")).headers["Location"]
    assert target.startswith("/unsubscribe/"), target
    assert client.get(target).status_code == 200  # a confirmation page: no change on GET
    client.post(target)  # the button (and mail programs' one-click POST)
    from placette.models import User
    assert User.get_by_id(lea.id).notification_prefs["sms"] == "off"


def test_the_api_is_in_the_openapi_document(app, client):
    paths = client.get("/api/openapi.json").json["paths"]
    assert "put" in paths["/api/v1/me/phone"]
    assert "post" in paths["/api/v1/me/phone/verify"]
    assert "get" in paths["/api/v1/spaces/{slug}/sms/messages"]
