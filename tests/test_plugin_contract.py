"""The parts of the plugin contract a newcomer had to find out by reading ``core/`` (issue 25,
point 5), as docs/plugins.md §5 and §8 now state them: what an emitted event shows on the space's
Activity page, the fields of a resource (``object_id`` is a string), and the sign-in link that
brings the visitor back."""
from __future__ import annotations

import pytest

import placette
from placette import EventType, ResourceKind
from tests.gate_plugins import make_plugin

SEEN_BY_SEARCH: list = []


def _search_documents(resource):
    SEEN_BY_SEARCH.append(resource.object_id)
    return f"signatures wanted for petition number {int(resource.object_id)}"


def _blueprints():
    from flask_login import current_user
    bp = placette.space_blueprint("petitions", __name__)

    @bp.route("/new")
    def new(space):
        placette.require(current_user, "petitions.start", space)
        return "the form"
    return [bp]


@pytest.fixture
def placette_extra_plugins():
    return {"petitions": make_plugin(
        "petitions", register_blueprints=_blueprints,
        register_actions=lambda: [placette.Action("petitions.start", "member", "Start one")],
        register_resource_kinds=lambda: [ResourceKind("petitions", "petition", "Petition",
                                                      "Petitions")],
        register_events=lambda: [
            EventType("petitions.petition.started", "A petition started"),
            EventType("petitions.petition.signed", "Your petition was signed")],
        search_documents=_search_documents)}


@pytest.fixture
def placette_plugins():
    return ["petitions"]


@pytest.fixture
def council(make_space):
    return make_space("council", visibility="public", plugins=["petitions"])


def _publish(space, author, number=7, title="Benches for the square"):
    return placette.publish_resource("petitions", "petition", number, space=space, title=title,
                                     url=f"/s/{space.slug}/petitions/{number}", author=author,
                                     summary="Three benches near the fountain")


def test_a_resource_row_has_the_documented_fields(council, make_user):
    author = make_user(name="Léa Autrice")
    SEEN_BY_SEARCH.clear()
    resource = _publish(council, author)
    assert isinstance(resource, placette.Resource)
    assert (resource.plugin, resource.kind, resource.object_id) == ("petitions", "petition", "7")
    assert resource.key == "petitions.petition:7"
    assert resource.space_id == council.id and resource.author_id == author.id
    assert (resource.title, resource.url, resource.summary) == (
        "Benches for the square", "/s/council/petitions/7", "Three benches near the fountain")
    assert resource.visibility is None and resource.state == "visible"
    assert resource.created_at is not None and resource.updated_at is not None
    # search_documents gets the row: the id comes back as a string, whatever was published.
    assert SEEN_BY_SEARCH == ["7"]
    assert placette.lookup_resource("petitions", "petition", 7).id == resource.id


def test_an_event_shows_on_the_activity_page_as_label_and_resource_title(
        client, council, make_user, sign_in):
    author = make_user(name="Léa Autrice", member_of=council)
    resource = _publish(council, author)
    placette.emit("petitions.petition.started", space=council, resource=resource, actor=author)
    page = client.get("/s/council/activity").get_data(as_text=True)  # a visitor: public space
    assert '<a href="/s/council/petitions/7">A petition started: Benches for the square</a>' \
        in page
    assert "Léa Autrice" in page


def test_an_event_with_recipients_is_theirs_alone_never_on_the_activity_page(
        client, council, make_user, sign_in):
    author = make_user(name="Léa Autrice", member_of=council)
    resource = _publish(council, author)
    placette.emit("petitions.petition.signed", space=council, resource=resource,
                  recipients=[author.id])
    sign_in(author)
    page = client.get("/s/council/activity").get_data(as_text=True)
    assert "Your petition was signed" not in page


def test_an_event_without_resource_shows_its_data_title_or_the_space(client, council):
    placette.emit("petitions.petition.started", space=council,
                  data={"title": "A petition without a page", "url": "/s/council/petitions/"})
    page = client.get("/s/council/activity").get_data(as_text=True)
    assert '<a href="/s/council/petitions/">A petition started: A petition without a page</a>' \
        in page


def test_the_sign_in_link_brings_the_visitor_back(app, client, make_user):
    make_user(email="lea@example.org", password="léa's long secret")
    with app.test_request_context("/s/council/petitions/7?tab=signatures"):
        link = placette.sign_in_url()
        assert link == "/auth/sign-in?next=/s/council/petitions/7?tab%3Dsignatures"
        assert placette.sign_in_url("/s/council/petitions/") == \
            "/auth/sign-in?next=/s/council/petitions/"
        assert placette.sign_in_url("https://elsewhere.example/") == \
            "/auth/sign-in?next=/"  # never away from the site: the dashboard instead
    form = client.get(link).get_data(as_text=True)
    assert 'value="/s/council/petitions/7?tab=signatures"' in form
    signed = client.post("/auth/password", data={
        "pw-email": "lea@example.org", "pw-password": "léa's long secret",
        "pw-next": "/s/council/petitions/7?tab=signatures"})
    assert signed.status_code == 302
    assert signed.headers["Location"] == "/s/council/petitions/7?tab=signatures"


def test_a_page_refused_to_a_visitor_sends_them_to_sign_in_and_back(client, council):
    refused = client.get("/s/council/petitions/new")
    assert refused.status_code == 302
    assert refused.headers["Location"] == "/auth/sign-in?next=/s/council/petitions/new"
