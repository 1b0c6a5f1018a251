"""Behind nginx (``[web] proxies = 1``): Twilio signs the public https URL; the app, reached on
127.0.0.1:8000, checks against the scheme and host the proxy forwarded (Werkzeug's ProxyFix),
not its own address."""
from __future__ import annotations

import pytest
from twilio.request_validator import RequestValidator

from sms_twilio_stub import ACCOUNT, TOKEN

PUBLIC = "https://participation.ville.example/sms/twilio/inbound"
FORWARDED = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "participation.ville.example",
             "X-Forwarded-For": "203.0.113.9"}


@pytest.fixture
def placette_settings(twilio):
    return {"base_url": "https://participation.ville.example", "web": {"proxies": 1},
            "sms": {"backend": "twilio", "account_sid": ACCOUNT, "auth_token": TOKEN,
                    "from_number": "+33757000000", "api_base": twilio.url}}


def post(client, url_signed, headers):
    form = {"MessageSid": "SM" + "a" * 32, "From": "+33612345678", "Body": "Bonjour"}
    sig = RequestValidator(TOKEN).compute_signature(url_signed, form)
    return client.post("/sms/twilio/inbound", data=form, base_url="http://127.0.0.1:8000",
                       headers={"X-Twilio-Signature": sig, **headers})


def test_the_public_url_signed_by_twilio_is_accepted_behind_the_proxy(app, client):
    assert post(client, PUBLIC, FORWARDED).status_code == 200


def test_a_signature_of_the_internal_address_is_refused(app, client):
    assert post(client, "http://127.0.0.1:8000/sms/twilio/inbound", FORWARDED).status_code == 403


def test_a_signature_for_another_path_is_refused(app, client):
    assert post(client, "https://participation.ville.example/sms/twilio/status",
                FORWARDED).status_code == 403
