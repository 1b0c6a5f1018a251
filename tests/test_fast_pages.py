"""The kernel pages the benchmark made faster still show exactly what they showed.

An in-process plugin (``notes``) is activated for every test here, so the module look-ups run.
"""
from __future__ import annotations

import datetime as dt

import pytest

import placette


def test_dashboard_lists_spaces_with_roles_expiry_and_manage_links(client, make_space, make_user,
                                                                   sign_in):
    north = make_space("nord", name="Conseil Nord")
    group = make_space("velo", name="Groupe Vélo", kind="group", parents=[north])
    hidden = make_space("archive", name="Ancien conseil")
    person = make_user(name="Youssef", member_of=north, role="animator")
    make_user(member_of=group)  # someone else
    from placette.spaces import add_member
    until = dt.datetime.utcnow() + dt.timedelta(days=10)
    add_member(group, person, "guest", expires_at=until)
    add_member(hidden, person, "member")
    hidden.archived_at = dt.datetime.utcnow()
    hidden.save()
    sign_in(person)
    page = client.get("/").get_data(as_text=True)
    assert 'href="/s/nord">Conseil Nord</a>' in page
    assert 'href="/s/velo">Groupe Vélo</a>' in page
    assert 'href="/s/nord/manage/"' in page
    assert page.count(">Manage<") == 1                 # animator of one space only
    assert "Animator" in page and "Guest" in page
    assert "Ancien conseil" not in page               # archived spaces are left out


def test_directory_and_api_show_parents_and_totals(client, make_space, make_user, sign_in):
    north = make_space("nord", name="Conseil Nord")
    south = make_space("sud", name="Conseil Sud")
    make_space("velo", name="Groupe Vélo", kind="group", parents=[north, south])
    make_space("secret", name="Groupe secret", kind="group", visibility="private")
    sign_in(make_user())
    page = client.get("/spaces").get_data(as_text=True)
    assert "Groupe Vélo" in page and "Conseil Nord, Conseil Sud" in page
    assert "Groupe secret" not in page
    response = client.get("/api/v1/spaces?per_page=2")
    assert response.headers["X-Total-Count"] == "3"
    assert 'rel="next"' in response.headers["Link"]
    everything = {s["slug"]: s for s in client.get("/api/v1/spaces").get_json()}
    assert set(everything) == {"nord", "sud", "velo"}
    assert everything["velo"]["parents"] == ["nord", "sud"]
    assert everything["velo"]["kind"] == "group" and everything["nord"]["parents"] == []


def test_space_home_counts_active_members_only(client, make_space, make_user, sign_in):
    from placette.models import Membership
    north = make_space("nord", name="Conseil Nord")
    viewer = make_user(member_of=north)
    make_user(member_of=north)
    gone = make_user(member_of=north, role="guest")
    (Membership.update(expires_at=dt.datetime.utcnow() - dt.timedelta(minutes=1))
     .where(Membership.user == gone.id).execute())
    sign_in(viewer)
    page = client.get("/s/nord").get_data(as_text=True)
    assert "2 members" in page


def test_dashboard_tells_animators_how_many_people_ask_to_join(client, make_space, make_user,
                                                              sign_in):
    from placette.spaces import request_to_join
    north = make_space("nord")
    south = make_space("sud")
    animator = make_user(member_of=[north, south], role="animator")
    request_to_join(north, make_user())
    request_to_join(south, make_user())
    sign_in(animator)
    assert "2 people ask to join your spaces." in client.get("/").get_data(as_text=True)
    sign_in(make_user(member_of=north))
    assert "ask to join" not in client.get("/").get_data(as_text=True)


def test_space_home_shows_its_parents_and_the_groups_one_may_see(client, make_space, make_user,
                                                                 sign_in):
    city = make_space("ville", name="La Ville", kind="city", visibility="public")
    north = make_space("nord", name="Conseil Nord", parents=[city])
    make_space("velo", name="Groupe Vélo", kind="group", parents=[north])
    secret = make_space("secret", name="Groupe secret", kind="group", visibility="private",
                        parents=[north])
    sign_in(make_user(member_of=north))
    page = client.get("/s/nord").get_data(as_text=True)
    assert 'href="/s/ville">La Ville</a>' in page           # breadcrumb
    assert 'href="/s/velo">Groupe Vélo</a>' in page
    assert "Groupe secret" not in page                      # private: not even listed
    sign_in(make_user(member_of=[north, secret]))
    assert "Groupe secret" in client.get("/s/nord").get_data(as_text=True)


class _Notes:
    """An in-process plugin with nothing but a manifest: enough to be switched on per space."""

    @placette.hookimpl
    def register_manifest(self):
        return placette.PluginManifest(name="notes", title="Notes")


@pytest.fixture
def placette_extra_plugins():
    return {"notes": _Notes()}


@pytest.fixture
def placette_plugins():
    return ["notes"]


def test_api_list_reports_the_modules_of_each_space(app, client, make_space, make_user, sign_in):
    from placette.modules import set_module
    on = make_space("nord")
    off = make_space("sud")
    with app.app_context():
        set_module(on, "notes", True)
    sign_in(make_user())
    modules = {s["slug"]: s["modules"] for s in client.get("/api/v1/spaces").get_json()}
    assert modules == {"nord": ["notes"], "sud": []}
    with app.app_context():
        set_module(on, "notes", False)
    modules = {s["slug"]: s["modules"] for s in client.get("/api/v1/spaces").get_json()}
    assert modules["nord"] == [] and off.slug in modules


def test_the_frame_links_follow_the_path_the_city_is_served_under(client, make_user, sign_in):
    """The frame's links are worked out once per path prefix: a city served under
    /participation (behind a proxy) links there, the same site at / links to /, whichever
    was asked first."""
    sign_in(make_user(name="Lina"))
    prefixed = client.get("/", base_url="http://localhost/participation")
    page = prefixed.get_data(as_text=True)
    assert 'href="/participation/spaces"' in page and 'href="/participation/notifications' in page
    page = client.get("/").get_data(as_text=True)
    assert 'href="/spaces"' in page and "/participation" not in page
    page = client.get("/spaces", base_url="http://localhost/participation").get_data(
        as_text=True)
    assert 'href="/participation/spaces"' in page


def test_templates_see_the_globals_as_jinja_gives_them(app):
    """Contexts start from the environment's globals without the ChainMap walk
    (placette.web.templating), and still: a template's own globals shadow the environment's,
    a global declared after a template was loaded is seen by it, and rendering changes no
    global."""
    env = app.jinja_env
    env.globals["greeting"] = "bonjour"
    try:
        plain = env.from_string("{{ greeting }} {{ city }}")
        own = env.from_string("{{ greeting }}", globals={"greeting": "salut"})
        assert plain.render(city="Nantes") == "bonjour Nantes"
        assert own.render() == "salut"
        env.globals["greeting"] = "bonsoir"  # after loading: seen, as Jinja promises
        assert plain.render(city="Nantes") == "bonsoir Nantes"
        assert env.globals["greeting"] == "bonsoir" and "city" not in env.globals
        assert type(plain).__name__ == "PlacetteTemplate"
    finally:
        env.globals.pop("greeting", None)


def test_template_calls_pass_the_context_exactly_to_what_asks_for_it(app):
    """Calls in templates skip Jinja's pass_context questions for plain callables
    (placette.web.templating.PlacetteContext), and render what Jinja's own context renders:
    a function or a method marked pass_context / pass_eval_context / pass_environment gets
    it first, plain functions, methods, built-ins and macros get only their arguments, and a
    callable raising StopIteration gives an undefined value, not an error."""
    from jinja2 import Environment, pass_context, pass_environment, pass_eval_context

    @pass_context
    def where(context, suffix):
        return f"{context.get('item', 'none')}{suffix}"

    @pass_environment
    def env_name(environment):
        return type(environment).__name__

    @pass_eval_context
    def escaping(eval_ctx):
        return "on" if eval_ctx.autoescape else "off"

    class Greeter:
        def hello(self, name):
            return f"hello {name}"

        @pass_context
        def marked(self, context):
            return context.get("city")

    def stops():
        raise StopIteration

    source = ("{% macro twice(x) %}{{ x }}{{ x }}{% endmacro %}"
              "{{ where('!') }}|{% for item in ['a', 'b'] %}{% set seen = item %}"
              "{{ where('.') }}{% endfor %}|{{ env_name() }}|{{ escaping() }}|"
              "{{ greeter.hello('Léa') }}|{{ greeter.marked() }}|{{ twice(1) }}|"
              "{{ words.get('fr') }}|{{ '-'.join(['x', 'y']) }}|{{ stops() is undefined }}|"
              "{{ plain(2) }}")
    values = dict(where=where, env_name=env_name, escaping=escaping, greeter=Greeter(),
                  city="Nantes", words={"fr": "oui"}, stops=stops, plain=lambda n: n * 3)
    template = app.jinja_env.from_string(source)
    assert type(template.new_context({})).__name__ == "PlacetteContext"
    with app.test_request_context("/"):
        ours = template.render(**values)
    jinjas = Environment(autoescape=True).from_string(source).render(**values)
    assert ours == jinjas
    assert ours.startswith("none!|") and "|Nantes|11|oui|x-y|True|6" in ours
    assert "|on|hello Léa|" in ours
