"""The demo city: its accounts have confirmed numbers with texts on, and each council with the
module has reminders and a meeting moved in its outbox, on the animators' page."""
from __future__ import annotations


def test_demo_accounts_text_and_outboxes_are_filled(app, client, demo_city, sign_in):
    from placette_plugins.sms.models import Message, Phone
    member = demo_city.accounts["member"]
    phone = Phone.get(Phone.user == member.id)
    assert phone.verified_at is not None and phone.stopped_at is None
    from placette.models import User
    assert User.get_by_id(member.id).notification_prefs["sms"] == "immediate"
    spaces = demo_city.spaces_with("sms")
    assert spaces and Message.select().where(Message.status == "outbox").count() > 0
    space = next(s for s in spaces
                 if Message.select().where(Message.space == s.id).exists())
    sign_in(demo_city.accounts["admin"])
    page = client.get(f"/s/{space.slug}/sms/")
    assert page.status_code == 200 and "Rappel" in page.text
