"""Activity: per space, on the dashboard, as Atom feeds -- through visibility at reading time."""
import re
import xml.etree.ElementTree as ET

from placette.models import FeedToken

ATOM = "{http://www.w3.org/2005/Atom}"


def entries(body: bytes) -> list[str]:
    return [e.find(f"{ATOM}title").text for e in ET.fromstring(body).iter(f"{ATOM}entry")]


def test_space_activity_page_shows_what_the_visitor_may_see(client, notes_space, make_user,
                                                            note, happen, sign_in):
    space = notes_space("quartier-nord", visibility="public")
    member = make_user(member_of=space)
    happen("notes.note.created", space, note(space, "Compte rendu public"), actor=member)
    happen("notes.note.created", space, note(space, "Note des animateurs",
                                             visibility="animators"))
    happen("notes.note.created", space, note(space, "Pour les membres", visibility="members"))
    anonymous = client.get("/s/quartier-nord/activity").get_data(as_text=True)
    assert "Compte rendu public" in anonymous and member.display_name in anonymous
    assert "Pour les membres" not in anonymous and "Note des animateurs" not in anonymous
    sign_in(member)
    page = client.get("/s/quartier-nord/activity").get_data(as_text=True)
    assert "Pour les membres" in page and "Note des animateurs" not in page
    assert page.count("<h1") == 1 and 'aria-current="page"' in page  # the menu's Activity entry


def test_private_space_activity_is_404_for_outsiders(client, notes_space, make_user, sign_in):
    notes_space("groupe", visibility="private")
    sign_in(make_user())
    assert client.get("/s/groupe/activity").status_code == 404
    assert client.get("/s/groupe/activity.atom").status_code == 404
    assert client.get("/s/nowhere/activity").status_code == 404


def test_addressed_events_are_not_activity(client, notes_space, make_user, note, happen,
                                           sign_in):
    """A reminder sent to named people is a notification, not news of the space."""
    space = notes_space("conseil")
    member = make_user(member_of=space)
    happen("notes.meeting.moved", space, note(space, "Rappel personnel"), recipients=[member.id])
    sign_in(member)
    assert "Rappel personnel" not in client.get("/s/conseil/activity").get_data(as_text=True)


def test_addressed_news_declared_as_activity_shows_to_whoever_may_see_its_resource(
        client, notes_space, make_user, note, happen, sign_in):
    """``EventType(activity=True)`` (placette-keys' hand-overs, a cancelled meeting): the two
    people named are told, and the space's Activity page, feed and API show it to everyone who
    may see its resource -- never to whoever may not, and never without a resource."""
    space = notes_space("conseil", visibility="public")
    giver, taker = make_user(member_of=space), make_user(member_of=space)
    happen("notes.key.handed_over", space, note(space, "Clé de la salle des fêtes"),
           actor=giver, recipients=[taker.id])
    happen("notes.key.handed_over", space, note(space, "Clé du local des animateurs",
                                                visibility="members"),
           actor=giver, recipients=[taker.id])
    happen("notes.key.handed_over", space, None, actor=giver, recipients=[taker.id],
           data={"title": "Clé sans ressource"})
    happen("notes.meeting.moved", space, note(space, "Rappel personnel"), recipients=[taker.id])
    anonymous = client.get("/s/conseil/activity").get_data(as_text=True)
    assert "Clé de la salle des fêtes" in anonymous
    assert "Clé du local des animateurs" not in anonymous
    assert "Clé sans ressource" not in anonymous and "Rappel personnel" not in anonymous
    assert "Clé de la salle des fêtes" in client.get("/s/conseil/activity.atom").get_data(
        as_text=True)
    api = [e["title"] for e in client.get("/api/v1/spaces/conseil/activity").get_json()]
    assert api == ["Clé de la salle des fêtes"]
    sign_in(make_user(member_of=space))                  # a member who was told nothing
    page = client.get("/s/conseil/activity").get_data(as_text=True)
    assert "Clé de la salle des fêtes" in page and "Clé du local des animateurs" in page
    assert "Clé sans ressource" not in page and "Rappel personnel" not in page


def test_dashboard_shows_what_is_new_in_my_spaces_only(client, notes_space, make_user, note,
                                                      happen, sign_in):
    mine, other = notes_space("le-mien"), notes_space("un-autre")
    reader = make_user(member_of=mine)
    happen("notes.note.created", mine, note(mine, "Chez moi"))
    happen("notes.note.created", other, note(other, "Ailleurs"))
    sign_in(reader)
    page = client.get("/").get_data(as_text=True)
    assert "Quoi de neuf dans mes espaces" in page
    assert "Chez moi" in page and "Ailleurs" not in page


def test_space_home_shows_recent_activity(client, notes_space, make_user, note, happen, sign_in):
    space = notes_space("conseil")
    sign_in(make_user(member_of=space))
    happen("notes.note.created", space, note(space, "Ordre du jour"))
    page = client.get("/s/conseil").get_data(as_text=True)
    assert "Activité récente" in page and "Ordre du jour" in page
    assert 'href="/s/conseil/activity"' in page


def test_public_space_feed_is_open(client, notes_space, note, happen):
    space = notes_space("place-publique", visibility="public")
    happen("notes.note.created", space, note(space, "Affiche"))
    happen("notes.note.created", space, note(space, "Réservé", visibility="members"))
    response = client.get("/s/place-publique/activity.atom")
    assert response.status_code == 200
    assert response.mimetype == "application/atom+xml"
    assert entries(response.data) == ["Nouvelle note: Affiche"]  # the city's language
    link = ET.fromstring(response.data).find(f"{ATOM}entry/{ATOM}link").get("href")
    assert link.startswith("http://localhost/s/place-publique/notes/")


def test_private_feed_needs_the_owners_key_revocable_from_the_profile(client, notes_space,
                                                                      make_user, note, happen,
                                                                      sign_in, sign_out):
    from placette.spaces import remove_member
    space = notes_space("redaction", visibility="private")
    member = make_user(member_of=space, language="en")
    happen("notes.note.created", space, note(space, "Projet d'avis"))
    sign_in(member)
    client.post("/me/feed-key")
    profile = client.get("/me/").get_data(as_text=True)
    url = re.search(r'href="(/s/redaction/activity\.atom\?key=[\w-]+)"', profile).group(1)
    sign_out()
    assert client.get("/s/redaction/activity.atom").status_code == 404  # no key
    assert entries(client.get(url).data) == ["New note: Projet d'avis"]  # a feed reader
    assert client.get(url.replace("key=", "key=x")).status_code == 404  # a guessed key

    sign_in(member)  # renew: the old address stops working
    client.post("/me/feed-key")
    assert client.get(url).status_code == 404
    new_url = "/s/redaction/activity.atom?key=" + FeedToken.get().token
    assert client.get(new_url).status_code == 200
    client.post("/me/feed-key/revoke")
    assert client.get(new_url).status_code == 404

    client.post("/me/feed-key")
    newest = "/s/redaction/activity.atom?key=" + FeedToken.get().token
    remove_member(space, member)  # left the space: its feed is gone for them at once
    assert client.get(newest).status_code == 404


def test_feed_key_shows_only_what_its_owner_may_see(client, notes_space, make_user, note,
                                                    happen, sign_in):
    space = notes_space("conseil-membres", visibility="members")
    member = make_user(member_of=space)
    happen("notes.note.created", space, note(space, "Pour tous les membres"))
    happen("notes.note.created", space, note(space, "Animateurs seulement",
                                             visibility="animators"))
    sign_in(member)
    client.post("/me/feed-key")
    key = FeedToken.get().token
    assert entries(client.get(f"/s/conseil-membres/activity.atom?key={key}").data) == [
        "Nouvelle note: Pour tous les membres"]
