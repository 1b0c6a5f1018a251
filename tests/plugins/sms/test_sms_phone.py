"""Numbers and their confirmation, through the API and the profile page: French numbers typed
as people type them, premium and short numbers refused, a code of 6 digits for 10 minutes and
5 tries, rate limited per person and per number; bad input is a clear 4xx and sends nothing."""
from __future__ import annotations

import datetime as dt

import pytest


@pytest.fixture
def lea(make_user, council, sign_in):
    person = make_user(member_of=council, name="Léa")
    sign_in(person)
    return person


def code_sent(messages):
    rows = messages(kind="verification")
    return rows[-1].body.split()[0] if rows else None


def test_normalise_french_numbers(app):
    from placette_plugins.sms import phones
    assert phones.normalise("06 12 34 56 78") == "+33612345678"
    assert phones.normalise("06.12.34.56.78") == "+33612345678"
    assert phones.normalise("+33 7 81 23 45 67") == "+33781234567"
    assert phones.normalise("0033 6 12 34 56 78") == "+33612345678"
    assert phones.display("+33612345678") == "06 12 34 56 78"


@pytest.mark.parametrize("raw,code", [
    ("pas un numéro", "invalid_phone"), ("12", "invalid_phone"), ("06 12", "invalid_phone"),
    ("08 99 23 45 67", "not_mobile"),  # premium rate
    ("3949", "invalid_phone"),  # short number
    ("01 42 34 56 78", "not_mobile"),  # landline
    ("+33 6" + "1" * 40, "invalid_phone")])
def test_bad_numbers_are_refused_and_nothing_is_sent(app, client, lea, raw, code, twilio,
                                                     messages):
    answer = client.put("/api/v1/me/phone", json={"phone": raw})
    assert answer.status_code == 422, answer.json
    assert answer.json["error"]["code"] in (code, "invalid_body")
    assert messages() == [] and twilio.calls == []


def test_api_number_then_code_confirms_and_switches_texts_on(app, client, lea, twilio,
                                                             messages):
    answer = client.put("/api/v1/me/phone", json={"phone": "06 12 34 56 78"})
    assert answer.status_code == 202
    assert answer.json == {"phone": "+33612345678", "verified": False, "stopped": False,
                           "texts_wanted": False}
    (sent,) = twilio.sent
    assert sent["To"] == "+33612345678" and "confirmation code" in sent["Body"]
    code = sent["Body"].split()[0]
    assert len(code) == 6 and code.isdigit()
    from placette_plugins.sms.models import Code
    assert code not in Code.get().code_hash  # hashed
    answer = client.post("/api/v1/me/phone/verify", json={"code": code})
    assert answer.status_code == 200
    assert answer.json == {"phone": "+33612345678", "verified": True, "stopped": False,
                           "texts_wanted": True}
    # a code reused
    again = client.post("/api/v1/me/phone/verify", json={"code": code})
    assert again.status_code == 409 and again.json["error"]["code"] == "code_used"


def test_five_wrong_codes_then_even_the_right_one_fails(app, client, lea, twilio):
    client.put("/api/v1/me/phone", json={"phone": "0612345678"})
    code = twilio.sent[0]["Body"].split()[0]
    wrong = "000000" if code != "000000" else "111111"
    for left in (4, 3, 2, 1, 0):
        answer = client.post("/api/v1/me/phone/verify", json={"code": wrong})
        assert answer.status_code == 422 and answer.json["error"]["code"] == "wrong_code"
    answer = client.post("/api/v1/me/phone/verify", json={"code": code})
    assert answer.status_code == 429 and answer.json["error"]["code"] == "too_many_tries"


def test_an_expired_code_is_refused(app, client, lea, twilio):
    from placette_plugins.sms.models import Code
    client.put("/api/v1/me/phone", json={"phone": "0612345678"})
    code = twilio.sent[0]["Body"].split()[0]
    Code.update(expires_at=dt.datetime(2020, 1, 1)).execute()
    answer = client.post("/api/v1/me/phone/verify", json={"code": code})
    assert answer.status_code == 410 and answer.json["error"]["code"] == "code_expired"


def test_codes_are_rate_limited_per_person_and_per_number(app, client, lea, twilio, make_user,
                                                         council, sign_in):
    for _ in range(3):
        assert client.put("/api/v1/me/phone", json={"phone": "0612345678"}).status_code == 202
    answer = client.put("/api/v1/me/phone", json={"phone": "0612345679"})
    assert answer.status_code == 429 and answer.json["error"]["code"] == "rate_limited"
    assert len(twilio.sent) == 3
    # other people asking for the same number: 5 a day at most, whoever asks
    for index in range(3):
        sign_in(make_user(member_of=council))
        status = client.put("/api/v1/me/phone", json={"phone": "0612345678"}).status_code
        assert status == (202 if index < 2 else 429)
    assert len(twilio.sent) == 5


def test_a_number_confirmed_by_someone_else_is_refused(app, client, lea, texting):
    texting(number="+33612345678")
    answer = client.put("/api/v1/me/phone", json={"phone": "06 12 34 56 78"})
    assert answer.status_code == 409 and answer.json["error"]["code"] == "phone_taken"


def test_api_needs_a_session_and_a_json_object(app, client, sign_out):
    sign_out()
    assert client.put("/api/v1/me/phone", json={"phone": "0612345678"}).status_code == 401
    assert client.post("/api/v1/me/phone/verify", json={"code": "123456"}).status_code == 401


def test_api_bad_bodies(app, client, lea, twilio):
    assert client.put("/api/v1/me/phone", json={"phone": "0612345678", "x": 1}).status_code == 422
    assert client.put("/api/v1/me/phone", data="{", content_type="application/json"
                      ).status_code == 400
    assert client.post("/api/v1/me/phone/verify", json={"code": "123456"}).status_code == 409
    assert twilio.calls == []


def test_profile_page_without_javascript(app, client, lea, twilio):
    page = client.get("/me/sms")
    assert page.status_code == 200 and "Mobile phone number" in page.text
    refused = client.post("/me/sms/phone", data={"phone": "08 99 23 45 67"})
    assert refused.status_code == 422
    assert "mobile numbers only" in refused.text and "08 99 23 45 67" in refused.text
    answer = client.post("/me/sms/phone", data={"phone": "06 12 34 56 78"})
    assert answer.status_code == 302
    page = client.get("/me/sms")
    assert "06 12 34 56 78" in page.text and "not confirmed yet" in page.text
    wrong = client.post("/me/sms/verify", data={"code": "12"})
    assert wrong.status_code == 422 and "Wrong code" in wrong.text
    code = twilio.sent[0]["Body"].split()[0]
    assert client.post("/me/sms/verify", data={"code": code}).status_code == 302
    page = client.get("/me/sms")
    assert "confirmed" in page.text and 'name="wanted"' in page.text
    client.post("/me/sms/consent", data={})
    from placette.models import User
    assert User.get_by_id(lea.id).notification_prefs["sms"] == "off"
    profile = client.get("/me/")
    assert "My number and texts" in profile.text
    client.post("/me/sms/remove")
    from placette_plugins.sms.models import Phone
    assert Phone.select().count() == 0


def test_profile_pages_need_a_session(app, client):
    assert client.get("/me/sms").status_code in (302, 401)
    assert client.post("/me/sms/phone", data={"phone": "0612345678"}).status_code in (302, 401)


def test_a_number_from_the_csv_import_is_offered_but_unverified(app, client, make_user,
                                                                council, sign_in):
    from placette_plugins.sms.channel import SmsChannel
    imported = make_user(member_of=council, phone="+33612345678")
    sign_in(imported)
    page = client.get("/me/sms")
    assert 'value="06 12 34 56 78"' in page.text and "No number yet." in page.text
    assert SmsChannel().available_for(imported) is False  # nothing goes there unconfirmed
