"""Issue 18, point 7: one-line fields (titles, names, places) refuse line breaks and other
control characters, in forms and API bodies alike, with a clear message; and a mail subject is
built so that no stored value -- even one written before this rule -- can break it."""
from __future__ import annotations

import datetime as dt

import pytest

BAD_TITLES = ["Conseil\r\nBcc: everyone@example.org", "Conseil\nde quartier", "Con\x0bseil",
              "Conseil\u2028bis"]


@pytest.fixture
def placette_plugins():
    return ["agenda", "documents", "pages"]


@pytest.fixture
def council(make_space):
    return make_space("quartier-nord", visibility="network", plugins=["agenda", "documents",
                                                                      "pages"])


@pytest.fixture
def animator(make_user, council):
    return make_user(member_of=council, role="animator")


def _body(title: str) -> dict:
    start = (dt.datetime.now() + dt.timedelta(days=5)).replace(hour=18, minute=0, second=0,
                                                                microsecond=0)
    return {"title": title, "starts_at": start.isoformat(),
            "ends_at": (start + dt.timedelta(hours=2)).isoformat()}


@pytest.mark.parametrize("title", BAD_TITLES)
def test_api_refuses_a_meeting_title_with_control_characters(client, council, animator,
                                                             sign_in, title):
    from placette_plugins.agenda.models import Meeting
    sign_in(animator)
    response = client.post("/api/v1/spaces/quartier-nord/agenda/meetings", json=_body(title))
    assert response.status_code in (400, 422), response.get_json()
    error = response.get_json()["error"]
    assert error["code"] and "title" in error["message"]
    assert Meeting.select().count() == 0
    created = client.post("/api/v1/spaces/quartier-nord/agenda/meetings",
                          json=_body("Conseil"))
    assert created.status_code == 201
    meeting_id = created.get_json()["id"]
    patched = client.patch(f"/api/v1/spaces/quartier-nord/agenda/meetings/{meeting_id}",
                           json={"room": "Salle\nB"})
    assert patched.status_code in (400, 422)
    assert "room" in patched.get_json()["error"]["message"]


def test_meeting_form_refuses_a_title_on_two_lines(client, council, animator, sign_in):
    from placette_plugins.agenda.models import Meeting
    sign_in(animator)
    start = dt.datetime.now() + dt.timedelta(days=5)
    response = client.post("/s/quartier-nord/agenda/new", data={
        "title": "Conseil\r\nde quartier", "starts_at": start.strftime("%Y-%m-%dT18:00"),
        "ends_at": start.strftime("%Y-%m-%dT20:00"), "repeat": "none",
        "visibility": "space"})
    assert response.status_code in (400, 422)
    assert "one line" in response.get_data(as_text=True)
    assert Meeting.select().count() == 0


def test_other_plugins_and_kernel_one_line_fields_refuse_line_breaks(client, council,
                                                                     animator, sign_in,
                                                                     make_user):
    sign_in(animator)
    folder = client.post("/api/v1/spaces/quartier-nord/documents/folders",
                         json={"name": "Comptes\nrendus"})
    assert folder.status_code in (400, 422), folder.get_json()
    page = client.post("/s/quartier-nord/pages/new", data={
        "title": "Charte\r\nBcc: x", "slug": "charte", "body": "Texte", "visibility": "space"})
    assert page.status_code in (400, 422)
    assert "one line" in page.get_data(as_text=True)
    admin = make_user(member_of=council, role="admin")
    sign_in(admin)
    edited = client.post("/s/quartier-nord/manage/edit", data={
        "name": "Quartier\nNord", "description": "", "kind": "neighbourhood",
        "visibility": "network"})
    assert edited.status_code in (200, 400)
    assert "one line" in edited.get_data(as_text=True)


def test_a_stored_title_with_a_line_break_never_breaks_the_cancellation_mails(
        client, council, animator, sign_in, make_user, outbox):
    """A value stored before the rule (or by a plugin that forgot it): members are still told."""
    from placette_plugins.agenda import rsvp, service
    from placette_plugins.agenda.models import Meeting
    member = make_user(member_of=council, email="membre@example.org", language="en")
    start = (dt.datetime.now() + dt.timedelta(days=5)).replace(minute=0, second=0,
                                                                microsecond=0)
    meeting = service.create_meeting(council, animator, {
        "title": "Conseil", "starts_at": start, "ends_at": start + dt.timedelta(hours=2)})
    rsvp.answer(meeting, member, "yes", None)
    Meeting.update(title="Conseil\r\nBcc: everyone@example.org").where(
        Meeting.id == meeting.id).execute()
    sign_in(animator)
    response = client.delete(f"/api/v1/spaces/quartier-nord/agenda/meetings/{meeting.id}")
    assert response.status_code == 200
    mails = outbox(to="membre@example.org")
    assert mails, "the member was never told"
    subject = mails[-1]["Subject"]
    assert "\n" not in subject and "\r" not in subject and "Conseil" in subject
    assert "everyone@example.org" not in (mails[-1]["Bcc"] or "")


def test_compose_makes_any_subject_one_line(app):
    from placette.kernel import config
    from placette.mail import compose
    message = compose(config(), "a@example.org", "Hello\r\nBcc: x@example.org\x00 there",
                      "body")
    assert message["Subject"] == "Hello Bcc: x@example.org there"
    assert message["Bcc"] is None
