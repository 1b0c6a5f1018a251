"""The pages of placette-keys, as members, animators, admins and strangers use them."""
import re

import pytest

from placette_keys.models import Handover, Room
from placette_keys.service import create_room, hand_over


def text(response) -> str:
    return response.get_data(as_text=True)


def test_members_see_who_holds_each_key(client, council, people, room, sign_in):
    hand_over(room, council, people["martine"].id, people["animator"])
    sign_in(people["youssef"])
    page = client.get("/s/quartier-nord/keys/")
    assert page.status_code == 200
    body = text(page)
    assert "Salle polyvalente" in body and "Martine Membre" in body
    assert '<th scope="row">' in body and "<caption>" in body
    assert body.count("<h1>") == 1
    assert 'href="/s/quartier-nord/keys/"' in text(client.get("/s/quartier-nord"))  # menu entry
    assert "/handover" not in body  # a member may not record hand-overs by default


@pytest.mark.parametrize("who", ["anonymous", "stranger"])
def test_keys_do_not_exist_for_people_outside_the_council(client, make_space, people, sign_in,
                                                          who):
    public = make_space("quartier-sud", visibility="public", plugins=["keys"])
    other = create_room(public, "Salle des fêtes")
    if who == "stranger":
        sign_in(people["stranger"])
    for url in ("/s/quartier-sud/keys/", f"/s/quartier-sud/keys/rooms/{other.id}",
                "/s/quartier-sud/keys/log", f"/s/quartier-sud/keys/rooms/{other.id}/handover"):
        assert client.get(url).status_code == 404, url
    home = text(client.get("/s/quartier-sud"))
    assert "/keys/" not in home  # no menu entry either


def test_module_off_means_gone(client, make_space, people, sign_in):
    off = make_space("quartier-est")
    room = create_room(off, "Salle B")
    sign_in(people["animator"])
    assert client.get("/s/quartier-est/keys/").status_code == 404
    assert client.get(f"/s/quartier-est/keys/rooms/{room.id}").status_code == 404
    assert "/keys/" not in text(client.get("/s/quartier-est"))


def test_a_room_of_another_space_is_not_found_here(client, council, make_space, people, sign_in):
    elsewhere = make_space("quartier-ouest", plugins=["keys"])
    foreign = create_room(elsewhere, "Salle C")
    sign_in(people["animator"])
    assert client.get(f"/s/quartier-nord/keys/rooms/{foreign.id}").status_code == 404
    assert client.get(f"/s/quartier-nord/keys/rooms/{foreign.id}/handover").status_code == 404


def test_animator_hands_a_key_over_and_the_new_holder_is_told(client, council, people, room,
                                                              sign_in, events):
    hand_over(room, council, people["martine"].id, people["animator"])
    sign_in(people["animator"])
    form = text(client.get(f"/s/quartier-nord/keys/rooms/{room.id}/handover"))
    assert '<label for="receiver">' in form and "Youssef Membre" in form
    assert "Sam Stranger" not in form  # only the space's members are offered
    version = re.search(r'name="version"[^>]*value="(\d+)"', form).group(1)
    response = client.post(f"/s/quartier-nord/keys/rooms/{room.id}/handover",
                           data={"receiver": str(people["youssef"].id), "note": "Alarme: 1234",
                                 "version": version})
    assert response.status_code == 302
    page = text(client.get(response.headers["Location"]))
    assert "Youssef Membre" in page and "Alarme: 1234" in page
    last = events("keys.key.handed_over")[-1]
    assert last["recipients"] == sorted([people["youssef"].id, people["martine"].id])
    assert last["space"] == "quartier-nord" and last["resource"] == f"keys.room:{room.id}"
    assert last["actor"] == people["animator"].id


def test_returning_a_key_to_the_desk(client, council, people, room, sign_in):
    hand_over(room, council, people["martine"].id, people["animator"])
    sign_in(people["animator"])
    form = text(client.get(f"/s/quartier-nord/keys/rooms/{room.id}/handover"))
    assert 'value="desk"' in form
    response = client.post(f"/s/quartier-nord/keys/rooms/{room.id}/handover",
                           data={"receiver": "desk", "version": "1"})
    assert response.status_code == 302, text(response)
    assert Room.get_by_id(room.id).holder_id is None
    assert Handover.select().order_by(Handover.id.desc()).first().returned


def test_members_may_not_record_hand_overs_until_an_admin_allows_it(
        client, council, people, room, sign_in, make_user):
    sign_in(people["martine"])
    url = f"/s/quartier-nord/keys/rooms/{room.id}/handover"
    assert client.get(url).status_code == 403
    assert client.post(url, data={"receiver": str(people["martine"].id),
                                  "version": "0"}).status_code == 403
    assert Handover.select().count() == 0
    admin = make_user(admin=True)
    sign_in(admin)
    grants = text(client.get("/s/quartier-nord/manage/grants"))
    assert "keys.handover" in grants
    assert client.post("/s/quartier-nord/manage/grants",
                       data={"keys.handover": "member"}).status_code == 302
    sign_in(people["martine"])
    response = client.post(url, data={"receiver": str(people["martine"].id), "version": "0"})
    assert response.status_code == 302
    assert Room.get_by_id(room.id).holder_id == people["martine"].id


def test_bad_hand_overs_are_refused_with_a_message_and_nothing_is_lost(
        client, council, people, room, sign_in):
    sign_in(people["animator"])
    url = f"/s/quartier-nord/keys/rooms/{room.id}/handover"
    stranger = client.post(url, data={"receiver": str(people["stranger"].id), "version": "0",
                                      "note": "mon texte"})
    assert stranger.status_code == 200
    assert 'role="alert"' in text(stranger) and "mon texte" in text(stranger)
    too_long = client.post(url, data={"receiver": str(people["martine"].id), "version": "0",
                                      "note": "x" * 501})
    assert too_long.status_code == 200 and 'role="alert"' in text(too_long)
    nobody = client.post(url, data={"receiver": "", "version": "0"})
    assert nobody.status_code == 200 and 'aria-invalid="true"' in text(nobody)
    assert Handover.select().count() == 0


def test_a_hand_over_recorded_meanwhile_is_not_overwritten(client, council, people, room,
                                                           sign_in):
    sign_in(people["animator"])
    url = f"/s/quartier-nord/keys/rooms/{room.id}/handover"
    hand_over(room, council, people["youssef"].id, people["animator"])  # someone else, just now
    stale = client.post(url, data={"receiver": str(people["martine"].id), "version": "0",
                                   "note": "garde"})
    assert stale.status_code == 200
    assert "vient d&#39;enregistrer une autre remise" in text(stale)  # people read French
    assert "garde" in text(stale)
    assert Room.get_by_id(room.id).holder_id == people["youssef"].id
    assert Handover.select().count() == 1


def test_the_log_lists_every_hand_over_newest_first(client, council, people, room, sign_in):
    hand_over(room, council, people["martine"].id, people["animator"])
    hand_over(room, council, people["youssef"].id, people["animator"])
    sign_in(people["martine"])
    body = text(client.get("/s/quartier-nord/keys/log"))
    rows = body.split("<tbody>")[1].split("</tbody>")[0].split("<tr>")[1:]
    assert len(rows) == 2
    assert "Martine Membre" in rows[0] and "Youssef Membre" in rows[0]  # newest: to Youssef
    assert "Martine Membre" in rows[1] and "Youssef Membre" not in rows[1]


def test_the_log_counts_hand_overs_with_french_plurals(client, council, people, room, sign_in):
    hand_over(room, council, people["martine"].id, people["animator"])
    sign_in(people["martine"])
    assert "1 remise enregistrée." in text(client.get("/s/quartier-nord/keys/log"))
    hand_over(room, council, people["youssef"].id, people["animator"])
    assert "2 remises enregistrées." in text(client.get("/s/quartier-nord/keys/log"))


def test_the_log_is_paged(client, council, people, room, sign_in):
    for turn in range(51):
        receiver = people["martine"] if turn % 2 == 0 else people["youssef"]
        hand_over(room, council, receiver.id, people["animator"], notify=False)
    sign_in(people["martine"])
    first = text(client.get("/s/quartier-nord/keys/log"))
    assert first.split("<tbody>")[1].count("<tr>") == 50 and 'rel="next"' in first
    second = text(client.get("/s/quartier-nord/keys/log?page=2"))
    assert second.split("<tbody>")[1].count("<tr>") == 1 and 'rel="prev"' in second
    assert client.get("/s/quartier-nord/keys/log?page=zzz").status_code == 200


def test_animators_add_rooms_members_cannot(client, council, people, sign_in):
    sign_in(people["martine"])
    assert client.get("/s/quartier-nord/keys/rooms/new").status_code == 403
    sign_in(people["animator"])
    assert client.post("/s/quartier-nord/keys/rooms/new",
                       data={"name": "Salle <b>B</b>", "place": "Étage"}).status_code == 302
    body = text(client.get("/s/quartier-nord/keys/"))
    assert "Salle &lt;b&gt;B&lt;/b&gt;" in body and "<b>B</b>" not in body
    twice = client.post("/s/quartier-nord/keys/rooms/new", data={"name": "Salle <b>B</b>"})
    assert twice.status_code == 200 and 'role="alert"' in text(twice)
    assert Room.select().count() == 1


def test_pages_cost_the_same_number_of_queries_with_more_rooms(
        client, council, people, sign_in, count_queries):
    def add_rooms(n):
        for i in range(n):
            room = create_room(council, f"Salle {Room.select().count() + 1}")
            hand_over(room, council, people["martine"].id, people["animator"], notify=False)
            hand_over(room, council, people["youssef"].id, people["animator"], notify=False)

    sign_in(people["animator"])
    add_rooms(2)
    client.get("/s/quartier-nord/keys/")  # the first visit of the day records "last seen"
    few = {url: count_queries(lambda: client.get(url))
           for url in ("/s/quartier-nord/keys/", "/s/quartier-nord/keys/log")}
    add_rooms(20)
    many = {url: count_queries(lambda: client.get(url))
            for url in ("/s/quartier-nord/keys/", "/s/quartier-nord/keys/log")}
    assert few == many, (few, many)


def test_the_dashboard_reminds_holders_of_their_keys_while_they_may_see_them(
        client, make_space, make_user, sign_in):
    group = make_space("groupe-prive", visibility="private", plugins=["keys"])
    holder = make_user(name="Jeanne", member_of=group)
    room = create_room(group, "Salle secrète")
    hand_over(room, group, holder.id, None)
    sign_in(holder)
    assert "Salle secrète" in text(client.get("/"))
    from placette.spaces import remove_member  # the kernel's own admin action, as a page would
    remove_member(group, holder)
    assert "Salle secrète" not in text(client.get("/"))


def test_the_settings_form_is_generated_from_the_schema(client, council, people, room,
                                                        make_user, sign_in):
    sign_in(make_user(admin=True))
    url = "/s/quartier-nord/manage/modules/keys/settings"
    form = text(client.get(url))
    assert 'name="max_days"' in form and 'name="key_desk"' in form
    assert 'name="notify_previous_holder"' in form
    bad = client.post(url, data={"key_desk": "Accueil", "max_days": "0"})
    assert bad.status_code == 200 and 'role="alert"' in text(bad)
    good = client.post(url, data={"key_desk": "l'accueil de la mairie", "max_days": "3"})
    assert good.status_code == 302
    hand_over(room, council, people["martine"].id, people["animator"])
    hand_over(room, council, None, people["animator"])
    assert "l&#39;accueil de la mairie" in text(client.get("/s/quartier-nord/keys/"))


@pytest.mark.parametrize("language,title", [("fr", "Clés des salles"), ("en", "Room keys")])
def test_pages_speak_the_reader_s_language(client, council, make_user, sign_in, language, title):
    sign_in(make_user(member_of=council, language=language))
    assert f"<h1>{title}</h1>" in text(client.get("/s/quartier-nord/keys/"))
