"""Admin pages, tested as forms are used: post the form, then look at what the person concerned
sees.  Every admin action lands in the audit log, readable at /admin/audit."""
from __future__ import annotations

import datetime as dt

import pytest

import placette
from placette.db import utcnow
from placette.models import AuditEntry, Grant, Invitation, Membership, Space, SpaceParent
from placette.testing import mail_text

from gate_plugins import alpha_plugin


@pytest.fixture
def placette_extra_plugins():
    return {"alpha": alpha_plugin()}


@pytest.fixture
def claire(make_user):
    return make_user("claire@example.org", "Claire", admin=True, language="en")


def audit_actions() -> list[str]:
    return [e.action for e in AuditEntry.select().order_by(AuditEntry.id)]


# -- city admin pages ---------------------------------------------------------------------------

def test_city_admin_pages_are_404_for_everyone_else(client, make_space, make_user, sign_in):
    space = make_space("q")
    paths = ["/admin/", "/admin/spaces", "/admin/spaces/new", "/admin/users", "/admin/audit"]
    response = client.get("/admin/")
    assert response.status_code == 302 and "/sign-in" in response.location or \
        "sign" in response.location
    sign_in(make_user(member_of=space, role="admin"))  # a space admin is no city admin
    for path in paths:
        assert client.get(path).status_code == 404, path
    assert client.post("/admin/spaces/new", data={"name": "X", "slug": "x",
                                                  "kind": "group"}).status_code == 404
    assert not Space.select().where(Space.slug == "x").exists()


def test_create_a_space_with_parents(client, make_space, sign_in, claire):
    north = make_space("nord", name="Nord")
    south = make_space("sud", name="Sud")
    sign_in(claire)
    form = client.get(f"/admin/spaces/new?parent={north.id}").get_data(as_text=True)
    assert f'<option selected value="{north.id}">' in form or \
        f'value="{north.id}" selected' in form
    response = client.post("/admin/spaces/new", data={
        "name": "Vélo", "slug": "", "kind": "group", "visibility": "members",
        "parents": [str(north.id), str(south.id)], "description": "Cycling *together*",
        "allow_join_requests": "y"})
    assert response.status_code == 302 and response.location.endswith("/s/velo/manage/")
    space = Space.get(Space.slug == "velo")
    assert {link.parent_id for link in SpaceParent.select().where(SpaceParent.child == space)} \
        == {north.id, south.id}
    listing = client.get("/admin/spaces").get_data(as_text=True)
    assert "Vélo" in listing
    assert "<em>together</em>" in client.get("/s/velo").get_data(as_text=True)
    entry = AuditEntry.get((AuditEntry.action == "space.create")
                           & (AuditEntry.target == "space:velo"))
    assert entry.actor_label == "claire@example.org"
    assert sorted(entry.after["parents"]) == ["nord", "sud"]


def test_create_refuses_bad_input_keeping_what_was_typed(client, sign_in, make_space, claire):
    make_space("pris")
    sign_in(claire)
    for data, message in (
            ({"name": "Taken", "slug": "pris", "kind": "group", "visibility": "public"},
             "already used"),
            ({"name": "Bad", "slug": "Not A Slug", "kind": "group", "visibility": "public"},
             "Lower-case letters"),
            ({"name": "Reserved", "slug": "admin", "kind": "group", "visibility": "public"},
             "lower-case letters"),
            ({"name": "", "slug": "empty", "kind": "group", "visibility": "public"}, "required"),
            ({"name": "K", "slug": "kind", "kind": "castle", "visibility": "public"},
             "Not a valid choice"),
            ({"name": "V", "slug": "vis", "kind": "group", "visibility": "secret"},
             "Not a valid choice"),
            ({"name": "P", "slug": "par", "kind": "group", "visibility": "public",
              "parents": ["999999"]}, "Not a valid choice"),
    ):
        data["description"] = "kept text"
        response = client.post("/admin/spaces/new", data=data)
        assert response.status_code == 200, data
        page = response.get_data(as_text=True)
        assert message.lower() in page.lower(), (data, message)
        assert "kept text" in page
    assert Space.select().count() == 1
    assert audit_actions() == ["space.create"]  # only the fixture's space


def test_admin_edits_a_space_and_an_animator_edits_its_description_only(
        client, make_space, make_user, sign_in, claire):
    space = make_space("edit", visibility="members", name="Old name")
    animator = make_user(member_of=space, role="animator")
    sign_in(animator)
    response = client.post("/s/edit/manage/edit", data={
        "name": "New name", "description": "New *text*", "visibility": "public",
        "kind": "thematic", "allow_join_requests": "y"})
    assert response.status_code == 302
    space = Space.get_by_id(space.id)
    assert space.name == "New name" and space.visibility == "members" \
        and space.kind == "neighbourhood"
    sign_in(claire)
    client.post("/s/edit/manage/edit", data={
        "name": "New name", "description": "", "visibility": "public", "kind": "thematic"})
    space = Space.get_by_id(space.id)
    assert space.visibility == "public" and space.kind == "thematic"
    assert not space.allow_join_requests
    assert audit_actions().count("space.update") == 2
    assert "space.parents" not in audit_actions()  # unchanged parents: no noise


# -- members ------------------------------------------------------------------------------------

@pytest.fixture
def council(make_space, make_user):
    space = make_space("conseil", visibility="private", name="Conseil")
    people = {
        "admin": make_user(member_of=space, role="admin", name="Space Admin"),
        "animator": make_user(member_of=space, role="animator", name="Karim"),
        "member": make_user(member_of=space, role="member", name="Martine"),
    }
    return space, people


def role_of(space, user):
    row = Membership.get_or_none(space=space, user=user)
    return row.role if row else None


def test_an_animator_manages_roles_but_cannot_hand_out_admin(client, council, sign_in):
    space, people = council
    martine, admin = people["member"], people["admin"]
    sign_in(people["animator"])
    page = client.get("/s/conseil/manage/members").get_data(as_text=True)
    assert "Martine" in page and "Space Admin" in page

    response = client.post(f"/s/conseil/manage/members/{martine.id}",
                           data={f"m{martine.id}-role": "admin"}, follow_redirects=True)
    assert "cannot give this role" in response.get_data(as_text=True)
    assert role_of(space, martine) == "member"

    client.post(f"/s/conseil/manage/members/{admin.id}", data={f"m{admin.id}-role": "member"})
    assert role_of(space, admin) == "admin"  # nor demote the space's admin
    assert client.post(f"/s/conseil/manage/members/{admin.id}/remove").status_code == 403
    assert role_of(space, admin) == "admin"

    client.post(f"/s/conseil/manage/members/{martine.id}",
                data={f"m{martine.id}-role": "animator"})
    assert role_of(space, martine) == "animator"
    sign_in(martine)
    assert client.get("/s/conseil/manage/members").status_code == 200


def test_guests_need_an_end_date_and_see_it(client, council, sign_in):
    space, people = council
    martine = people["member"]
    sign_in(people["animator"])
    response = client.post(f"/s/conseil/manage/members/{martine.id}",
                           data={f"m{martine.id}-role": "guest"}, follow_redirects=True)
    assert "always has an end date" in response.get_data(as_text=True)
    assert role_of(space, martine) == "member"
    past = (utcnow() - dt.timedelta(days=2)).date().isoformat()
    response = client.post(f"/s/conseil/manage/members/{martine.id}",
                           data={f"m{martine.id}-role": "guest", f"m{martine.id}-expires_at": past},
                           follow_redirects=True)
    assert "must be in the future" in response.get_data(as_text=True)
    until = (utcnow() + dt.timedelta(days=20)).date()
    client.post(f"/s/conseil/manage/members/{martine.id}",
                data={f"m{martine.id}-role": "guest",
                      f"m{martine.id}-expires_at": until.isoformat()})
    assert role_of(space, martine) == "guest"
    sign_in(martine)
    me = client.get("/api/v1/me").get_json()["memberships"][0]
    assert me["role"] == "guest" and me["expires_at"].startswith(until.strftime("%a, %d %b %Y"))\
        or until.isoformat() in me["expires_at"]


def test_removing_a_member_closes_the_space_to_them_at_once(client, council, sign_in):
    space, people = council
    martine = people["member"]
    sign_in(martine)
    assert client.get("/s/conseil").status_code == 200
    sign_in(people["animator"])
    response = client.post(f"/s/conseil/manage/members/{martine.id}/remove",
                           follow_redirects=True)
    assert "no longer belongs" in response.get_data(as_text=True)
    sign_in(martine)
    assert client.get("/s/conseil").status_code == 404
    assert client.get("/api/v1/spaces/conseil").status_code == 404
    entry = AuditEntry.get(AuditEntry.action == "space.member.remove")
    assert entry.before == {"role": "member"} and martine.email in entry.target


def test_a_plain_member_cannot_post_to_management(client, council, sign_in, make_user):
    space, people = council
    sign_in(people["member"])
    other = people["animator"]
    assert client.post(f"/s/conseil/manage/members/{other.id}",
                       data={f"m{other.id}-role": "member"}).status_code == 404
    assert client.post(f"/s/conseil/manage/members/{other.id}/remove").status_code == 404
    assert role_of(space, other) == "animator"


# -- invitations --------------------------------------------------------------------------------

def test_invitations_page(client, council, sign_in, outbox):
    space, people = council
    sign_in(people["animator"])
    page = client.get("/s/conseil/manage/invitations").get_data(as_text=True)
    assert 'value="admin"' not in page  # animators are not offered the admin role
    response = client.post("/s/conseil/manage/invitations", data={
        "emails": "expert@example.org", "role": "guest", "message": "Welcome"})
    assert "always has an end date" in response.get_data(as_text=True)
    assert outbox() == []
    until = (utcnow() + dt.timedelta(days=30)).date().isoformat()
    response = client.post("/s/conseil/manage/invitations", data={
        "emails": "expert@example.org, not-an-address", "role": "guest",
        "guest_until": until, "message": "Welcome"}, follow_redirects=True)
    text = response.get_data(as_text=True)
    assert "1 invitation(s) sent" in text and "not-an-address" in text
    mail = outbox("expert@example.org")[0]
    assert "/invitations/" in mail_text(mail) and "Conseil" in mail["Subject"]
    assert "expert@example.org" in client.get("/s/conseil/manage/invitations").get_data(
        as_text=True)
    invitation = Invitation.get(Invitation.email == "expert@example.org")
    assert client.post("/s/conseil/manage/invitations", data={
        "emails": "boss@example.org", "role": "admin"}).status_code == 200
    assert not Invitation.select().where(Invitation.email == "boss@example.org").exists()
    client.post(f"/s/conseil/manage/invitations/{invitation.id}/revoke")
    assert Invitation.get_by_id(invitation.id).revoked_at is not None
    assert {"space.invite", "space.invitation.revoke"} <= set(audit_actions())


# -- grants -------------------------------------------------------------------------------------

def test_grants_change_what_members_may_do(client, make_space, make_user, sign_in):
    space = make_space("grants", visibility="network", plugins=["alpha"])
    admin = make_user(member_of=space, role="admin")
    member = make_user(member_of=space, role="member")
    stranger = make_user()
    sign_in(member)
    assert client.get("/s/grants/manage/invitations").status_code == 404
    sign_in(stranger)
    assert client.get("/s/grants/members").status_code == 404

    sign_in(admin)
    page = client.get("/s/grants/manage/grants").get_data(as_text=True)
    assert "space.invite" in page and "alpha.item.create" in page
    client.post("/s/grants/manage/grants", data={
        "space.invite": "member", "space.members.view": "authenticated",
        "alpha.item.create": "animator", "not.an.action": "anonymous",
        "space.edit": "emperor"})
    grants = {g.action: g.min_role for g in Grant.select().where(Grant.space == space)}
    assert grants == {"space.invite": "member", "space.members.view": "authenticated",
                      "alpha.item.create": "animator"}

    sign_in(member)
    assert client.get("/s/grants/manage/invitations").status_code == 200
    assert not placette.can(member, "alpha.item.create", space)
    sign_in(stranger)
    assert client.get("/s/grants/members").status_code == 200
    entry = AuditEntry.get(AuditEntry.action == "space.grants")
    assert entry.after["space.invite"] == "member"

    # Management never goes below members, whatever is posted.
    sign_in(admin)
    page = client.get("/s/grants/manage/grants").get_data(as_text=True)
    select = page[page.index('name="space.members.manage"'):]
    select = select[:select.index("</select>")]
    assert 'value="anonymous"' not in select and 'value="member"' in select
    client.post("/s/grants/manage/grants", data={"space.members.manage": "anonymous",
                                                 "space.modules.manage": "guest"})
    assert not placette.can(stranger, "space.members.manage", space)
    assert not Grant.select().where(Grant.action.in_(["space.members.manage",
                                                      "space.modules.manage"])).exists()

    # Back to the defaults.
    sign_in(admin)
    client.post("/s/grants/manage/grants", data={"space.invite": "animator",
                                                 "space.members.view": "guest"})
    sign_in(member)
    assert client.get("/s/grants/manage/invitations").status_code == 404


def test_grants_of_a_disabled_module_are_not_offered(client, make_space, make_user, sign_in):
    make_space("sans", plugins=())
    sign_in(make_user(admin=True))
    page = client.get("/s/sans/manage/grants").get_data(as_text=True)
    assert "space.invite" in page and "alpha.item.create" not in page


def test_an_animator_sees_no_modules_or_grants_pages(client, council, sign_in):
    space, people = council
    sign_in(people["animator"])
    assert client.get("/s/conseil/manage/").status_code == 200
    for path in ("/s/conseil/manage/modules", "/s/conseil/manage/grants",
                 "/s/conseil/manage/modules/alpha/settings"):
        assert client.get(path).status_code == 404, path
    assert client.post("/s/conseil/manage/modules/alpha",
                       data={"enabled": "1"}).status_code == 404
    assert client.post("/s/conseil/manage/grants",
                       data={"space.invite": "guest"}).status_code == 404
    assert not placette.is_enabled(space, "alpha")


# -- the audit log ------------------------------------------------------------------------------

def test_every_admin_action_is_in_the_audit_log(client, make_space, make_user, sign_in, claire):
    parent = make_space("parent")
    person = make_user("someone@example.org")
    sign_in(claire)
    client.post("/admin/spaces/new", data={"name": "Audited", "slug": "audited",
                                           "kind": "group", "visibility": "network"})
    client.post("/s/audited/manage/edit", data={"name": "Audited!", "kind": "group",
                                                "visibility": "network",
                                                "parents": [str(parent.id)]})
    client.post(f"/s/audited/manage/members/{person.id}", data={f"m{person.id}-role": "member"})
    client.post("/s/audited/manage/invitations", data={"emails": "new@example.org",
                                                       "role": "member"})
    client.post("/s/audited/manage/modules/alpha", data={"enabled": "1"})
    client.post("/s/audited/manage/modules/alpha/settings", data={"limit": "3", "mode": "open",
                                                                  "label": "x"})
    client.post("/s/audited/manage/grants", data={"space.invite": "member"})
    client.post(f"/s/audited/manage/members/{person.id}/remove")
    client.post(f"/admin/users/{person.id}/suspend", data={"reason": "spam"})
    expected = ["space.create", "space.update", "space.parents", "space.member.set",
                "space.invite", "space.module.switch", "space.module.configure",
                "space.grants", "space.member.remove", "user.suspend"]
    actions = audit_actions()
    assert set(expected) <= set(actions)
    page = client.get("/admin/audit").get_data(as_text=True)
    for action in expected:
        assert f"<code>{action}</code>" in page, action
    assert "claire@example.org" in page
    filtered = client.get("/admin/audit?action=space.module").get_data(as_text=True)
    assert "space.module.switch" in filtered and "space.grants" not in filtered


def test_an_animator_cannot_import_admins_either(client, council, sign_in):
    import io
    space, people = council
    sign_in(people["animator"])
    csv_text = ("name,email,role\nBoss,boss@example.org,admin\n"
                f"Demoted,{people['admin'].email},member\nNew,new@example.org,member\n")
    response = client.post("/s/conseil/manage/import", data={
        "file": (io.BytesIO(csv_text.encode()), "people.csv")},
        content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "cannot give this role" in page
    assert "Nothing was written" in page
    assert role_of(space, people["admin"]) == "admin"
    assert not Membership.select().join(placette.User).where(
        placette.User.email == "new@example.org").exists()
    ok = ("name,email,role\nNew,new@example.org,member\n")
    response = client.post("/s/conseil/manage/import", data={
        "file": (io.BytesIO(ok.encode()), "people.csv")}, content_type="multipart/form-data")
    assert "Imported." in response.get_data(as_text=True)
