"""The agenda's pages as people use them: publish, list, month grid, meeting page, city agenda,
dashboard -- and 404 for whoever may not see."""
from __future__ import annotations

import datetime as dt
import re


def test_animator_publishes_a_meeting_with_the_form(client, sign_in, council, animator,
                                                     local_now, events):
    sign_in(animator)
    page = client.get("/s/quartier-nord/agenda/new")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert 'for="title"' in text and 'for="starts_at"' in text
    start = (local_now + dt.timedelta(days=10)).replace(hour=18, minute=30)
    response = client.post("/s/quartier-nord/agenda/new", data={
        "title": "Conseil de novembre", "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "repeat": "none", "description": "**Ordre du jour** <script>alert(1)</script>",
        "address": "1 place de la Mairie", "room": "Salle 2", "capacity": "30",
        "visibility": "space", "reminder_hours": "48, 2"})
    assert response.status_code == 302
    meeting_page = client.get(response.headers["Location"])
    html = meeting_page.get_data(as_text=True)
    assert "Conseil de novembre" in html
    assert "<strong>Ordre du jour</strong>" in html and "<script>alert" not in html
    assert "18:30" in html  # shown in the city's time, as typed
    assert "Salle 2, 1 place de la Mairie" in html
    assert [e.name for e in events()] == ["agenda.meeting.created"]
    listing = client.get("/s/quartier-nord/agenda/").get_data(as_text=True)
    assert "Conseil de novembre" in listing


def test_bad_form_input_keeps_what_was_typed_and_saves_nothing(client, sign_in, council,
                                                               animator, local_now):
    from placette_plugins.agenda.models import Meeting
    animator.language = "en"  # messages checked in English (French: see the catalogue test)
    animator.save()
    sign_in(animator)
    start = (local_now + dt.timedelta(days=3)).replace(hour=18, minute=0)
    cases = [
        ({"ends_at": (start - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")},
         "must end after it starts"),
        ({"starts_at": "1900-01-01T18:00", "ends_at": "1900-01-01T20:00"}, "between 2000"),
        ({"starts_at": "2200-01-01T18:00", "ends_at": "2200-01-01T20:00"}, "between 2000"),
        ({"repeat": "custom", "rrule": "FREQ=SOMETIMES;BYDAY=XX"}, "recurrence rule"),
        ({"repeat": "custom", "rrule": "this is not a rule"}, "recurrence rule"),
        ({"reminder_hours": "two days"}, "hours"),
    ]
    for change, message in cases:
        data = {"title": "Typed title kept", "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
                "ends_at": (start + dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
                "repeat": "none", "visibility": "space", "reminder_hours": "48, 2",
                "description": "Typed description kept"}
        data.update(change)
        response = client.post("/s/quartier-nord/agenda/new", data=data)
        html = response.get_data(as_text=True)
        assert response.status_code == 422, change
        assert message in html, (change, html[html.find('class="error"'):][:400])
        assert 'value="Typed title kept"' in html and "Typed description kept" in html
    assert Meeting.select().count() == 0


def test_member_cannot_publish_unless_the_space_allows_it(client, sign_in, council, make_user,
                                                          app):
    from placette.modules import set_module
    member = make_user(member_of=council)
    sign_in(member)
    assert client.get("/s/quartier-nord/agenda/new").status_code == 403
    page = client.get("/s/quartier-nord/agenda/").get_data(as_text=True)
    assert "/agenda/new" not in page
    set_module(council, "agenda", True, {"who_creates": "members", "rsvp_enabled": True,
                                         "reminder_hours": [24], "default_visibility": "space"})
    assert client.get("/s/quartier-nord/agenda/new").status_code == 200


def test_private_space_agenda_and_meetings_are_404_for_outsiders(client, sign_in, make_space,
                                                                 make_user, make_meeting):
    secret = make_space("avis-budget", visibility="private", plugins=["agenda"])
    animator = make_user(member_of=secret, role="animator")
    meeting = make_meeting(secret, animator, title="Réunion secrète")
    outsider = make_user()
    paths = ["/s/avis-budget/agenda/", f"/s/avis-budget/agenda/{meeting.id}",
             f"/s/avis-budget/agenda/{meeting.id}.ics", "/s/avis-budget/agenda/feed.ics",
             f"/s/avis-budget/agenda/{meeting.id}/attendees"]
    for who in (None, outsider):
        if who:
            sign_in(who)
        for path in paths:
            assert client.get(path).status_code in (404, 302), path
        assert "Réunion secrète" not in client.get("/agenda/").get_data(as_text=True)
    sign_in(animator)
    assert client.get(f"/s/avis-budget/agenda/{meeting.id}").status_code == 200
    assert "Réunion secrète" in client.get("/agenda/").get_data(as_text=True)


def test_narrower_visibility_hides_a_meeting_from_members(client, sign_in, council, animator,
                                                          make_user, make_meeting):
    staff_only = make_meeting(council, animator, title="Préparation animateurs",
                              visibility="animators")
    member = make_user(member_of=council)
    sign_in(member)
    assert client.get(f"/s/quartier-nord/agenda/{staff_only.id}").status_code == 404
    assert "Préparation animateurs" not in client.get(
        "/s/quartier-nord/agenda/").get_data(as_text=True)
    sign_in(animator)
    assert client.get(f"/s/quartier-nord/agenda/{staff_only.id}").status_code == 200


def test_agenda_off_in_a_space_means_gone(client, sign_in, council, animator, make_meeting,
                                          app):
    from placette.modules import set_module
    meeting = make_meeting(council, animator, title="Réunion disparue")
    sign_in(animator)
    set_module(council, "agenda", False)
    assert client.get("/s/quartier-nord/agenda/").status_code == 404
    assert client.get(f"/s/quartier-nord/agenda/{meeting.id}").status_code == 404
    assert "Réunion disparue" not in client.get("/agenda/").get_data(as_text=True)
    assert "Réunion disparue" not in client.get("/").get_data(as_text=True)


def test_month_grid_is_a_real_table(client, sign_in, council, animator, make_meeting,
                                    local_now):
    start = local_now.replace(day=12, hour=18, minute=0)
    make_meeting(council, animator, title="Réunion du 12", starts_at=start,
                 ends_at=start + dt.timedelta(hours=2))
    sign_in(animator)
    html = client.get(f"/s/quartier-nord/agenda/?view=month&month={start:%Y-%m}").get_data(
        as_text=True)
    assert "<caption>" in html and html.count('scope="col"') == 7
    cell = re.search(r"<td[^>]*>\s*<span class=\"day-number\">12<.*?</td>", html, re.S)
    assert cell and "Réunion du 12" in cell.group(0)
    assert "18:00" in cell.group(0)
    assert client.get("/s/quartier-nord/agenda/?view=month&month=garbage").status_code == 200


def test_joint_meeting_shows_in_both_councils(client, sign_in, make_space, make_user,
                                              make_meeting):
    nord = make_space("nord", plugins=["agenda"])
    sud = make_space("sud", visibility="members", plugins=["agenda"])
    karim = make_user(member_of=[nord, sud], role="animator")
    joint = make_meeting(nord, karim, title="Réunion commune", spaces=["sud"])
    member_of_sud_only = make_user(member_of=sud)
    sign_in(member_of_sud_only)
    assert "Réunion commune" in client.get("/s/sud/agenda/").get_data(as_text=True)
    assert client.get(f"/s/sud/agenda/{joint.id}").status_code == 200
    city = client.get("/agenda/").get_data(as_text=True)
    assert "Réunion commune" in city


def test_dashboard_shows_my_next_meetings_and_the_global_nav(client, sign_in, council,
                                                             animator, make_meeting):
    make_meeting(council, animator, title="Prochaine réunion", days=2)
    sign_in(animator)
    html = client.get("/").get_data(as_text=True)
    assert "My next meetings" in html or "Mes prochaines réunions" in html
    assert "Prochaine réunion" in html
    assert 'href="/agenda/"' in html


def test_a_meeting_under_way_is_still_listed_and_one_that_is_over_is_not(
        client, sign_in, council, animator, make_meeting, local_now):
    """"Next meetings" everywhere (a space's agenda, the city's, the dashboard) keep a meeting
    that started and is not over -- even one that started weeks ago -- and drop one that is
    over: the date conditions are written for the planners, the rows must not change."""
    now = local_now.replace(second=0, microsecond=0)
    make_meeting(council, animator, title="Réunion en cours",
                 starts_at=now - dt.timedelta(hours=2), ends_at=now + dt.timedelta(hours=1))
    make_meeting(council, animator, title="Exposition du mois",
                 starts_at=now - dt.timedelta(days=20), ends_at=now + dt.timedelta(days=3))
    make_meeting(council, animator, title="Réunion finie",
                 starts_at=now - dt.timedelta(hours=3), ends_at=now - dt.timedelta(hours=1))
    make_meeting(council, animator, title="Réunion de demain", days=1)
    sign_in(animator)
    for path in ("/s/quartier-nord/agenda/", "/agenda/", "/"):
        html = client.get(path).get_data(as_text=True)
        if path == "/":  # the dashboard's own list, not its news ("a meeting was announced")
            html = html[html.index('id="agenda-next"'):].split("</section>")[0]
        assert "Réunion en cours" in html and "Exposition du mois" in html, path
        assert "Réunion de demain" in html, path
        assert "Réunion finie" not in html, path


def test_moving_and_cancelling_is_visible_and_urgent(client, sign_in, council, animator,
                                                     make_meeting, make_user, events,
                                                     local_now):
    meeting = make_meeting(council, animator, title="Réunion mobile")
    member = make_user(member_of=council)
    sign_in(animator)
    new_start = (local_now + dt.timedelta(days=9)).replace(hour=20, minute=0)
    response = client.post(f"/s/quartier-nord/agenda/{meeting.id}/edit", data={
        "title": "Réunion mobile", "starts_at": new_start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (new_start + dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "repeat": "none", "visibility": "space", "reminder_hours": "48, 2"})
    assert response.status_code == 302
    moved = events("agenda.meeting.moved")
    assert len(moved) == 1 and member.id in moved[0].recipients
    html = client.get(f"/s/quartier-nord/agenda/{meeting.id}").get_data(as_text=True)
    assert "20:00" in html and ("Moved" in html or "Déplacée" in html)
    client.post(f"/s/quartier-nord/agenda/{meeting.id}/cancel")
    assert len(events("agenda.meeting.cancelled")) == 1
    html = client.get(f"/s/quartier-nord/agenda/{meeting.id}").get_data(as_text=True)
    assert "Cancelled" in html or "Annulée" in html
    again = client.post(f"/s/quartier-nord/agenda/{meeting.id}/edit", data={"title": "x"})
    assert again.status_code == 302  # refused with a message, nothing changed
    from placette_plugins.agenda.models import Meeting
    assert Meeting.get_by_id(meeting.id).title == "Réunion mobile"


def test_french_by_default_english_on_request(client, sign_in, council, make_user,
                                              make_meeting, animator):
    make_meeting(council, animator, title="Réunion", days=2)
    french = make_user(member_of=council, language="fr")
    sign_in(french)
    html = client.get("/").get_data(as_text=True)
    assert "Mes prochaines réunions" in html
    assert "Agenda du Quartier Nord" in client.get("/s/quartier-nord/agenda/").get_data(
        as_text=True)
    english = make_user(member_of=council, language="en")
    sign_in(english)
    assert "My next meetings" in client.get("/").get_data(as_text=True)


def test_space_agenda_counts_each_meetings_seats_taken(client, sign_in, council, animator,
                                                       make_meeting, make_user):
    """The list tells how many seats each meeting has left: confirmed "yes" only (not "maybe",
    not the waiting list), per meeting and per occurrence."""
    from placette_plugins.agenda import rsvp
    full = make_meeting(council, animator, days=5, title="Atelier vélo", capacity=2)
    other = make_meeting(council, animator, days=6, title="Balade urbaine", capacity=10)
    people = [make_user(name=f"Habitant {n}", member_of=council) for n in range(4)]
    rsvp.answer(full, people[0], "yes")
    rsvp.answer(full, people[1], "yes")
    rsvp.answer(full, people[2], "yes", waiting_list=True)
    rsvp.answer(full, people[3], "maybe")
    rsvp.answer(other, people[0], "yes")
    sign_in(animator)
    html = client.get("/s/quartier-nord/agenda/").get_data(as_text=True)
    assert re.search(r"Atelier vélo.*?2 of 2 seats taken", html, re.S)
    assert re.search(r"Balade urbaine.*?1 of 10 seats taken", html, re.S)


def test_a_list_item_says_where_and_flags_cancelled_meetings(client, sign_in, council, animator,
                                                             make_meeting):
    """The agenda's rows write the place (room and address escaped and joined, "Online", or
    nothing) and the cancelled badge the same way on the list, the dashboard and the meeting's
    own page (helpers.place_text, the place macro)."""
    from placette_plugins.agenda import service
    in_a_room = make_meeting(council, animator, title="En salle", days=2,
                             room="Salle <B> & co", address="3 rue de la Paix")
    make_meeting(council, animator, title="À distance", days=3,
                 online_url="https://visio.example.org/conseil")
    make_meeting(council, animator, title="Nulle part", days=4)
    gone = make_meeting(council, animator, title="Annulée bientôt", days=5, room="Salle D")
    service.cancel_meeting(gone, animator)
    sign_in(animator)
    listing = client.get("/s/quartier-nord/agenda/").get_data(as_text=True)
    items = {re.search(r'">([^<]+)</a>', item).group(1): item
             for item in re.findall(r'<li class="agenda-item.*?</li>', listing, re.DOTALL)}
    in_room = items["En salle"]
    assert "Salle &lt;B&gt; &amp; co, 3 rue de la Paix" in in_room
    assert 'class="badge' not in in_room and "is-cancelled" not in in_room
    assert re.search(r'<p class="muted small">\s*(En ligne|Online)\s*</p>',
                     items["À distance"])
    assert re.search(r'<p class="muted small">\s*</p>', items["Nulle part"])
    cancelled = items["Annulée bientôt"]
    assert 'class="agenda-item is-cancelled"' in cancelled
    assert 'badge agenda-cancelled' in cancelled and "Salle D" in cancelled
    page = client.get(f"/s/quartier-nord/agenda/{in_a_room.id}").get_data(as_text=True)
    assert "<dd>Salle &lt;B&gt; &amp; co, 3 rue de la Paix" in page
    dashboard = client.get("/").get_data(as_text=True)
    assert "Salle &lt;B&gt; &amp; co, 3 rue de la Paix" in dashboard
