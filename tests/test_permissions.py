"""The gate: ``can()`` (Python, one item) and ``visible()`` (SQL, a whole list) must agree, on
every combination of space visibility x item visibility x kind of person, and both must match
the rules written in ``placette.permissions`` (checked here by an independent table)."""
from __future__ import annotations

import datetime as dt
import itertools

import pytest

import placette
from placette.db import utcnow
from placette.models import Membership, Resource, Space, User
from placette.permissions import can_see_space, listed_spaces, visible
from placette.roles import forget_roles

SPACE_VISIBILITIES = ("public", "network", "members", "private")
ITEM_VISIBILITIES = (None, "public", "network", "members", "animators")
ACTORS = ("anonymous", "stranger", "guest", "expired_guest", "member", "animator",
          "space_admin", "city_admin", "suspended_member", "suspended_city_admin")

# The rules, written independently of the code under test.
READ_LEVEL = {"anonymous": 0, "stranger": 1, "expired_guest": 1, "guest": 2, "member": 2,
              "animator": 3, "space_admin": 3}
SPACE_NEEDS = {"public": 0, "network": 1, "members": 2, "private": 2}
ITEM_NEEDS = {None: 0, "public": 0, "network": 1, "members": 2, "animators": 3}


def expected_read(actor: str, space_visibility: str, item_visibility, archived: bool) -> bool:
    if actor.startswith("suspended"):
        actor = "anonymous"  # a suspended account counts for nothing more than a visitor
    if actor == "city_admin":
        return True
    if archived:
        return False
    return READ_LEVEL[actor] >= max(SPACE_NEEDS[space_visibility], ITEM_NEEDS[item_visibility])


def expected_listed(actor: str, space_visibility: str, archived: bool) -> bool:
    if expected_read(actor, space_visibility, None, archived):
        return True
    return (space_visibility == "members" and not archived and actor != "anonymous"
            and not actor.startswith("suspended"))


@pytest.fixture
def world(app, make_user):
    """Eight spaces (4 visibilities x live/archived), an item of each visibility in each, and
    one person of each kind in every space."""
    spaces = {}
    for visibility, archived in itertools.product(SPACE_VISIBILITIES, (False, True)):
        from placette.spaces import create_space
        space = create_space(f"{visibility}-{'old' if archived else 'live'}",
                             f"{visibility} {archived}", "neighbourhood", visibility)
        if archived:
            Space.update(archived_at=utcnow()).where(Space.id == space.id).execute()
            space = Space.get_by_id(space.id)
        spaces[(visibility, archived)] = space
    items = {}
    n = 0
    for key, space in spaces.items():
        for item_visibility in ITEM_VISIBILITIES:
            n += 1
            items[key + (item_visibility,)] = Resource.create(
                plugin="test", kind="thing", object_id=str(n), space=space,
                visibility=item_visibility, title=f"item {n}", url=f"/x/{n}")
    people = {"anonymous": None, "stranger": make_user(), "city_admin": make_user(admin=True)}
    roles = {"guest": "guest", "expired_guest": "guest", "member": "member",
             "animator": "animator", "space_admin": "admin", "suspended_member": "member"}
    for kind in roles:
        people[kind] = make_user()
    people["suspended_city_admin"] = make_user(admin=True)
    in_a_month = utcnow() + dt.timedelta(days=30)
    for space in spaces.values():
        for kind, role in roles.items():
            Membership.create(user=people[kind], space=space, role=role,
                              expires_at=in_a_month if role == "guest" else None)
    # The guest's access ended a second ago: no job has run since.
    (Membership.update(expires_at=utcnow() - dt.timedelta(seconds=1))
     .where(Membership.user == people["expired_guest"]).execute())
    User.update(suspended_at=utcnow()).where(User.id.in_([people["suspended_member"].id,
                                                      people["suspended_city_admin"].id])).execute()
    fresh = {kind: (User.get_by_id(user.id) if user is not None else None)
             for kind, user in people.items()}
    return spaces, items, fresh


def test_can_and_visible_agree_on_every_combination(world):
    spaces, items, people = world
    checked = 0
    for actor_kind, actor in people.items():
        forget_roles(actor)
        sql_items = {r.id for r in visible(Resource.select(), actor)}
        sql_spaces = {s.id for s in visible(Space.select(), actor)}
        sql_listed = {s.id for s in listed_spaces(Space.select(), actor)}
        for (space_visibility, archived, item_visibility), item in items.items():
            want = expected_read(actor_kind, space_visibility, item_visibility, archived)
            python = placette.can(actor, "view", item)
            sql = item.id in sql_items
            assert python == sql == want, (actor_kind, space_visibility, archived,
                                           item_visibility, python, sql, want)
            checked += 1
        for (space_visibility, archived), space in spaces.items():
            want = expected_read(actor_kind, space_visibility, None, archived)
            assert placette.can(actor, "view", space) == (space.id in sql_spaces) == want, \
                (actor_kind, space_visibility, archived)
            want_listed = expected_listed(actor_kind, space_visibility, archived)
            assert can_see_space(actor, space) == (space.id in sql_listed) == want_listed, \
                (actor_kind, space_visibility, archived, "listed")
            checked += 1
    assert checked == len(ACTORS) * (8 * 5 + 8)


def test_visible_on_a_plugin_style_query_with_explicit_fields(world):
    """``visible(query, actor, space_field=..., visibility_field=...)`` gives the same answer."""
    spaces, items, people = world
    for actor_kind in ("stranger", "guest", "animator"):
        actor = people[actor_kind]
        default = {r.id for r in visible(Resource.select(), actor)}
        explicit = {r.id for r in visible(Resource.select(), actor, space_field=Resource.space,
                                          visibility_field=Resource.visibility)}
        assert default == explicit


def test_undeclared_actions_are_denied_even_to_city_admins(world):
    spaces, items, people = world
    space = spaces[("public", False)]
    for actor in people.values():
        assert not placette.can(actor, "nobody.declared.this", space)
        assert not placette.can(actor, "nobody.declared.this")


def test_roles_decide_declared_actions(world):
    spaces, items, people = world
    space = spaces[("network", False)]
    manage = {kind: placette.can(people[kind], "space.members.manage", space)
              for kind in ACTORS}
    assert manage == {"anonymous": False, "stranger": False, "guest": False,
                      "expired_guest": False, "member": False, "animator": True,
                      "space_admin": True, "city_admin": True, "suspended_member": False,
                      "suspended_city_admin": False}
    view_members = {kind: placette.can(people[kind], "space.members.view", space)
                    for kind in ACTORS}
    assert [k for k, v in view_members.items() if v] == ["guest", "member", "animator",
                                                          "space_admin", "city_admin"]
    modules = [k for k in ACTORS if placette.can(people[k], "space.modules.manage", space)]
    assert modules == ["space_admin", "city_admin"]


def test_an_action_on_something_unseen_is_denied_whatever_the_role_needed(world):
    spaces, items, people = world
    private = spaces[("private", False)]
    # space.join needs only "authenticated", but a stranger does not even see a private space.
    assert not placette.can(people["stranger"], "space.join", private)
    assert placette.can(people["stranger"], "space.join", spaces[("network", False)])


def test_answers_kept_for_the_request_follow_changes_made_in_it(app, make_user):
    """``can()`` keeps its answers about a space for the request (a page asks the same ones from
    its menu, slots and body): a membership or a role given, or the space's visibility changed
    later in the same request must be answered anew, never from the kept answer."""
    from placette.spaces import add_member, create_space, remove_member
    space = create_space("kept", "Kept answers", "neighbourhood", "network")
    person = make_user(email="kept@example.org")
    with app.test_request_context("/"):
        assert placette.can(person, "space.join", space)
        assert not placette.can(person, "space.members.view", space)
        add_member(space, person, "member")
        assert placette.can(person, "space.members.view", space)
        assert not placette.can(person, "space.members.manage", space)
        add_member(space, person, "animator")
        assert placette.can(person, "space.members.manage", space)
        remove_member(space, person)
        assert not placette.can(person, "space.members.view", space)
        assert not placette.can(person, "space.members.manage", space)
        space.visibility = "private"  # the object changed in the request: a new question
        assert not placette.can(person, "space.join", space)
        assert not placette.can(person, "view", space)
