"""The plugin machinery, seen from a plugin author and from the people using the site.

Plugins here are small in-process objects (``gate_plugins``) activated through the
``placette_extra_plugins`` fixture, exactly as an installed distribution would be.
"""
from __future__ import annotations

import logging

import pytest

import placette
from placette import Action, EventType, PluginError
from placette.models import AuditEntry, Module

from gate_plugins import (alpha_plugin, beta_plugin, broken_plugin, make_plugin, shy_plugin,
                          stubborn_plugin)


@pytest.fixture
def placette_extra_plugins():
    return {"alpha": alpha_plugin(), "beta": beta_plugin(), "broken": broken_plugin(),
            "stubborn": stubborn_plugin(), "shy": shy_plugin()}


@pytest.fixture
def admin(make_user):
    return make_user("admin@example.org", "City Admin", admin=True)


# -- enabled per space: disabled means gone -----------------------------------------------------

def test_disabled_module_is_gone_everywhere_and_its_data_is_kept(client, make_space, make_user,
                                                                 sign_in, admin):
    space = make_space("nord", visibility="public", plugins=["alpha"],
                       settings={"alpha": {"limit": 42}})
    sign_in(make_user(member_of=space))
    home = client.get("/s/nord").get_data(as_text=True)
    assert "Alpha things" in home and "alpha says hello" in home
    assert "limit 42" in client.get("/s/nord/alpha/").get_data(as_text=True)
    assert client.get("/api/v1/spaces/nord/alpha/items").get_json() == [{"space": "nord",
                                                                         "item": 1}]
    assert "alpha" in client.get("/api/v1/spaces/nord").get_json()["modules"]

    sign_in(admin)
    response = client.put("/api/v1/spaces/nord/modules/alpha", json={"enabled": False})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["changes"]["disabled"] == ["alpha"]

    home = client.get("/s/nord").get_data(as_text=True)
    assert "Alpha things" not in home and "alpha says hello" not in home
    assert client.get("/s/nord/alpha/").status_code == 404
    api = client.get("/api/v1/spaces/nord/alpha/items")
    assert api.status_code == 404 and api.get_json()["error"]["code"] == "not_found"
    assert "alpha" not in client.get("/api/v1/spaces/nord").get_json()["modules"]
    # Data kept: switching it back on brings the settings back.
    assert Module.get(space=space, plugin="alpha").settings["limit"] == 42
    client.put("/api/v1/spaces/nord/modules/alpha", json={"enabled": True})
    assert "limit 42" in client.get("/s/nord/alpha/").get_data(as_text=True)


def test_a_module_off_in_one_space_stays_on_in_another(client, make_space, make_user, sign_in):
    make_space("on", visibility="public", plugins=["alpha"])
    make_space("off", visibility="public")
    assert client.get("/s/on/alpha/").status_code == 200
    assert client.get("/s/off/alpha/").status_code == 404
    assert "Alpha things" not in client.get("/s/off").get_data(as_text=True)


def test_module_guard_keeps_space_visibility(client, make_space, make_user, sign_in):
    make_space("secret", visibility="private", plugins=["alpha"])
    sign_in(make_user())
    assert client.get("/s/secret/alpha/").status_code == 404
    assert client.get("/api/v1/spaces/secret/alpha/items").status_code == 404


# -- requires -----------------------------------------------------------------------------------

def test_enabling_pulls_requirements_in_and_disabling_a_required_one_is_refused(
        client, make_space, sign_in, admin):
    space = make_space("sud")
    sign_in(admin)
    response = client.put("/api/v1/spaces/sud/modules/beta", json={"enabled": True})
    assert response.status_code == 200
    assert response.get_json()["changes"]["enabled"] == ["alpha", "beta"]
    assert placette.enabled_plugins(space) >= {"alpha", "beta"}

    refused = client.put("/api/v1/spaces/sud/modules/alpha", json={"enabled": False})
    assert refused.status_code == 409
    error = refused.get_json()["error"]
    assert error["code"] == "required_by" and error["details"] == {"required_by": ["beta"]}
    assert "beta" in error["message"]
    assert Module.get(space=space, plugin="alpha").enabled

    cascaded = client.put("/api/v1/spaces/sud/modules/alpha",
                          json={"enabled": False, "cascade": True})
    assert cascaded.status_code == 200
    assert sorted(cascaded.get_json()["changes"]["disabled"]) == ["alpha", "beta"]
    assert client.get("/s/sud/beta/").status_code == 404


def test_requires_in_the_modules_page(client, make_space, sign_in, admin):
    make_space("est")
    sign_in(admin)
    page = client.get("/s/est/manage/modules").get_data(as_text=True)
    assert "needs alpha" in page.replace("needs ", "needs ")
    response = client.post("/s/est/manage/modules/beta", data={"enabled": "1"},
                           follow_redirects=True)
    text = response.get_data(as_text=True)
    assert "alpha, beta" in text  # the flash says both were switched on
    response = client.post("/s/est/manage/modules/alpha", data={"enabled": "0"},
                           follow_redirects=True)
    text = response.get_data(as_text=True)
    assert "beta" in text and "cascade" in text  # refused, and says how to go on
    assert client.get("/s/est/beta/").status_code == 200
    response = client.post("/s/est/manage/modules/alpha", data={"enabled": "0", "cascade": "1"},
                           follow_redirects=True)
    assert client.get("/s/est/beta/").status_code == 404
    assert client.get("/s/est/alpha/").status_code == 404


def test_a_plugin_requiring_a_plugin_not_activated_stops_start_up(app_factory):
    with pytest.raises(PluginError, match="'beta' requires 'alpha'"):
        app_factory({"beta": beta_plugin()})


# -- settings -----------------------------------------------------------------------------------

def test_settings_are_validated_in_the_api(client, make_space, sign_in, admin):
    space = make_space("ouest", plugins=["alpha"])
    sign_in(admin)
    bad = client.put("/api/v1/spaces/ouest/modules/alpha",
                     json={"enabled": True, "settings": {"limit": 0, "mode": "half"}})
    assert bad.status_code == 422
    error = bad.get_json()["error"]
    assert error["code"] == "invalid_settings"
    assert {d["field"] for d in error["details"]} == {"limit", "mode"}
    unknown = client.put("/api/v1/spaces/ouest/modules/alpha",
                         json={"enabled": True, "settings": {"colour": "red"}})
    assert unknown.status_code == 422 and "colour" in unknown.get_json()["error"]["message"]
    wrong_type = client.put("/api/v1/spaces/ouest/modules/alpha",
                            json={"enabled": True, "settings": {"limit": "many"}})
    assert wrong_type.status_code == 422
    assert placette.settings_of(space, "alpha").limit == 10  # nothing written

    good = client.put("/api/v1/spaces/ouest/modules/alpha",
                      json={"enabled": True, "settings": {"limit": 5, "mode": "closed"}})
    assert good.status_code == 200
    assert good.get_json()["settings"] == {"limit": 5, "mode": "closed", "label": "Things",
                                           "notify": True}
    assert "limit 5" in client.get("/s/ouest/alpha/").get_data(as_text=True)


def test_settings_form_is_generated_from_the_schema(client, make_space, sign_in, admin):
    make_space("centre", plugins=["alpha"])
    sign_in(admin)
    page = client.get("/s/centre/manage/modules/alpha/settings").get_data(as_text=True)
    assert '<label for="limit">Items per page</label>' in page
    assert "How many items a page shows." in page
    assert '<select' in page and 'value="closed"' in page
    assert 'type="checkbox"' in page and 'name="notify"' in page

    response = client.post("/s/centre/manage/modules/alpha/settings",
                           data={"limit": "500", "mode": "open", "label": "Stuff"})
    assert response.status_code == 200  # the form again, with the error on its field
    page = response.get_data(as_text=True)
    assert 'aria-invalid="true"' in page and "less than or equal to 100" in page
    assert 'value="Stuff"' in page  # what was typed is kept
    assert "limit 10" in client.get("/s/centre/alpha/").get_data(as_text=True)

    response = client.post("/s/centre/manage/modules/alpha/settings",
                           data={"limit": "", "mode": "open", "label": "Stuff"})
    assert response.status_code == 200 and "whole number" in response.get_data(as_text=True)

    response = client.post("/s/centre/manage/modules/alpha/settings",
                           data={"limit": "7", "mode": "closed", "label": "Stuff"})
    assert response.status_code == 302
    assert "limit 7" in client.get("/s/centre/alpha/").get_data(as_text=True)
    entry = AuditEntry.select().where(AuditEntry.action == "space.module.configure").get()
    assert entry.after["limit"] == 7 and entry.after["notify"] is False


def test_settings_of_unknown_or_inactive_plugin_is_404(client, make_space, sign_in, admin):
    make_space("vide")
    sign_in(admin)
    assert client.get("/s/vide/manage/modules/nope/settings").status_code == 404
    response = client.put("/api/v1/spaces/vide/modules/nope", json={"enabled": True})
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "unknown_plugin"


# -- vetoes -------------------------------------------------------------------------------------

def test_a_plugin_may_veto_being_disabled(client, make_space, sign_in, admin):
    space = make_space("veto", plugins=["stubborn"])
    sign_in(admin)
    response = client.put("/api/v1/spaces/veto/modules/stubborn", json={"enabled": False})
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "vetoed"
    assert placette.is_enabled(space, "stubborn")
    page = client.post("/s/veto/manage/modules/stubborn", data={"enabled": "0"},
                       follow_redirects=True).get_data(as_text=True)
    assert "refuses to be disabled" in page
    assert placette.is_enabled(space, "stubborn")


def test_a_plugin_may_veto_being_enabled(client, make_space, sign_in, admin):
    space = make_space("hidden", visibility="private")
    make_space("open", visibility="public")
    sign_in(admin)
    response = client.put("/api/v1/spaces/hidden/modules/shy", json={"enabled": True})
    assert response.status_code == 409 and "shy" in response.get_json()["error"]["message"]
    assert not placette.is_enabled(space, "shy")
    assert client.put("/api/v1/spaces/open/modules/shy",
                      json={"enabled": True}).status_code == 200


# -- failing hooks ------------------------------------------------------------------------------

def test_a_plugin_raising_in_render_slot_or_nav_items_is_logged_and_skipped(
        client, make_space, make_user, sign_in, caplog):
    make_space("robust", visibility="public", plugins=["broken", "alpha"])
    sign_in(make_user())
    with caplog.at_level(logging.ERROR, logger="placette.plugins"):
        response = client.get("/s/robust")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "alpha says hello" in page and "Alpha things" in page  # the others still render
    failed = {r.args[:2] for r in caplog.records if r.args and len(r.args) >= 2}
    assert ("broken", "render_slot") in failed and ("broken", "nav_items") in failed
    assert any("broken" in r.getMessage() for r in caplog.records)
    assert client.get("/").status_code == 200  # dashboard slots too


def test_a_plugin_raising_in_permission_check_denies(client, make_space, make_user, sign_in):
    space = make_space("deny", visibility="public", plugins=["broken"])
    member = make_user(member_of=space)
    assert not placette.can(member, "broken.do", space)
    assert not placette.can(member, "space.members.view", space)
    sign_in(member)
    assert client.get("/s/deny/members").status_code == 404
    # Where the module is off, its hooks are not asked: the member list is back.
    other = make_space("fine", visibility="public")
    placette.Membership.create(user=member, space=other, role="member")
    from placette.roles import forget_roles
    forget_roles(member)
    assert placette.can(member, "space.members.view", other)
    assert client.get("/s/fine/members").status_code == 200


def test_a_vote_never_grants_an_undeclared_action(app_factory, make_space):
    votes_yes = make_plugin("yes", permission_check=lambda actor, action, target, space: True)
    app = app_factory({"yes": votes_yes})
    with app.app_context():
        from placette.spaces import create_space
        space = create_space("x", "X", "neighbourhood", "public")
        from placette.modules import set_module
        set_module(space, "yes", True)
        assert placette.can(None, "space.members.manage", space)  # a True grants beyond roles
        assert not placette.can(None, "yes.undeclared", space)  # but never an undeclared action


def test_a_vote_taking_some_of_the_hooks_arguments_is_asked_with_those(app_factory,
                                                                         make_space):
    """A plugin's ``permission_check`` may take only the arguments it reads (pluggy allows it);
    the registry then passes it those, and its vote counts like any other."""
    def permission_check(action, space):
        return False if action == "space.members.view" and space.slug == "closed" else None

    app = app_factory({"picky": make_plugin("picky", permission_check=permission_check)})
    with app.app_context():
        from placette.modules import set_module
        from placette.spaces import create_space
        closed = create_space("closed", "Closed", "neighbourhood", "public")
        open_ = create_space("open", "Open", "neighbourhood", "public")
        for space in (closed, open_):
            set_module(space, "picky", True)
        admin = placette.User.create(email="a@example.org", display_name="A", is_admin=True)
        assert not placette.can(admin, "space.members.view", closed)  # its veto wins
        assert placette.can(admin, "space.members.view", open_)  # it abstains: roles decide


# -- start-up validation: clashes and mistakes name the plugin ----------------------------------

def _named(name, **hooks):
    return {name: make_plugin(name, **hooks)}


@pytest.mark.parametrize("plugins, message", [
    (_named("gamma", register_actions=lambda: [Action("alpha.steal", "member")]),
     "plugin 'gamma': Action 'alpha.steal' must be prefixed with 'gamma.'"),
    (_named("gamma", register_events=lambda: [EventType("space.created", "x")]),
     "plugin 'gamma': EventType 'space.created' must be prefixed with 'gamma.'"),
    (_named("gamma", register_resource_kinds=lambda: [
        placette.ResourceKind("alpha", "thing", "Thing")]), "plugin 'gamma'"),
    (_named("gamma", nav_itemz=lambda space, actor: []), "plugin 'gamma': unknown hook 'nav_itemz'"),
    (_named("gamma", nav_items=lambda space, actr: []), "plugin 'gamma'"),
    (_named("gamma", register_actions=lambda: ["not an action"]),
     "plugin 'gamma': register_actions() must return Action objects"),
    (_named("gamma", register_actions=lambda: 1 / 0), "plugin 'gamma': register_actions() raised"),
])
def test_start_up_refuses_plugin_mistakes_with_a_clear_error(app_factory, plugins, message):
    with pytest.raises(PluginError) as caught:
        app_factory(plugins)
    assert message in str(caught.value)


def test_start_up_refuses_a_table_without_the_plugin_prefix(app_factory):
    class Stolen(placette.BaseModel):
        class Meta:
            table_name = "placette_user_copy"
    with pytest.raises(PluginError, match="plugin 'gamma': table 'placette_user_copy'"):
        app_factory(_named("gamma", register_models=lambda: [Stolen]))


def test_start_up_refuses_a_blueprint_without_the_plugin_prefix(app_factory):
    from flask import Blueprint
    with pytest.raises(PluginError, match="plugin 'gamma': blueprint 'admin2'"):
        app_factory(_named("gamma", register_blueprints=lambda: [Blueprint("admin2", __name__)]))


def test_start_up_refuses_a_blueprint_taking_another_route(app_factory):
    from flask import Blueprint

    def blueprints():
        bp = Blueprint("gamma", __name__)
        bp.add_url_rule("/admin/", "hijack", lambda: "hijacked")
        return [bp]
    with pytest.raises(PluginError, match=r"plugin 'gamma'.*'/admin/'.*admin"):
        app_factory(_named("gamma", register_blueprints=blueprints))


def test_start_up_refuses_an_api_path_outside_the_plugin_prefix(app_factory):
    def register_api(api):
        @api.route("/users/extra", summary="x")
        def extra():
            return {}
    with pytest.raises(PluginError, match=r"plugin 'gamma': API path /users/extra"):
        app_factory(_named("gamma", register_api=register_api))


def test_two_plugins_claiming_one_path_under_me_are_refused(app_factory):
    """``/me/...`` is open to plugins (the signed-in person's own things: sms's
    ``/me/phone``), first come first served."""
    def register_api(api):
        @api.route("/me/extra", summary="x")
        def extra():
            return {}
    with pytest.raises(PluginError, match=r"API path /me/extra is already declared by"):
        app_factory({**_named("gamma", register_api=register_api),
                     **_named("delta", register_api=register_api)})


def test_start_up_refuses_an_api_path_clash(app_factory):
    def register_api(api):
        @api.space_route("alpha", "/items", summary="x")
        def items(space):
            return []
    with pytest.raises(PluginError, match=r"plugin 'gamma'.*/spaces/<slug>/alpha"):
        app_factory({"alpha": alpha_plugin(), **_named("gamma", register_api=register_api)})


def test_start_up_refuses_a_cli_group_not_named_after_the_plugin(app_factory):
    def register_commands(cli):
        @cli.group("users")
        def users():
            """Steals the kernel's users group."""
    with pytest.raises(PluginError, match=r"plugin 'gamma': command 'users'"):
        app_factory(_named("gamma", register_commands=register_commands))


def test_a_well_prefixed_plugin_starts(app_factory):
    def register_commands(cli):
        @cli.group("gamma")
        def gamma():
            """Gamma's commands."""

    def register_api(api):
        @api.route("/gamma/stats", summary="City-wide stats", plugin="gamma")
        def stats():
            return {}
    app = app_factory(_named("gamma", register_commands=register_commands,
                             register_api=register_api,
                             register_actions=lambda: [Action("gamma.do", "member")]))
    assert "/api/v1/gamma/stats" in app.extensions["placette"].services["openapi"]["paths"]


def test_manifest_name_must_match_the_entry_point(app_factory):
    with pytest.raises(PluginError, match="entry point name and the manifest name must agree"):
        app_factory({"delta": make_plugin("epsilon")})


def test_a_plugin_named_like_a_kernel_blueprint_is_refused(app_factory):
    from flask import Blueprint
    with pytest.raises(PluginError, match="plugin 'admin'"):
        app_factory(_named("admin", register_blueprints=lambda: [Blueprint("admin", __name__)]))
