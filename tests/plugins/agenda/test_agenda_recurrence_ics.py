"""Recurring meetings with exceptions, and the iCalendar feeds -- read back with vobject, an
iCalendar parser independent of the library that writes them."""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import vobject

PARIS = ZoneInfo("Europe/Paris")


def first_tuesday(year, month):
    day = dt.datetime(year, month, 1, 18, 0)
    return day + dt.timedelta(days=(1 - day.weekday()) % 7)


@pytest.fixture
def series(council, animator, make_meeting, local_now):
    """"First Tuesday of the month at 18:00", ten times, from next month on."""
    year, month = local_now.year + (local_now.month == 12), local_now.month % 12 + 1
    start = first_tuesday(year, month)
    return make_meeting(council, animator, title="Conseil mensuel", starts_at=start,
                        ends_at=start + dt.timedelta(hours=2),
                        rrule="FREQ=MONTHLY;BYDAY=1TU;COUNT=10")


def parse(text: str):
    return vobject.readOne(text)


def expand(calendar, limit=50):
    """Dates a calendar app would show, expanded by vobject/dateutil (RRULE + EXDATE)."""
    found = []
    for event in calendar.vevent_list:
        if hasattr(event, "recurrence_id"):
            continue
        if hasattr(event, "rrule"):
            found += list(event.getrruleset())[:limit]
        else:
            found.append(event.dtstart.value)
    return found


def test_series_keeps_wall_clock_time_across_daylight_saving(series):
    from placette_plugins.agenda.models import MeetingOccurrence
    rows = list(MeetingOccurrence.select().where(MeetingOccurrence.meeting == series.id)
                .order_by(MeetingOccurrence.starts_at))
    assert len(rows) == 10
    for row in rows:
        local = row.starts_at.replace(tzinfo=dt.UTC).astimezone(PARIS)
        assert (local.hour, local.minute, local.weekday()) == (18, 0, 1)
        assert local.day <= 7


def test_one_date_moved_one_cancelled_others_unchanged(client, sign_in, series, animator,
                                                       events, council, make_user):
    from placette_plugins.agenda import occurrences
    member = make_user(member_of=council)
    dates = occurrences.upcoming_of(series, 10)
    moved_key, cancelled_key = dates[1].key, dates[2].key
    sign_in(animator)
    new_start = (dates[1].starts_at.replace(tzinfo=dt.UTC).astimezone(PARIS)
                 + dt.timedelta(days=2)).replace(tzinfo=None, hour=19)
    response = client.post(f"/s/quartier-nord/agenda/{series.id}/dates/{moved_key}", data={
        "action": "move", "starts_at": new_start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (new_start + dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")})
    assert response.status_code == 302
    client.post(f"/s/quartier-nord/agenda/{series.id}/dates/{cancelled_key}",
                data={"action": "cancel"})
    after = {o.key: o for o in occurrences.upcoming_of(series, 10)}
    assert after[moved_key].status == "moved"
    assert after[moved_key].starts_at.replace(tzinfo=dt.UTC).astimezone(PARIS).hour == 19
    assert after[cancelled_key].status == "cancelled"
    assert after[dates[0].key].status == "planned"
    assert len(events("agenda.meeting.moved")) == 1
    assert member.id in events("agenda.meeting.cancelled")[0].recipients
    page = client.get(f"/s/quartier-nord/agenda/{series.id}?occurrence={cancelled_key}")
    assert "This meeting is cancelled" in page.get_data(as_text=True) or \
        "Cette réunion est annulée" in page.get_data(as_text=True)
    # a date that is not in the series is 404
    assert client.get(f"/s/quartier-nord/agenda/{series.id}?occurrence=20300101T000000Z"
                      ).status_code == 404
    # the .ics says the same, read by an independent parser
    cal = parse(client.get(f"/s/quartier-nord/agenda/{series.id}.ics").get_data(as_text=True))
    masters = [e for e in cal.vevent_list if not hasattr(e, "recurrence_id")]
    overrides = [e for e in cal.vevent_list if hasattr(e, "recurrence_id")]
    assert len(masters) == 1 and len(overrides) == 1
    shown = expand(cal)
    assert len(shown) == 9  # ten dates, one EXDATE
    assert all(d.hour == 18 for d in shown)
    assert overrides[0].dtstart.value.hour == 19
    assert overrides[0].uid.value == masters[0].uid.value
    assert int(masters[0].sequence.value) == 2


def test_ics_of_a_meeting_uid_stable_sequence_bumped_status_cancelled(client, sign_in, council,
                                                                       animator, make_meeting,
                                                                       local_now):
    meeting = make_meeting(council, animator, title="Plénière", address="Mairie")
    sign_in(animator)
    first = parse(client.get(f"/s/quartier-nord/agenda/{meeting.id}.ics").get_data(
        as_text=True))
    event = first.vevent
    assert event.summary.value == "Plénière" and event.location.value == "Mairie"
    assert event.status.value == "CONFIRMED" and int(event.sequence.value) == 0
    assert event.dtstart.value.tzinfo is not None
    start = (local_now + dt.timedelta(days=12)).replace(hour=20, minute=0)
    client.patch(f"/api/v1/spaces/quartier-nord/agenda/meetings/{meeting.id}",
                 json={"starts_at": start.isoformat(),
                       "ends_at": (start + dt.timedelta(hours=1)).isoformat()})
    second = parse(client.get(f"/s/quartier-nord/agenda/{meeting.id}.ics").get_data(
        as_text=True)).vevent
    assert second.uid.value == event.uid.value
    assert int(second.sequence.value) == 1
    assert second.dtstart.value.astimezone(PARIS).replace(tzinfo=None) == start
    client.delete(f"/api/v1/spaces/quartier-nord/agenda/meetings/{meeting.id}")
    third = parse(client.get(f"/s/quartier-nord/agenda/{meeting.id}.ics").get_data(
        as_text=True)).vevent
    assert third.status.value == "CANCELLED" and int(third.sequence.value) == 2


def test_public_space_feed_for_anyone(client, make_space, make_user, make_meeting):
    square = make_space("place", visibility="public", plugins=["agenda"])
    karim = make_user(member_of=square, role="animator")
    make_meeting(square, karim, title="Ouverte à tous")
    make_meeting(square, karim, title="Réservée aux membres", visibility="members")
    response = client.get("/s/place/agenda/feed.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    cal = parse(response.get_data(as_text=True))
    assert [e.summary.value for e in cal.vevent_list] == ["Ouverte à tous"]


def test_personal_feeds_need_a_token_and_honour_rights_at_fetch_time(client, sign_in,
                                                                      make_space, make_user,
                                                                      make_meeting, app):
    from placette.spaces import remove_member
    group = make_space("groupe-prive", visibility="private", plugins=["agenda"])
    karim = make_user(member_of=group, role="animator")
    lea = make_user(member_of=group)
    make_meeting(group, karim, title="Rédaction de l'avis")
    sign_in(lea)
    page = client.post("/agenda/calendar", data={"action": "create"})
    html = page.get_data(as_text=True)
    import re
    my_url = re.search(r'value="http://localhost(/agenda/feeds/[^"]+/my\.ics)"', html).group(1)
    space_url = re.search(r'value="http://localhost(/agenda/feeds/[^"]+/s/groupe-prive\.ics)"',
                          html).group(1)
    client.get("/")  # the feed is fetched by a calendar app: no session
    with client.session_transaction() as session:
        session.clear()
    mine = parse(client.get(my_url).get_data(as_text=True))
    assert [e.summary.value for e in mine.vevent_list] == ["Rédaction de l'avis"]
    assert client.get(space_url).status_code == 200
    assert client.get(space_url.replace("/feeds/cal_", "/feeds/cal_x")).status_code == 404
    assert client.get("/s/groupe-prive/agenda/feed.ics").status_code == 404
    remove_member(group, lea)
    assert client.get(space_url).status_code == 404
    emptied = parse(client.get(my_url).get_data(as_text=True))
    assert not getattr(emptied, "vevent_list", [])
    sign_in(lea)
    client.post("/agenda/calendar", data={"action": "revoke"})
    with client.session_transaction() as session:
        session.clear()
    assert client.get(my_url).status_code == 404


def test_series_feed_parses_with_rrule_and_matches_the_agenda(client, sign_in, series,
                                                              animator):
    from placette_plugins.agenda import occurrences
    sign_in(animator)
    cal = parse(client.get("/s/quartier-nord/agenda/feed.ics").get_data(as_text=True))
    shown = sorted(d.astimezone(dt.UTC).replace(tzinfo=None) for d in expand(cal))
    stored = sorted(o.starts_at for o in occurrences.upcoming_of(series, 20))
    assert shown == stored


@pytest.mark.parametrize("rule,code", [
    ("FREQ=MINUTELY", "invalid_rrule"), ("FREQ=MONTHLY;BYDAY=9ZZ", "invalid_rrule"),
    ("FREQ=WEEKLY;COUNT=5000", "invalid_rrule"), ("FREQ=WEEKLY;UNTIL=22000101", "date_out_of_range"),
    ("BYDAY=MO", "invalid_rrule"), ("FREQ=WEEKLY;COLOR=RED", "invalid_rrule"),
    ("FREQ=WEEKLY;COUNT=3;UNTIL=20301231", "invalid_rrule"),
])
def test_malformed_rules_are_refused_through_the_api(client, sign_in, council, animator,
                                                     local_now, rule, code):
    from placette_plugins.agenda.models import Meeting
    sign_in(animator)
    start = local_now + dt.timedelta(days=3)
    response = client.post("/api/v1/spaces/quartier-nord/agenda/meetings", json={
        "title": "x", "starts_at": start.isoformat(),
        "ends_at": (start + dt.timedelta(hours=1)).isoformat(), "rrule": rule})
    assert response.status_code == 422, response.get_json()
    assert response.get_json()["error"]["code"] == code
    assert Meeting.select().count() == 0


def test_endless_series_is_written_two_years_ahead_and_extended(app, council, animator,
                                                                make_meeting, local_now):
    from placette_plugins.agenda import occurrences
    from placette_plugins.agenda.models import Meeting, MeetingOccurrence
    start = (local_now + dt.timedelta(days=1)).replace(hour=9, minute=0)
    weekly = make_meeting(council, animator, starts_at=start,
                          ends_at=start + dt.timedelta(hours=1), rrule="FREQ=WEEKLY")
    rows = MeetingOccurrence.select().where(MeetingOccurrence.meeting == weekly.id)
    assert 103 <= rows.count() <= 106  # two years of weekly dates
    later = weekly.materialized_until + dt.timedelta(days=30)
    assert occurrences.extend_series(later - occurrences.HORIZON) == 1
    assert rows.count() > 106
    assert Meeting.get_by_id(weekly.id).materialized_until > weekly.materialized_until


def test_space_home_shows_the_next_meetings(client, sign_in, council, animator, make_meeting):
    make_meeting(council, animator, title="Bientôt au conseil", days=1)
    sign_in(animator)
    assert "Bientôt au conseil" in client.get("/s/quartier-nord").get_data(as_text=True)


def test_a_last_date_moved_past_the_series_end_stays_listed(client, sign_in, council, animator,
                                                           make_meeting, local_now):
    """A weekly series whose three dates are over, its last one moved to next week: the space
    home, the space agenda and the API still list that date (lists skip the meetings that
    ended by ``last_end``, which must cover a moved date)."""
    from placette_plugins.agenda import occurrences, service
    start = (local_now - dt.timedelta(days=15)).replace(hour=18, minute=0)
    series = make_meeting(council, animator, title="Atelier déplacé", starts_at=start,
                          ends_at=start + dt.timedelta(hours=2), rrule="FREQ=WEEKLY;COUNT=3")
    last = occurrences.find(series, None)  # no date left: the last one
    later = (local_now + dt.timedelta(days=6)).replace(hour=18, minute=0)
    service.change_occurrence(series, last.key, animator, starts_at=later,
                              ends_at=later + dt.timedelta(hours=2))
    sign_in(animator)
    for page in ("/s/quartier-nord", "/s/quartier-nord/agenda/"):
        assert "Atelier déplacé" in client.get(page).get_data(as_text=True), page
    listed = client.get("/api/v1/spaces/quartier-nord/agenda/meetings?when=upcoming").get_json()
    assert "Atelier déplacé" in [m["title"] for m in listed], listed


def test_a_feed_is_never_served_from_stale_event_text(client, make_space, make_user,
                                                      make_meeting):
    """Feeds reuse each meeting's serialised VEVENT: any change to what it is written from --
    even one that bumps neither SEQUENCE nor the modification time -- is a new text."""
    from placette_plugins.agenda.models import Meeting
    square = make_space("place", visibility="public", plugins=["agenda"])
    karim = make_user(member_of=square, role="animator")
    meeting = make_meeting(square, karim, title="Première version", room="Salle A")
    summaries = lambda: [(e.summary.value, e.location.value) for e in parse(  # noqa: E731
        client.get("/s/place/agenda/feed.ics").get_data(as_text=True)).vevent_list]
    assert summaries() == [("Première version", "Salle A")]
    Meeting.update(title="Seconde version", room="Salle B").where(
        Meeting.id == meeting.id).execute()
    assert summaries() == [("Seconde version", "Salle B")]
