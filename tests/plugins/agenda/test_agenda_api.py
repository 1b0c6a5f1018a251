"""The JSON API: create, read, list, change, cancel, answer; errors are JSON with stable codes;
the endpoints are in the OpenAPI document."""
from __future__ import annotations

import datetime as dt

BASE = "/api/v1/spaces/quartier-nord/agenda/meetings"


def body(local_now, **extra):
    start = (local_now + dt.timedelta(days=5)).replace(hour=18, minute=30)
    data = {"title": "Conseil", "starts_at": start.isoformat(),
            "ends_at": (start + dt.timedelta(hours=2)).isoformat(), "address": "Mairie",
            "capacity": 20}
    data.update(extra)
    return data


def test_create_read_patch_cancel(client, sign_in, council, animator, local_now, events):
    sign_in(animator)
    created = client.post(BASE, json=body(local_now, rrule="FREQ=WEEKLY;COUNT=4"))
    assert created.status_code == 201, created.get_json()
    data = created.get_json()
    assert data["starts_at"].endswith(("+01:00", "+02:00")) and "T18:30:00" in data["starts_at"]
    assert data["timezone"] == "Europe/Paris" and data["reminder_hours"] == [48, 2]
    assert len(data["next_occurrences"]) == 4 and data["spaces"] == ["quartier-nord"]
    meeting_id = data["id"]
    got = client.get(f"{BASE}/{meeting_id}").get_json()
    assert got["uid"] == data["uid"] and got["attendance"]["yes"] == 0
    listed = client.get(BASE).get_json()
    assert [m["id"] for m in listed] == [meeting_id]
    patched = client.patch(f"{BASE}/{meeting_id}", json={"title": "Conseil élargi",
                                                         "room": "Salle B"})
    assert patched.status_code == 200 and patched.get_json()["title"] == "Conseil élargi"
    assert patched.get_json()["sequence"] == 1
    assert events("agenda.meeting.updated")
    cancelled = client.delete(f"{BASE}/{meeting_id}")
    assert cancelled.get_json()["status"] == "cancelled"
    assert client.delete(f"{BASE}/{meeting_id}").status_code == 409
    assert client.patch(f"{BASE}/{meeting_id}", json={"title": "x"}).status_code == 409


def test_bad_input_is_a_clear_json_error_and_changes_nothing(client, sign_in, council,
                                                             animator, local_now):
    from placette_plugins.agenda.models import Meeting
    sign_in(animator)
    cases = [
        (body(local_now, ends_at=(local_now + dt.timedelta(days=4)).isoformat()),
         "end_before_start"),
        (body(local_now, starts_at="1900-03-01T10:00:00", ends_at="1900-03-01T12:00:00"),
         "date_out_of_range"),
        (body(local_now, starts_at="2200-03-01T10:00:00", ends_at="2200-03-01T12:00:00"),
         "date_out_of_range"),
        (body(local_now, rrule="FREQ=MONTHLY;BYDAY=1XX"), "invalid_rrule"),
        (body(local_now, colour="red"), "invalid_body"),
        (body(local_now, capacity=0), "invalid_capacity"),
        (body(local_now, visibility="everyone"), "invalid_body"),
        (body(local_now, timezone="Mars/Olympus"), "invalid_timezone"),
        (body(local_now, map_url="javascript:alert(1)"), "invalid_url"),
        (body(local_now, spaces=["nowhere"]), "invalid_space"),
        (body(local_now, reminder_hours=[1000]), "invalid_reminders"),
    ]
    for data, code in cases:
        response = client.post(BASE, json=data)
        assert 400 <= response.status_code < 500, (code, response.status_code)
        error = response.get_json()["error"]
        assert error["code"] == code, (code, error)
        assert error["message"]
    assert client.post(BASE, data="not json", content_type="application/json"
                       ).status_code == 400
    assert Meeting.select().count() == 0


def test_api_hides_what_one_may_not_see(client, sign_in, make_space, make_user, make_meeting,
                                        council, animator):
    secret = make_space("secret", visibility="private", plugins=["agenda"])
    karim = make_user(member_of=secret, role="animator")
    hidden = make_meeting(secret, karim)
    visible = make_meeting(council, animator)
    stranger = make_user()
    sign_in(stranger)
    for method, path in [("get", "/api/v1/spaces/secret/agenda/meetings"),
                         ("get", f"/api/v1/spaces/secret/agenda/meetings/{hidden.id}"),
                         ("patch", f"/api/v1/spaces/secret/agenda/meetings/{hidden.id}"),
                         ("delete", f"/api/v1/spaces/secret/agenda/meetings/{hidden.id}"),
                         ("get", f"{BASE}/{hidden.id}")]:
        response = getattr(client, method)(path, json={} if method == "patch" else None)
        assert response.status_code == 404, path
        assert response.get_json()["error"]["code"] == "not_found"
    # seen but not theirs to change: 403, nothing changed
    assert client.patch(f"{BASE}/{visible.id}", json={"title": "x"}).status_code == 403
    assert client.delete(f"{BASE}/{visible.id}").status_code == 403
    assert client.post(BASE, json={"title": "x"}).status_code == 422  # body checked first
    from placette_plugins.agenda.models import Meeting
    assert Meeting.get_by_id(visible.id).status == "planned"


def test_anonymous_reads_public_but_cannot_write(client, make_space, make_user, make_meeting,
                                                 local_now):
    square = make_space("place", visibility="public", plugins=["agenda"])
    karim = make_user(member_of=square, role="animator")
    meeting = make_meeting(square, karim)
    assert client.get(f"/api/v1/spaces/place/agenda/meetings/{meeting.id}").status_code == 200
    assert client.post("/api/v1/spaces/place/agenda/meetings",
                       json=body(local_now)).status_code == 401
    assert client.put(f"/api/v1/spaces/place/agenda/meetings/{meeting.id}/rsvp",
                      json={"answer": "yes"}).status_code == 401


def test_endpoints_are_in_the_openapi_document(client):
    from openapi_spec_validator import validate
    document = client.get("/api/openapi.json").get_json()
    validate(document)
    paths = document["paths"]
    base = "/api/v1/spaces/{slug}/agenda/meetings"
    assert set(paths[base]) == {"get", "post"}
    assert set(paths[base + "/{meeting_id}"]) == {"get", "patch", "delete"}
    assert set(paths[base + "/{meeting_id}/rsvp"]) == {"put"}
    schemas = document["components"]["schemas"]
    assert schemas["RsvpIn"]["properties"]["answer"]["enum"] == ["yes", "no", "maybe"]
    assert schemas["MeetingIn"]["additionalProperties"] is False
