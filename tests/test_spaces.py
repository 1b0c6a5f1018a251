"""Spaces and memberships as people see them: kinds, the tree, the four visibilities, roles,
guests whose access ends on time, and requests to join."""
from __future__ import annotations

import datetime as dt

import pytest

from placette.db import utcnow
from placette.models import AuditEntry, JoinRequest, Membership
from placette.spaces import SpaceError, add_member, create_space, set_parents


# -- kinds --------------------------------------------------------------------------------------

@pytest.fixture
def placette_settings():
    return {"space_kinds": ["city", "neighbourhood", "thematic", "group", "youth-board"]}


def test_a_city_can_add_space_kinds(client, make_user, sign_in):
    sign_in(make_user(admin=True))
    form = client.get("/admin/spaces/new").get_data(as_text=True)
    assert 'value="youth-board"' in form
    response = client.post("/admin/spaces/new", data={
        "name": "Conseil des jeunes", "slug": "jeunes", "kind": "youth-board",
        "visibility": "public", "description": ""})
    assert response.status_code == 302
    assert client.get("/api/v1/spaces/jeunes").get_json()["kind"] == "youth-board"
    listing = client.get("/spaces?kind=youth-board").get_data(as_text=True)
    assert "Conseil des jeunes" in listing


def test_an_unknown_kind_is_refused_with_the_known_ones(app):
    with pytest.raises(SpaceError) as caught:
        create_space("x", "X", "castle")
    assert caught.value.field == "kind" and "youth-board" in caught.value.message


# -- the tree -----------------------------------------------------------------------------------

def test_a_working_group_belongs_to_several_councils(client, make_space, make_user, sign_in):
    councils = [make_space(f"conseil-{n}", visibility="public", name=f"Conseil {n}")
                for n in range(3)]
    make_space("mobilite", visibility="public", kind="group", parents=councils,
               name="Mobilité douce")
    for council in councils:
        page = client.get(f"/s/{council.slug}").get_data(as_text=True)
        assert "Mobilité douce" in page  # listed among each council's groups
    group = client.get("/s/mobilite").get_data(as_text=True)
    assert all(f"Conseil {n}" in group for n in range(3))  # breadcrumb names its councils
    api = client.get("/api/v1/spaces/mobilite").get_json()
    assert sorted(api["parents"]) == ["conseil-0", "conseil-1", "conseil-2"]


def test_a_space_home_names_only_the_groups_its_visitor_may_know(client, make_space,
                                                                  make_user, sign_in):
    council = make_space("conseil-est", visibility="public", name="Conseil Est")
    make_space("jardins", visibility="public", kind="group", parents=[council],
               name="Jardins partagés")
    bureau = make_space("bureau", visibility="private", kind="group", parents=[council],
                        name="Bureau restreint")
    sign_in(make_user(name="Voisine"))
    page = client.get("/s/conseil-est").get_data(as_text=True)
    assert "Jardins partagés" in page and "Bureau restreint" not in page
    sign_in(make_user(name="Membre du bureau", member_of=bureau))
    page = client.get("/s/conseil-est").get_data(as_text=True)
    assert "Jardins partagés" in page and "Bureau restreint" in page


def test_the_tree_refuses_cycles(app, make_space):
    top = make_space("top")
    middle = make_space("middle", parents=[top])
    bottom = make_space("bottom", parents=[middle])
    with pytest.raises(SpaceError, match="cannot also contain it"):
        set_parents(top, [bottom])
    with pytest.raises(SpaceError):
        set_parents(top, [top])
    set_parents(bottom, [top, middle])  # a diamond is fine


def test_the_edit_form_refuses_a_cycle_and_keeps_what_was_typed(client, make_space, make_user,
                                                                sign_in):
    top = make_space("haut", name="Haut")
    low = make_space("bas", parents=[top], name="Bas")
    sign_in(make_user(admin=True))
    response = client.post("/s/haut/manage/edit", data={
        "name": "Haut renamed", "kind": "neighbourhood", "visibility": "network",
        "description": "typed text", "parents": [str(low.id)]})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "cannot also contain it" in page and "typed text" in page
    # Nothing half-written: the rename did not go through either.
    assert client.get("/api/v1/spaces/haut").get_json()["name"] == "Haut"


# -- visibilities -------------------------------------------------------------------------------

@pytest.fixture
def four(make_space, make_user):
    spaces = {v: make_space(v, visibility=v, name=f"Space {v}")
              for v in ("public", "network", "members", "private")}
    member = make_user(member_of=list(spaces.values()))
    return spaces, member


def test_the_directory_lists_what_each_person_may_know(client, four, make_user, sign_in):
    spaces, member = four
    listing = client.get("/spaces").get_data(as_text=True)
    assert "Space public" in listing
    assert all(f"Space {v}" not in listing for v in ("network", "members", "private"))
    sign_in(make_user())
    listing = client.get("/spaces").get_data(as_text=True)
    assert "Space network" in listing and "Space members" in listing
    assert "Space private" not in listing
    sign_in(member)
    listing = client.get("/spaces").get_data(as_text=True)
    assert all(f"Space {v}" in listing for v in spaces)


def test_members_spaces_show_a_join_form_and_private_ones_do_not_exist(client, four, make_user,
                                                                       sign_in):
    spaces, member = four
    assert client.get("/s/members").status_code == 404  # anonymous: not listed, not shown
    assert client.get("/s/network").status_code == 404
    assert client.get("/s/public").status_code == 200
    stranger = sign_in(make_user())
    page = client.get("/s/members")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "open to its members only" in text and "/s/members/join" in text
    assert client.get("/s/members/members").status_code == 404  # but nothing inside
    assert client.get("/s/private").status_code == 404
    assert client.post("/s/private/join", data={"message": "hi"}).status_code == 404
    assert not JoinRequest.select().where(JoinRequest.user == stranger.id).exists()


def test_every_kernel_surface_answers_404_to_who_may_not_see(client, four, make_user, sign_in):
    spaces, member = four
    paths = ["/s/{s}", "/s/{s}/members", "/s/{s}/manage/", "/s/{s}/manage/members",
             "/s/{s}/manage/edit", "/s/{s}/manage/modules", "/s/{s}/manage/grants",
             "/s/{s}/manage/invitations", "/s/{s}/manage/requests", "/s/{s}/manage/import",
             "/api/v1/spaces/{s}", "/api/v1/spaces/{s}/members"]
    sign_in(make_user())
    for path in paths:
        response = client.get(path.format(s="private"))
        assert response.status_code == 404, path
    response = client.put("/api/v1/spaces/private/modules/anything", json={"enabled": True})
    assert response.status_code == 404
    response = client.put("/api/v1/spaces/members/modules/anything", json={"enabled": True})
    assert response.status_code == 404
    for path in paths[1:-2]:  # members spaces: known to exist, closed inside
        assert client.get(path.format(s="members")).status_code == 404, path
    assert client.get("/api/v1/spaces/members/members").status_code == 404
    # A member sees it all but management.
    sign_in(member)
    assert client.get("/s/private").status_code == 200
    assert client.get("/s/private/members").status_code == 200
    assert client.get("/api/v1/spaces/private/members").status_code == 200
    assert client.get("/s/private/manage/").status_code == 404
    assert client.get("/s/private/manage/grants").status_code == 404


def test_unknown_and_non_members_look_the_same(client, four, make_user, sign_in):
    sign_in(make_user())
    hidden = client.get("/s/private")
    missing = client.get("/s/does-not-exist")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.get_data(as_text=True).replace("/s/private", "/s/X") == \
        missing.get_data(as_text=True).replace("/s/does-not-exist", "/s/X")
    assert client.get("/api/v1/spaces/private").get_json() == \
        client.get("/api/v1/spaces/does-not-exist").get_json()


# -- guests -------------------------------------------------------------------------------------

def test_a_guest_always_has_an_end_date(app, make_space, make_user):
    space = make_space("g")
    person = make_user()
    with pytest.raises(SpaceError) as caught:
        add_member(space, person, "guest")
    assert caught.value.code == "guest_needs_expiry"
    with pytest.raises(SpaceError):
        add_member(space, person, "guest", expires_at=utcnow() - dt.timedelta(minutes=1))
    assert not Membership.select().where(Membership.user == person.id).exists()


def test_a_guest_loses_access_at_the_instant_their_access_ends(client, make_space, make_user,
                                                               sign_in):
    space = make_space("atelier", visibility="private", name="Atelier")
    guest = make_user(member_of=space, role="guest",
                      expires_at=utcnow() + dt.timedelta(days=3))
    sign_in(guest)
    assert client.get("/s/atelier").status_code == 200
    me = client.get("/api/v1/me").get_json()
    assert me["memberships"][0]["role"] == "guest" and me["memberships"][0]["expires_at"]
    assert "Atelier" in client.get("/").get_data(as_text=True)

    # Their end date passed a second ago; no job ran.
    (Membership.update(expires_at=utcnow() - dt.timedelta(seconds=1))
     .where(Membership.user == guest.id).execute())
    assert client.get("/s/atelier").status_code == 404
    assert client.get("/s/atelier/members").status_code == 404
    assert client.get("/api/v1/spaces/atelier").status_code == 404
    assert client.get("/api/v1/me").get_json()["memberships"] == []
    assert "Atelier" not in client.get("/").get_data(as_text=True)
    assert "atelier" not in [s["slug"] for s in client.get("/api/v1/spaces").get_json()]


def test_an_expired_guest_of_a_public_space_is_a_visitor_again(client, make_space, make_user,
                                                               sign_in):
    space = make_space("place", visibility="public", name="Place")
    guest = make_user(member_of=space, role="guest")
    (Membership.update(expires_at=utcnow() - dt.timedelta(seconds=1))
     .where(Membership.user == guest.id).execute())
    sign_in(guest)
    page = client.get("/s/place").get_data(as_text=True)
    assert "You are:" not in page and "/s/place/join" in page
    response = client.post("/s/place/join", data={"message": "may I stay?"},
                           follow_redirects=True)
    assert "has been sent" in response.get_data(as_text=True)
    assert JoinRequest.select().where(JoinRequest.user == guest.id).count() == 1


# -- join requests ------------------------------------------------------------------------------

def test_request_accept_and_decline(client, make_space, make_user, sign_in):
    space = make_space("club", visibility="members", name="Club")
    animator = make_user(member_of=space, role="animator", name="Karim")
    asker = make_user(name="Youssef")
    other = make_user(name="Martine")

    for person, message in ((asker, "I live here"), (other, "me too")):
        sign_in(person)
        response = client.post("/s/club/join", data={"message": message},
                               follow_redirects=True)
        assert "has been sent" in response.get_data(as_text=True)
    sign_in(asker)
    assert "request to join was sent" in client.get("/s/club").get_data(as_text=True)
    client.post("/s/club/join", data={"message": "again"})
    assert JoinRequest.select().where(JoinRequest.user == asker.id).count() == 1

    sign_in(animator)
    assert "2" in client.get("/").get_data(as_text=True)  # the dashboard says people ask
    page = client.get("/s/club/manage/requests").get_data(as_text=True)
    assert "Youssef" in page and "I live here" in page
    first = JoinRequest.get(JoinRequest.user == asker.id)
    second = JoinRequest.get(JoinRequest.user == other.id)
    client.post(f"/s/club/manage/requests/{first.id}", data={"decision": "accept"})
    client.post(f"/s/club/manage/requests/{second.id}", data={"decision": "decline"})
    # Deciding twice does nothing more.
    assert client.post(f"/s/club/manage/requests/{first.id}",
                       data={"decision": "decline"}).status_code == 404

    sign_in(asker)
    assert client.get("/s/club/members").status_code == 200
    assert client.get("/api/v1/me").get_json()["memberships"][0]["space"] == "club"
    sign_in(other)
    assert client.get("/s/club/members").status_code == 404
    actions = {e.action for e in AuditEntry.select()}
    assert {"space.join_request.accept", "space.join_request.decline"} <= actions


def test_a_space_may_refuse_requests(client, make_space, make_user, sign_in):
    make_space("ferme", visibility="members", allow_join_requests=False)
    person = sign_in(make_user())
    page = client.get("/s/ferme").get_data(as_text=True)
    assert "/s/ferme/join" not in page and "invite new members" in page
    response = client.post("/s/ferme/join", data={"message": "please"}, follow_redirects=True)
    assert "does not take requests" in response.get_data(as_text=True)
    assert not JoinRequest.select().where(JoinRequest.user == person.id).exists()


def test_someone_else_s_request_cannot_be_decided_by_a_plain_member(client, make_space,
                                                                    make_user, sign_in):
    space = make_space("assoc", visibility="members")
    member = make_user(member_of=space)
    asker = make_user()
    sign_in(asker)
    client.post("/s/assoc/join", data={"message": ""})
    request_id = JoinRequest.get(JoinRequest.user == asker.id).id
    sign_in(member)
    assert client.get("/s/assoc/manage/requests").status_code == 404
    assert client.post(f"/s/assoc/manage/requests/{request_id}",
                       data={"decision": "accept"}).status_code == 404
    assert JoinRequest.get_by_id(request_id).decided_at is None


def test_page_titles_name_the_city_once(client, make_space):
    import re

    def title(path):
        return re.search(r"<title>(.*?)</title>", client.get(path).get_data(as_text=True)).group(1)

    make_space("testville", name="Testville", kind="city", visibility="public")
    make_space("nord", name="Nord", visibility="public")
    assert title("/s/nord") == "Nord · Testville"
    assert title("/s/testville") == "Testville"  # the city's own space: not "Testville · Testville"
    listing = title("/spaces")
    assert listing.endswith(" · Testville") and listing.count("Testville") == 1


def test_the_front_page_summarises_public_spaces_in_plain_text(client, make_space):
    """Anonymous visitors see a card per public space with the first words of its description:
    Markdown reduced to text, markup escaped, long texts cut; other visibilities stay out."""
    from placette.spaces import update_space
    nord = make_space("nord", name="Nord", visibility="public")
    update_space(nord, description="**Le conseil** du <script>alert(1)</script> quartier. "
                 + "Très long. " * 40)
    make_space("prive", name="Groupe privé", visibility="private")
    make_space("membres", name="Conseil des membres", visibility="members")
    page = client.get("/").get_data(as_text=True)
    card = page[page.index('href="/s/nord"'):].split("</li>")[0]
    assert "Le conseil du" in card and "<strong>" not in card and "**" not in card
    assert "<script>" not in page and "&lt;script&gt;" in card
    assert card.rstrip().endswith("…</p>") and len(card) < 400
    assert "Groupe privé" not in page and "Conseil des membres" not in page
    # The summary follows the text at once: what is memoised is keyed by the text itself.
    update_space(nord, description="Nouvelle présentation")
    assert "Nouvelle présentation" in client.get("/").get_data(as_text=True)


def test_a_signed_out_visitor_of_a_public_space_is_shown_the_way_to_join(client, four):
    """The visitor who read about a council in the public window lands on its space: the page
    tells them to sign in to ask to join, and brings them back here afterwards."""
    page = client.get("/s/public").get_data(as_text=True)
    assert "/auth/sign-in?next=/s/public" in page.replace("%2F", "/")
    assert "/s/public/join" not in page  # the form itself needs an account
