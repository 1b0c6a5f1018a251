"""``placette.prepared``: the SQL of hot queries is written once per viewer and shape, the rows
are read from the database every time, and the builder's contract is checked."""
from __future__ import annotations

import datetime as dt

import pytest

import placette
from placette.db import query_counter, utcnow
from placette.models import Membership, Space


@pytest.fixture
def placette_plugins():
    return ["agenda"]


def _spaces_named(prefix: str):
    def build(prefix, since):
        return (Space.select(Space.slug).where(Space.slug.startswith(prefix)
                                               & (Space.created_at >= since))
                .order_by(Space.slug).tuples())
    return build


def test_rows_come_from_the_database_each_time_and_sql_is_built_once(app, make_space):
    built = []

    def build(prefix):
        built.append(prefix)
        return Space.select(Space.slug).where(Space.slug.startswith(prefix)).order_by(
            Space.slug).tuples()

    make_space("memo-a")
    first = placette.prepared("test.spaces", build, "memo-").rows()
    make_space("memo-b")  # a new row: the memo holds SQL, never rows
    query_counter.reset()
    second = placette.prepared("test.spaces", build, "memo-")
    assert second.rows() == [("memo-a",), ("memo-b",)]
    assert query_counter.count == 1
    assert first == [("memo-a",)]
    assert built == ["memo-"]  # written once
    assert placette.prepared("test.spaces", build, "memo-").count() == 2
    assert placette.prepared("test.spaces", build, "other-").rows() == []
    assert built == ["memo-", "other-"]  # another input, another text


def test_late_values_are_bound_at_each_call(app, make_space):
    make_space("late-a")
    build = _spaces_named("late-")
    past, future = utcnow() - dt.timedelta(days=1), utcnow() + dt.timedelta(days=1)
    assert placette.prepared("test.late", build, "late-", since=past).rows() == [("late-a",)]
    assert placette.prepared("test.late", build, "late-", since=future).rows() == []


def test_model_rows_keep_their_joins(app, make_space, make_user):
    home = make_space("joined")
    person = make_user("joined@example.org", member_of=home)

    def build(user_id):
        return (Membership.select(Membership, Space).join(Space)
                .where(Membership.user == user_id))

    for _ in range(2):  # the second read reuses the first one's column plan
        (row,) = placette.prepared("test.joined", build, person.id).rows()
        query_counter.reset()
        assert row.space.slug == "joined" and row.role == "member"
        assert query_counter.count == 0  # the space came in the same row
        assert isinstance(row.created_at, dt.datetime)


def test_joined_rows_read_again_are_what_peewee_itself_returns(app, make_space, make_user):
    """From the second read, joined rows are built by placette.db.rows: same instances, same
    joins (an outer join without a match stays None), aliases kept, nothing marked dirty."""
    from peewee import JOIN
    from placette.models import Resource, User
    home = make_space("rows-home")
    author = make_user("rows-author@example.org", member_of=home)
    placette.publish_resource("placette", "note", "r1", space=home, title="Avec auteur", url="/a",
                              author=author)
    placette.publish_resource("placette", "note", "r2", space=home, title="Sans auteur",
                              url="/b")

    def build(space_id):
        return (Resource.select(Resource, Space, User, Space.slug.alias("space_slug"))
                .join(Space).switch(Resource)
                .join(User, JOIN.LEFT_OUTER, on=(Resource.author == User.id))
                .where(Resource.space == space_id).order_by(Resource.object_id))

    expected = list(build(home.id))
    for _ in range(3):  # first read: peewee's wrapper; then the memoised builder
        rows = placette.prepared("test.rows", build, home.id).rows()
        query_counter.reset()
        assert [r.__data__ for r in rows] == [r.__data__ for r in expected]
        assert [r.space.__data__ for r in rows] == [r.space.__data__ for r in expected]
        assert rows[0].author.email == "rows-author@example.org" and rows[1].author is None
        assert rows[1].author_id is None and rows[0].author_id == author.id
        # peewee puts an alias on the instance of the column's model
        assert [r.space.space_slug for r in rows] == ["rows-home", "rows-home"]
        assert [vars(r.space).get("space_slug") for r in expected] == ["rows-home"] * 2
        assert not rows[0]._dirty and not rows[0].space._dirty
        assert query_counter.count == 0  # joined instances came with the rows


def test_plain_rows_keep_their_names_and_types_from_one_read_to_the_next(app, make_space):
    def build(prefix, since):
        return (Space.select(Space.slug, Space.created_at)
                .where(Space.slug.startswith(prefix) & (Space.created_at >= since))
                .order_by(Space.slug).namedtuples())

    make_space("plain-a")
    long_ago = utcnow() - dt.timedelta(days=1)
    first = placette.prepared("test.plain", build, "plain-", since=long_ago).rows()
    make_space("plain-b")
    second = placette.prepared("test.plain", build, "plain-", since=long_ago).rows()
    assert [r.slug for r in first] == ["plain-a"]
    assert [r.slug for r in second] == ["plain-a", "plain-b"]
    assert all(isinstance(r.created_at, dt.datetime) for r in second)
    assert second[0] == first[0] and second[0] is not first[0]


@pytest.mark.parametrize("shape", ["tuples", "dicts", "namedtuples"])
def test_plain_rows_read_again_are_what_peewee_itself_returns(app, make_space, shape):
    """The second and later reads convert the fetched rows with the memoised reader state:
    the same values, types and shape as iterating the query."""
    def build(prefix):
        query = (Space.select(Space.slug, Space.created_at, Space.allow_join_requests)
                 .where(Space.slug.startswith(prefix)).order_by(Space.slug))
        return getattr(query, shape)()

    make_space("shape-a")
    placette.prepared(f"test.shape.{shape}", build, "shape-").rows()  # first read: peewee's
    make_space("shape-b", allow_join_requests=False)
    again = placette.prepared(f"test.shape.{shape}", build, "shape-").rows()
    expected = list(build("shape-"))
    assert again == expected and len(again) == 2
    assert [type(r).__name__ for r in again] == [type(r).__name__ for r in expected]
    if shape == "namedtuples":
        assert again[1]._fields == ("slug", "created_at", "allow_join_requests")
        assert again[1].allow_join_requests is False
    assert all(isinstance(next(iter(r.values() if shape == "dicts" else r)), str)
               for r in again)


def test_a_value_computed_from_a_late_value_is_refused(app):
    def build(since):
        return Space.select().where(Space.created_at >= since - dt.timedelta(days=31))

    with pytest.raises(placette.PreparedQueryError, match="computed from a late value"):
        placette.prepared("test.derived", build, since=utcnow())


def test_an_unused_late_value_is_refused(app):
    def build(since):
        return Space.select()

    with pytest.raises(placette.PreparedQueryError, match="not used"):
        placette.prepared("test.unused", build, since=utcnow())


def test_viewer_key_follows_roles_and_expiry(app, make_space, make_user):
    home = make_space("keyed", visibility="members")
    guest = make_user("guest-key@example.org", member_of=home, role="guest",
                      expires_at=utcnow() + dt.timedelta(hours=1))
    with app.test_request_context("/"):
        before = placette.viewer_key(guest)
    Membership.update(expires_at=utcnow() - dt.timedelta(seconds=1)).where(
        Membership.user == guest.id).execute()
    guest = placette.User.get_by_id(guest.id)
    with app.test_request_context("/"):
        after = placette.viewer_key(guest)
    assert before != after and after == (guest.id, ())
    assert placette.viewer_key(None) == ("anonymous",)


def test_an_expired_guest_loses_the_meeting_on_the_next_page(client, make_space, make_user,
                                                             sign_in):
    """From the outside: the dashboard and the city agenda of someone whose access just ended
    are not served from the previous page's SQL (their roles are part of the key)."""
    from placette_plugins.agenda import service
    home = make_space("expiring", visibility="private", plugins=["agenda"])
    animator = make_user("animator-memo@example.org", member_of=home, role="animator")
    guest = make_user("guest-page@example.org", member_of=home, role="guest",
                      expires_at=utcnow() + dt.timedelta(hours=1))
    start = (utcnow() + dt.timedelta(days=3)).replace(microsecond=0)
    service.create_meeting(home, animator, {"title": "Réunion du verger", "starts_at": start,
                                            "ends_at": start + dt.timedelta(hours=2)})
    sign_in(guest)
    for page in ("/", "/agenda/"):
        assert "Réunion du verger" in client.get(page).get_data(as_text=True), page
    Membership.update(expires_at=utcnow() - dt.timedelta(seconds=1)).where(
        Membership.user == guest.id).execute()
    assert client.get("/s/expiring").status_code == 404
    for page in ("/", "/agenda/"):
        assert "Réunion du verger" not in client.get(page).get_data(as_text=True), page


def test_the_memo_is_bounded_and_forgets_the_least_recently_used(app):
    from placette.query_memo import _Entry, _Memo
    memo = _Memo(size=2)
    make = lambda: _Entry(None, "SELECT 1", [], {})  # noqa: E731
    first = memo.get("a", make)
    memo.get("b", make)
    assert memo.get("a", make) is first  # "a" used again: "b" is now the oldest
    memo.get("c", make)
    assert list(memo.entries) == ["a", "c"]


def test_a_member_removed_from_a_private_group_no_longer_finds_it(client, make_space, make_user,
                                                                  sign_in):
    """The directory and the API list are written once per viewer: leaving a private group
    changes the viewer, so neither lists it on the next request -- nor does a search for it."""
    make_space("ouvert", name="Conseil ouvert")
    secret = make_space("cercle", name="Cercle discret", visibility="private")
    person = make_user("leaver@example.org", member_of=secret)
    sign_in(person)
    pages = ("/spaces", "/spaces?q=discret", "/api/v1/spaces")
    for page in pages:
        assert "cercle" in client.get(page).get_data(as_text=True), page
    Membership.delete().where(Membership.user == person.id).execute()
    for page in pages:
        body = client.get(page).get_data(as_text=True)
        assert "cercle" not in body, page
    assert "ouvert" in client.get("/spaces").get_data(as_text=True)
    assert client.get("/api/v1/spaces").headers["X-Total-Count"] == str(
        len(client.get("/api/v1/spaces").get_json()))
