"""``placette.prepared``: the SQL of hot queries is written once per viewer and shape, the rows
are read from the database every time, and the builder's contract is checked."""
from __future__ import annotations

import datetime as dt

import pytest

import placette
from peewee import JOIN, ForeignKeyField, fn
from placette.db import query_counter, utcnow
from placette.models import Membership, Space


@pytest.fixture
def placette_plugins():
    return ["agenda"]


def _spaces_named(prefix: str):
    def build(prefix, since):
        return (Space.select(Space.slug).where(Space.slug.startswith(prefix)
                                               & (Space.created_at >= since))
                .order_by(Space.slug))
    return build


def _values(instance) -> dict:
    """What a template reads of an instance: every field, foreign keys as their id."""
    return {f.name: getattr(instance, f.object_id_name if isinstance(f, ForeignKeyField)
                            else f.name) for f in type(instance)._meta.sorted_fields}


def test_rows_come_from_the_database_each_time_and_sql_is_built_once(app, make_space):
    built = []

    def build(prefix):
        built.append(prefix)
        return Space.select(Space.slug).where(Space.slug.startswith(prefix)).order_by(
            Space.slug)

    make_space("memo-a")
    first = placette.prepared("test.spaces", build, "memo-").tuples()
    make_space("memo-b")  # a new row: the memo holds SQL, never rows
    query_counter.reset()
    second = placette.prepared("test.spaces", build, "memo-")
    assert second.tuples() == [("memo-a",), ("memo-b",)]
    assert query_counter.count == 1
    assert first == [("memo-a",)]
    assert built == ["memo-"]  # written once
    assert placette.prepared("test.spaces", build, "memo-").count() == 2
    assert placette.prepared("test.spaces", build, "other-").tuples() == []
    assert built == ["memo-", "other-"]  # another input, another text


def test_late_values_are_bound_at_each_call_from_one_build(app, make_space):
    make_space("late-a")
    built = []

    def build(prefix, since):
        built.append(prefix)
        return _spaces_named(prefix)(prefix, since)

    past, future = utcnow() - dt.timedelta(days=1), utcnow() + dt.timedelta(days=1)
    assert placette.prepared("test.late", build, "late-", since=past).tuples() == [("late-a",)]
    assert placette.prepared("test.late", build, "late-", since=future).tuples() == []
    assert built == ["late-"]  # one build: the late value is a named placeholder, not guessed


def test_late_values_in_a_list_and_a_subquery(app, make_space):
    """A late value goes wherever a value goes: in ``in_([...])``, in a sub-query."""
    one, two, three = (make_space(f"in-{n}") for n in "abc")

    def build(count, **late):
        inner = Space.select(Space.id).where(Space.created_at <= late["until"])
        return (Space.select(Space.slug)
                .where(Space.id.in_([late[f"i{n}"] for n in range(count)])
                       & Space.id.in_(inner)).order_by(Space.slug))

    now = utcnow() + dt.timedelta(seconds=1)
    found = placette.prepared("test.in", build, 2, i0=one.id, i1=three.id, until=now)
    assert found.tuples() == [("in-a",), ("in-c",)]
    found = placette.prepared("test.in", build, 2, i0=two.id, i1=three.id, until=now)
    assert found.tuples() == [("in-b",), ("in-c",)]
    long_ago = utcnow() - dt.timedelta(days=1)
    assert placette.prepared("test.in", build, 2, i0=two.id, i1=three.id,
                             until=long_ago).tuples() == []


def test_model_rows_keep_their_joins(app, make_space, make_user):
    home = make_space("joined")
    person = make_user("joined@example.org", member_of=home)

    def build(user_id):
        return (Membership.select(Membership, Space).join(Space)
                .where(Membership.user == user_id))

    for _ in range(2):
        (row,) = placette.prepared("test.joined", build, person.id).rows()
        query_counter.reset()
        assert row.space.slug == "joined" and row.role == "member"
        assert query_counter.count == 0  # the space came in the same row
        assert isinstance(row.created_at, dt.datetime)


def test_joined_rows_are_what_peewee_itself_returns(app, make_space, make_user):
    """Same values, same joins (an outer join without a match gives None without a query),
    aliases on the instance of their column's model, as iterating the query gives."""
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
    for _ in range(2):
        rows = placette.prepared("test.rows", build, home.id).rows()
        query_counter.reset()
        assert [_values(r) for r in rows] == [_values(r) for r in expected]
        assert [_values(r.space) for r in rows] == [_values(r.space) for r in expected]
        assert rows[0].author.email == "rows-author@example.org" and rows[1].author is None
        assert rows[1].author_id is None and rows[0].author_id == author.id
        assert [r.space.space_slug for r in rows] == ["rows-home", "rows-home"]
        assert [r.space.space_slug for r in expected] == ["rows-home", "rows-home"]
        assert query_counter.count == 0  # joined instances came with the rows


def test_a_joined_row_goes_to_each_foreign_key_holding_its_id(app, make_space, make_user):
    """An event's space is also its resource's space: one joined Space row serves both (the
    same database row peewee would read on access), and a resource of another space is read
    from the database, not given the event's space."""
    from placette.models import Event, Resource
    home, other = make_space("ev-home"), make_space("ev-other")
    author = make_user("ev-author@example.org", member_of=home)
    here = placette.publish_resource("placette", "note", "e1", space=home, title="Ici", url="/e1",
                                     author=author)
    there = placette.publish_resource("placette", "note", "e2", space=other, title="Là",
                                      url="/e2", author=author)
    for resource in (here, there):
        Event.create(space=home, resource=resource, actor=author, name="test.made")

    def build(space_id):
        return (Event.select(Event, Resource, Space).join(Resource)
                .join_from(Event, Space).where(Event.space == space_id).order_by(Event.id))

    rows = placette.prepared("test.events", build, home.id).rows()
    query_counter.reset()
    assert [r.space.slug for r in rows] == ["ev-home", "ev-home"]
    assert rows[0].resource.space.slug == "ev-home"
    assert query_counter.count == 0
    assert rows[1].resource.space.slug == "ev-other"  # read from the database: its own space
    assert query_counter.count == 1


def test_a_column_not_selected_reads_none_not_the_default(app, make_space):
    """A partial row reads None where nothing was selected, as peewee's own rows do: a space
    selected without its visibility must not read as the model's default ("network")."""
    make_space("partial", visibility="private")

    def build(slug):
        return Space.select(Space.id, Space.slug).where(Space.slug == slug)

    for _ in range(2):
        (row,) = placette.prepared("test.partial", build, "partial").rows()
        (expected,) = list(build("partial"))
        assert row.slug == "partial"
        assert row.visibility is None and expected.visibility is None
        assert row.allow_join_requests is None and row.created_at is None


def test_a_joined_model_goes_to_the_selected_key_it_was_joined_on(app, make_space, make_user):
    """The resource's author key is not selected; the event's actor key is: the actor row
    goes to ``event.actor`` (no query), never to ``resource.author``."""
    from placette.models import Event, Resource, User
    home = make_space("actor-home")
    author = make_user("actor-author@example.org", member_of=home)
    actor = make_user("actor-actor@example.org", member_of=home)
    note = placette.publish_resource("placette", "note", "a1", space=home, title="Note",
                                     url="/a1", author=author)
    Event.create(space=home, resource=note, actor=actor, name="test.seen")

    def build(resource_id):
        return (Resource.select(Resource.id, Resource.title, Event.id, Event.actor,
                                User.id, User.display_name)
                .join(Event, on=(Event.resource == Resource.id))
                .join(User, on=(Event.actor == User.id)).where(Resource.id == resource_id))

    (expected,) = list(build(note.id))
    for _ in range(2):
        (row,) = placette.prepared("test.actor", build, note.id).rows()
        query_counter.reset()
        assert row.event.actor.display_name == expected.event.actor.display_name
        assert row.event.actor.id == actor.id
        assert row.author_id is None and row.author is None
        assert query_counter.count == 0


def test_joins_the_reader_cannot_tell_are_left_to_peewee(app, make_space, make_user):
    """Two foreign keys to the same model, neither selected: the rows are peewee's own."""
    from placette.models import User
    home = make_space("ambiguous")
    person = make_user("ambiguous@example.org", member_of=home)
    Membership.update(invited_by=person).where(Membership.user == person.id).execute()

    def build(space_id):
        return (Membership.select(Membership.role, User.email)
                .join(User, on=(Membership.invited_by == User.id))
                .where(Membership.space == space_id))

    (row,) = placette.prepared("test.ambiguous", build, home.id).rows()
    assert row.role == "member" and row.invited_by.email == "ambiguous@example.org"


@pytest.mark.parametrize("shape", ["tuples", "dicts", "namedtuples"])
def test_plain_rows_are_what_peewee_itself_returns(app, make_space, shape):
    """Values converted by their field (SQLite's text dates become datetimes), named after
    the field or alias, in the shape asked: as iterating ``query.<shape>()``."""
    def build(prefix):
        return (Space.select(Space.slug, Space.created_at, Space.allow_join_requests,
                             Space.name.alias("label"))
                .where(Space.slug.startswith(prefix)).order_by(Space.slug))

    make_space("shape-a")
    make_space("shape-b", allow_join_requests=False)
    for _ in range(2):
        again = getattr(placette.prepared(f"test.shape.{shape}", build, "shape-"), shape)()
        expected = list(getattr(build("shape-"), shape)())
        assert again == expected and len(again) == 2
        if shape == "namedtuples":
            assert again[1]._fields == ("slug", "created_at", "allow_join_requests", "label")
            assert again[1].allow_join_requests is False
        first = again[0] if shape == "tuples" else (
            list(again[0].values()) if shape == "dicts" else list(again[0]))
        assert isinstance(first[1], dt.datetime)


def test_an_expression_is_named_as_the_database_names_it(app, make_space):
    make_space("named-a")

    def build(prefix):
        return (Space.select(Space.kind, fn.COUNT(Space.id).alias("n"),
                             (fn.MAX(Space.id) + 1).alias("after"))
                .where(Space.slug.startswith(prefix)).group_by(Space.kind))

    for _ in range(2):
        found = placette.prepared("test.named", build, "named-").dicts()
        assert found == list(build("named-").dicts()) and found[0]["n"] == 1


def test_a_value_computed_from_a_late_value_is_refused(app):
    def build(since):
        return Space.select().where(Space.created_at >= since - dt.timedelta(days=31))

    with pytest.raises(placette.PreparedQueryError, match="computed on"):
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
    make = lambda: _Entry(Space.select(Space.id), "SELECT 1", [], {})  # noqa: E731
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
