"""The animators' side: the log with status and segments, the monthly count, the budget
(warning at 80 %, stop at 100 %), the API -- and 404 for everyone else; RGPD export and erasure,
bodies erased after the retention period, the demo city."""
from __future__ import annotations

import datetime as dt

import pytest


@pytest.fixture
def meeting(council, animator, make_meeting):
    return make_meeting(council, animator, days=3, title="Conseil de quartier Nord")


def remind_people(meeting, people):
    from placette_plugins.agenda import reminders, rsvp
    for person in people:
        rsvp.answer(meeting, person, "yes")
    return reminders.send_due(meeting.starts_at - dt.timedelta(hours=47))


def test_budget_warns_at_80_percent_and_stops_at_100(app, council, meeting, texting, twilio,
                                                     messages, events, animator):
    from placette.models import Module
    (Module.update(settings={"monthly_budget": 5, "quiet_from": 0, "quiet_until": 0})
     .where((Module.space == council.id) & (Module.plugin == "sms")).execute())
    people = [texting() for _ in range(7)]
    remind_people(meeting, people)
    assert len(twilio.sent) == 5
    statuses = sorted(m.status for m in messages())
    assert statuses.count("blocked") == 2
    assert {m.error_code for m in messages() if m.status == "blocked"} == {"budget"}
    (warning,) = events("sms.budget.warning")
    assert animator.id in warning["recipients"] and warning["data"]["used"] == 4
    (reached,) = events("sms.budget.reached")
    assert animator.id in reached["recipients"]
    assert not any(p.id in reached["recipients"] for p in people)


def test_log_page_for_animators_only(app, client, council, meeting, texting, sign_in, animator,
                                     make_user, messages):
    people = [texting(name=f"Person {i}") for i in range(3)]
    remind_people(meeting, people)
    sign_in(animator)
    page = client.get("/s/quartier-nord/sms/")
    assert page.status_code == 200
    assert "3 texts sent this month, out of a budget of 500." in page.text
    assert "Person 1" in page.text and "handed to the provider" in page.text
    assert "Meeting reminder: Conseil de quartier Nord" in page.text
    sign_in(people[0])
    assert client.get("/s/quartier-nord/sms/").status_code == 404
    sign_in(make_user())
    assert client.get("/s/quartier-nord/sms/").status_code == 404


def test_api_messages_for_animators_only(app, client, council, meeting, texting, sign_in,
                                         animator, make_user, make_space):
    people = [texting() for _ in range(2)]
    remind_people(meeting, people)
    sign_in(animator)
    answer = client.get("/api/v1/spaces/quartier-nord/sms/messages")
    assert answer.status_code == 200
    data = answer.json
    assert data["total"] == 2 and data["used_this_month"] == 2 and data["monthly_budget"] == 500
    first = data["messages"][0]
    assert first["segments"] == 1 and first["encoding"] == "GSM-7" and first["status"] == "queued"
    assert first["created_at"].endswith("+00:00")
    sign_in(people[0])
    assert client.get("/api/v1/spaces/quartier-nord/sms/messages").status_code == 404
    private = make_space("secret", visibility="private", plugins=["sms"])
    sign_in(animator)
    assert client.get("/api/v1/spaces/secret/sms/messages").status_code == 404
    off = make_space("sans-sms", plugins=["agenda"])
    make_user(member_of=off, role="animator")
    assert client.get("/api/v1/spaces/sans-sms/sms/messages").status_code == 404
    del private


def test_verification_codes_are_never_shown_in_the_log(app, client, sign_in, animator,
                                                       council):
    from placette_plugins.sms import service
    from placette_plugins.sms.models import Message
    sign_in(animator)
    client.put("/api/v1/me/phone", json={"phone": "0612345678"})
    code = Message.get(Message.kind == "verification")
    Message.update(space=council.id).where(Message.id == code.id).execute()
    page = client.get("/s/quartier-nord/sms/")
    assert code.body.split()[0] not in page.text
    assert service.masked_body(Message.get_by_id(code.id)) == "(confirmation code)"


def test_rgpd_export_and_erase(app, client, sign_in, texting, meeting, messages):
    lea = texting(number="+33612345678")
    remind_people(meeting, [lea])
    sign_in(lea)
    data = client.get("/me/data.json").json
    mine = data["plugins"]["sms"]
    assert mine["phone"]["number"] == "+33612345678" and mine["texts_wanted"] is True
    assert mine["messages"][0]["event"] == "agenda.meeting.reminder"
    from placette_plugins.sms import rgpd
    from placette_plugins.sms.models import Phone
    rgpd.erase(lea)
    assert Phone.select().count() == 0
    (row,) = messages()
    assert row.number is None and row.body is None and row.user_id is None
    assert row.status == "queued" and row.segments == 1  # counts kept


def test_bodies_are_erased_after_the_retention_period(app, texting, meeting, messages):
    from placette_plugins.sms import retention
    lea = texting()
    remind_people(meeting, [lea])
    assert retention.erase_old_bodies() == 0
    assert retention.erase_old_bodies(dt.datetime.utcnow() + dt.timedelta(days=91)) == 1
    (row,) = messages()
    assert row.body is None and row.status == "queued" and row.segments == 1


def test_the_log_page_costs_the_same_with_more_texts(app, client, sign_in, animator, council,
                                                     count_queries, make_user):
    import placette
    from placette_plugins.sms.models import Message
    sign_in(animator)

    def add(n, start):
        now = placette.utcnow()
        for i in range(start, start + n):
            person = make_user(member_of=council)
            Message.create(space=council.id, user=person.id, number="+33612345678",
                           kind="notification", body=f"text {i}", status="queued",
                           idempotency_key=f"k{i}", month=now.strftime("%Y-%m"))
    add(3, 0)
    client.get("/s/quartier-nord/sms/")  # per-process memos filled once
    few = count_queries(lambda: client.get("/s/quartier-nord/sms/"))
    add(30, 3)
    many = count_queries(lambda: client.get("/s/quartier-nord/sms/"))
    assert many == few


def test_outbox_backend_by_default(app, placette_config):
    from placette_plugins.sms.backends import OutboxBackend
    assert OutboxBackend().send("+33612345678", "x").status == "outbox"


def test_settings_form_of_the_module(app, client, sign_in, make_user, council):
    import placette
    sign_in(make_user(admin=True))
    url = "/s/quartier-nord/manage/modules/sms/settings"
    page = client.get(url)
    assert page.status_code == 200 and "News sent by text" in page.text
    answer = client.post(url, data={"events": "reminder, cancelled", "quiet_from": "22",
                                    "quiet_until": "7", "monthly_budget": "200",
                                    "plain_letters": "y"})
    assert answer.status_code == 302, answer.text
    settings = placette.settings_of(council, "sms")
    assert settings.events == ["reminder", "cancelled"] and settings.monthly_budget == 200
    refused = client.post(url, data={"events": "reminder, spam", "quiet_from": "22",
                                     "quiet_until": "7", "monthly_budget": "-1"})
    assert refused.status_code in (200, 422) and placette.settings_of(
        council, "sms").monthly_budget == 200


def test_a_cancelled_meeting_is_texted_to_members_unless_the_space_chose_otherwise(
        app, council, animator, make_meeting, texting, twilio):
    from placette.models import Module
    from placette_plugins.agenda import service
    lea = texting(number="+33612345678")
    first = make_meeting(council, animator, days=3, title="Conseil de quartier Nord")
    service.cancel_meeting(first, animator)
    (sent,) = twilio.sent
    assert sent["To"] == "+33612345678" and "Conseil de quartier Nord" in sent["Body"]
    assert "cancelled" in sent["Body"]
    (Module.update(settings={"events": ["reminder"], "quiet_from": 0, "quiet_until": 0})
     .where((Module.space == council.id) & (Module.plugin == "sms")).execute())
    second = make_meeting(council, animator, days=4, title="Autre")
    service.cancel_meeting(second, animator)
    assert len(twilio.calls) == 1
    del lea


def test_the_budget_is_never_overshot_by_concurrent_senders(app, council, texting):
    """Eight threads, one connection each, queue texts at the same instant against a budget of
    5: exactly 5 are accepted."""
    import threading

    import placette
    from placette.db import database
    from placette.models import Module
    from placette_plugins.sms import sending
    from placette_plugins.sms.models import Message
    (Module.update(settings={"monthly_budget": 5, "quiet_from": 0, "quiet_until": 0})
     .where((Module.space == council.id) & (Module.plugin == "sms")).execute())
    people = [texting() for _ in range(8)]
    barrier, errors = threading.Barrier(8), []

    def run(person):
        with app.app_context():
            database.connect(reuse_if_open=True)
            try:
                barrier.wait()
                for attempt in range(20):
                    try:
                        with placette.atomic():
                            sending.queue_text(key=f"race:{person.id}", number="+33612345678",
                                               body="x", kind="notification",
                                               user_id=person.id, space=council)
                        break
                    except Exception as exc:  # SQLite: "locked" past the busy timeout
                        if "locked" not in str(exc):
                            raise
            except Exception as exc:
                errors.append(repr(exc))
            finally:
                database.close()

    threads = [threading.Thread(target=run, args=(p,)) for p in people]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors
    refused = [m.error_code for m in Message.select()]
    assert len(refused) == 8
    assert refused.count("budget") == 3
    assert sending.used_this_month(council.id) == 5


def test_log_pages_older_and_newer_without_counting_the_log(app, client, council, sign_in,
                                                           animator):
    """Fifty texts a page, newest first; an "Older texts" link while older ones remain, a
    "Newer texts" link back; the last six months' counts only."""
    from placette_plugins.sms.models import Message
    import placette
    now = placette.utcnow()
    for i in range(51):
        at = now - dt.timedelta(minutes=i)
        Message.create(space=council.id, number=f"+336100000{i:02d}", kind="notification",
                       body=f"Texte numéro {i} ;", segments=1, encoding="GSM-7",
                       status="delivered", idempotency_key=f"t:{i}",
                       month=at.strftime("%Y-%m"), created_at=at, updated_at=at)
    old = now - dt.timedelta(days=400)
    Message.create(space=council.id, number="+33610009999", kind="notification",
                   body="Texte ancien ;", segments=1, encoding="GSM-7", status="delivered",
                   idempotency_key="t:old", month=old.strftime("%Y-%m"), created_at=old,
                   updated_at=old)
    sign_in(animator)
    first = client.get("/s/quartier-nord/sms/").text
    assert "Texte numéro 0 ;" in first and "Texte numéro 49 ;" in first
    assert "Texte numéro 50 ;" not in first and "Older texts" in first
    assert "Newer texts" not in first
    assert old.strftime("%Y-%m") not in first  # more than six months ago: not in the counts
    assert now.strftime("%Y-%m") in first
    second = client.get("/s/quartier-nord/sms/?page=2").text
    assert "Texte numéro 50 ;" in second and "Texte ancien ;" in second
    assert "Texte numéro 49 ;" not in second
    assert "Newer texts" in second and "Older texts" not in second


def test_a_finished_months_counts_are_kept_once_its_texts_are_settled(app, client, council,
                                                                      sign_in, animator):
    """A finished month is counted once, then read from what was kept; a month with a text
    still waiting (it may yet be blocked) is counted again at every view until it is settled.
    (Two and three months ago: last month is not settled on the first day of this one.)"""
    import placette
    from placette_plugins.sms import sending
    from placette_plugins.sms.models import Message, MonthCount
    now = placette.utcnow()
    index = now.year * 12 + now.month - 1
    last = f"{(index - 2) // 12:04d}-{(index - 2) % 12 + 1:02d}"
    before = f"{(index - 3) // 12:04d}-{(index - 3) % 12 + 1:02d}"
    at = now - dt.timedelta(days=80)

    def text(n, month, status, segments=1):
        Message.create(space=council.id, number=f"+3361000{n:04d}", kind="notification",
                       body=f"Texte {n}", segments=segments, status=status,
                       idempotency_key=f"m:{n}", month=month, created_at=at, updated_at=at)

    text(1, last, "delivered", 2)
    text(2, last, "delivered")
    text(3, last, "blocked")                 # never left: not counted
    text(4, before, "delivered")
    text(5, before, "pending")               # may still be blocked: the month stays open
    text(6, now.strftime("%Y-%m"), "sent")
    sign_in(animator)
    expected = [(now.strftime("%Y-%m"), 1, 1), (last, 2, 3), (before, 2, 2)]
    assert sending.monthly_counts(council.id) == expected
    kept = {m.month: (m.texts, m.segments) for m in MonthCount.select()}
    assert kept == {last: (2, 3)}
    page = client.get("/s/quartier-nord/sms/").text
    assert f"<td>{last}</td><td>2</td><td>3</td>" in page
    assert "<td>a former member</td>" in page    # texts of accounts since erased
    Message.update(user=animator.id).where(Message.idempotency_key == "m:6").execute()
    page = client.get("/s/quartier-nord/sms/").text
    assert f"<td>{animator.display_name}</td>" in page
    # The waiting text is blocked when its turn comes: the open month says so.
    Message.update(status="blocked").where(Message.idempotency_key == "m:5").execute()
    assert sending.monthly_counts(council.id) == [
        (now.strftime("%Y-%m"), 1, 1), (last, 2, 3), (before, 1, 1)]
    assert {m.month for m in MonthCount.select()} == {last, before}
    assert sending.monthly_counts(council.id) == [
        (now.strftime("%Y-%m"), 1, 1), (last, 2, 3), (before, 1, 1)]
