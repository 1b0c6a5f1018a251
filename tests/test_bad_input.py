"""Bad input: script in names is escaped, Markdown is sanitised, failures write nothing, and no
input -- however odd -- produces a 500 (a small deterministic fuzz of every API endpoint)."""
from __future__ import annotations

import itertools
from html.parser import HTMLParser
import re

import pytest

import placette
from placette.models import AuditEntry, Module, Space
from placette.modules import ModuleError, set_module

from gate_plugins import alpha_plugin, make_plugin

NASTY_NAME = '<script>alert("name")</script><img src=x onerror=alert(1)>'
NASTY_DESCRIPTION = ('Hello <script>alert("d")</script> <b onclick="x()">bold</b>\n\n'
                     '[click](javascript:alert(1)) <iframe src="//evil"></iframe>')


def picky_plugin():
    """Requires alpha, and refuses to be switched on anywhere: enabling it must leave alpha off."""
    def permission_check(actor, action, target, space):
        if action == "space.modules.manage" and isinstance(target, dict) \
                and target.get("plugin") == "picky" and target.get("enable"):
            return False
        return None
    return make_plugin("picky", requires=("alpha",), permission_check=permission_check)


@pytest.fixture
def placette_extra_plugins():
    return {"alpha": alpha_plugin(), "picky": picky_plugin()}


class _LiveMarkup(HTMLParser):
    """Collects what a browser would run: script elements with our payload, event-handler
    attributes, iframes and javascript: links."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        if tag in ("iframe", "img") and any(k == "onerror" or "evil" in (v or "")
                                            for k, v in attrs):
            self.found.append(f"<{tag}>")
        if tag == "b":
            self.found.append("<b> from user text")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"{tag} {name}")
            if name in ("href", "src") and (value or "").strip().lower().startswith("javascript"):
                self.found.append(f"{tag} {name}={value}")
        self._in_script = tag == "script"

    def handle_data(self, data):
        if self._in_script and "alert" in data:
            self.found.append("script")

    def handle_endtag(self, tag):
        self._in_script = False


def assert_no_live_markup(page: str) -> None:
    parser = _LiveMarkup()
    parser.feed(page)
    assert parser.found == [], parser.found


def test_script_in_names_and_descriptions_is_escaped_everywhere(client, make_space, make_user,
                                                                sign_in):
    space = make_space("xss", visibility="public", name=NASTY_NAME)
    Space.update(description=NASTY_DESCRIPTION).where(Space.id == space.id).execute()
    make_space("child", visibility="public", parents=[space], name=NASTY_NAME + " child")
    admin = make_user(admin=True, member_of=space, role="admin", name=NASTY_NAME)
    sign_in(admin)
    for path in ("/s/xss", "/s/child", "/spaces", "/", "/admin/spaces", "/admin/users",
                 "/s/xss/members", "/s/xss/manage/members", "/s/xss/manage/edit",
                 "/admin/audit", "/s/xss/manage/modules"):
        response = client.get(path)
        assert response.status_code == 200, path
        page = response.get_data(as_text=True)
        assert_no_live_markup(page)
        assert "&lt;script&gt;" in page or "&lt;script&gt;" in page.replace("&#34;", '"'), path
    home = client.get("/s/xss").get_data(as_text=True)
    assert "bold" in home and "Hello" in home  # the text is kept, shown as text
    # The API returns the text as data (JSON-escaped, served as application/json).
    detail = client.get("/api/v1/spaces/xss")
    assert detail.mimetype == "application/json"
    assert detail.get_json()["name"] == NASTY_NAME
    sign_in(make_user())
    assert_no_live_markup(client.get("/s/xss").get_data(as_text=True))


def test_a_space_form_with_script_is_saved_as_text_and_shown_escaped(client, make_user,
                                                                     sign_in):
    sign_in(make_user(admin=True, language="en"))
    response = client.post("/admin/spaces/new", data={
        "name": NASTY_NAME, "slug": "evil", "kind": "group", "visibility": "public",
        "description": NASTY_DESCRIPTION})
    assert response.status_code == 302
    assert Space.get(Space.slug == "evil").name == NASTY_NAME
    assert_no_live_markup(client.get("/s/evil").get_data(as_text=True))


def test_a_failed_switch_writes_nothing(app, make_space, make_user):
    space = make_space("atomic")
    admin = make_user(admin=True)
    with pytest.raises(ModuleError) as caught:
        set_module(space, "picky", True, actor=admin)
    assert caught.value.code == "vetoed"
    assert not placette.is_enabled(space, "alpha")  # the requirement it pulled in went back
    assert not Module.select().where((Module.space == space) & Module.enabled).exists()
    assert not AuditEntry.select().where(AuditEntry.action == "space.module.switch").exists()
    with pytest.raises(ModuleError):
        set_module(space, "alpha", True, {"limit": 1000}, actor=admin)
    assert not placette.is_enabled(space, "alpha")


def test_the_api_switch_writes_nothing_when_refused(client, make_space, make_user, sign_in):
    space = make_space("atomic-api")
    sign_in(make_user(admin=True))
    response = client.put("/api/v1/spaces/atomic-api/modules/picky", json={"enabled": True})
    assert response.status_code == 409
    assert client.get("/api/v1/spaces/atomic-api").get_json()["modules"] == []
    response = client.put("/api/v1/spaces/atomic-api/modules/alpha",
                          json={"enabled": True, "settings": {"limit": -1}})
    assert response.status_code == 422
    assert not placette.is_enabled(space, "alpha")


# -- no input produces a 500 --------------------------------------------------------------------

ODD_SEGMENTS = ["x", "nord", "%00", "..", "%2e%2e", "a" * 300, "é", "%F0%9F%92%A5", "%3Cscript%3E",
                "1e9", "-1", "null", "%20"]
ODD_QUERIES = ["", "page=0", "page=999999999999999999999", "per_page=-5", "kind=%3Cb%3E",
               "page=1&page=2", "q=%00", "action=%FF"]
ODD_BODIES = [None, "", "{", "null", "[]", "1", '"x"', "{}", '{"enabled": true}',
              '{"enabled": false, "cascade": true}', '{"enabled": true, "settings": null}',
              '{"enabled": true, "settings": {"limit": 1e400}}',
              '{"enabled": true, "settings": {"limit": 99999999999999999999999}}',
              '{"enabled": true, "settings": {"label": "\\u0000"}}',
              '{"enabled": [' * 50 + ']' * 50 + '}', b'\xed\xa0\x80', b"\xff\xfe",
              "\x00\x01"]


def test_no_api_input_produces_a_500(client, make_space, make_user, sign_in):
    make_space("nord", visibility="public", plugins=["alpha"])
    sign_in(make_user(admin=True))
    document = client.get("/api/openapi.json").get_json()
    checked = 0
    for path, operations in document["paths"].items():
        params = re.findall(r"{(\w+)}", path)
        for method in operations:
            for values in itertools.islice(itertools.product(ODD_SEGMENTS, repeat=len(params)),
                                           40):
                concrete = path
                for name, value in zip(params, values):
                    concrete = concrete.replace("{" + name + "}", value, 1)
                for query in ODD_QUERIES[:3] if params else ODD_QUERIES:
                    url = concrete + ("?" + query if query else "")
                    bodies = ODD_BODIES if method in ("post", "put", "patch") else [None]
                    for body in bodies:
                        response = client.open(url, method=method.upper(), data=body,
                                               content_type="application/json")
                        assert response.status_code < 500, (method, url, body)
                        if response.status_code >= 400:
                            assert response.get_json()["error"]["code"], (method, url)
                        checked += 1
    assert checked > 500


def test_no_page_input_produces_a_500(client, make_space, make_user, sign_in):
    space = make_space("nord", visibility="public", plugins=["alpha"])
    sign_in(make_user(admin=True, member_of=space, role="admin"))
    pages = ["/", "/spaces", "/s/nord", "/s/nord/members", "/s/nord/manage/",
             "/s/nord/manage/members", "/s/nord/manage/modules", "/s/nord/manage/grants",
             "/s/nord/manage/edit", "/s/nord/manage/invitations", "/s/nord/manage/requests",
             "/s/nord/manage/modules/alpha/settings", "/admin/", "/admin/spaces",
             "/admin/users", "/admin/audit", "/admin/spaces/new", "/s/nord/alpha/"]
    for page, query in itertools.product(pages, ODD_QUERIES):
        response = client.get(page + ("?" + query if query else ""))
        assert response.status_code < 500, (page, query)
    posts = {"/s/nord/manage/members/999999": {"m999999-role": "emperor"},
             "/s/nord/manage/members/abc": {}, "/s/nord/manage/grants": {"x": "y" * 10000},
             "/s/nord/manage/modules/alpha/settings": {"limit": "1e999", "mode": "\x00"},
             "/s/nord/manage/modules/zzz": {"enabled": "1"},
             "/s/nord/manage/edit": {"name": "x" * 10000, "kind": "\x00", "parents": ["a"]},
             "/s/nord/manage/invitations": {"emails": "a@b\x00.c", "role": "guest",
                                            "guest_until": "31/02/2020"},
             "/s/nord/manage/requests/1": {"decision": "maybe"},
             "/s/nord/join": {"message": "x" * 5000},
             "/admin/spaces/new": {"name": "\x00", "slug": "-", "kind": "", "parents": ["-1"]},
             "/admin/users/999999/suspend": {"reason": ""}}
    for url, data in posts.items():
        response = client.post(url, data=data)
        assert response.status_code < 500, url


def test_nul_characters_are_refused_clearly(client, make_space, make_user, sign_in):
    """PostgreSQL cannot hold NUL: refused up front on both engines, never a 500."""
    make_space("nord", visibility="public")
    sign_in(make_user(admin=True))
    assert client.get("/s/nord%00").status_code == 404
    response = client.get("/api/v1/spaces?kind=a%00b")
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "invalid_characters"
    response = client.put("/api/v1/spaces/nord/modules/alpha",
                          data='{"enabled": true, "settings": {"label": "a\\u0000b"}}',
                          content_type="application/json")
    assert response.status_code == 400
    assert client.post("/admin/spaces/new", data={"name": "a\x00b", "slug": "nul",
                                                  "kind": "group"}).status_code == 400
    assert not Space.select().where(Space.slug == "nul").exists()


# -- ids beyond what the database holds ----------------------------------------------------------

BEYOND = [str(placette.MAX_ID + 1), "68887949405101080576", "9" * 400]


class TestIdsOutOfRange:
    """An id in a URL beyond 2^63-1 cannot name anything: every route answers 404 (SQLite cannot
    even hold the integer, and the query used to fail: a 500)."""

    @pytest.fixture
    def placette_plugins(self):
        return ["agenda", "documents", "keys"]

    @pytest.fixture
    def placette_extra_plugins(self):
        return {}  # the demo city enables every plugin: picky would refuse

    @pytest.fixture
    def seeded(self, demo_city, make_user, make_space):
        from placette_keys.models import Room
        from placette_plugins.agenda.models import Meeting
        from placette_plugins.documents.models import Document
        from placette.identity.tokens import create_token
        admin = demo_city.accounts["admin"]
        meeting = Meeting.select().order_by(Meeting.id).first()
        document = Document.select().order_by(Document.id).first()
        room = Room.select().order_by(Room.id).first()
        return {"token": create_token(admin), "admin": admin,
                "meeting": (meeting.space.slug, meeting.id),
                "document": (document.space.slug, document.id),
                "room": (Space.get_by_id(room.space_id).slug, room.id)}

    def urls(self, seeded, value: str | None = None) -> list[tuple[str, str]]:
        """(method, url) of every route taking an id, ``value`` in place of the real ids."""
        m_space, meeting = seeded["meeting"]
        d_space, document = seeded["document"]
        r_space, room = seeded["room"]
        meeting, document, room = (value or meeting, value or document, value or room)
        version = value or 1
        api = "/api/v1/spaces"
        return [
            ("GET", f"{api}/{m_space}/agenda/meetings/{meeting}"),
            ("PATCH", f"{api}/{m_space}/agenda/meetings/{meeting}"),
            ("DELETE", f"{api}/{m_space}/agenda/meetings/{meeting}"),
            ("PUT", f"{api}/{m_space}/agenda/meetings/{meeting}/rsvp"),
            ("GET", f"{api}/{d_space}/documents/files/{document}"),
            ("GET", f"{api}/{d_space}/documents/files/{document}/download"),
            ("GET", f"{api}/{d_space}/documents/files/{document}/versions"),
            ("GET", f"{api}/{d_space}/documents/files/{document}/versions/{version}/download"),
            ("POST", f"{api}/{d_space}/documents/files/{document}/versions/{version}/restore"),
            ("GET", f"{api}/{r_space}/keys/rooms/{room}/handovers"),
            ("POST", f"{api}/{r_space}/keys/rooms/{room}/handover"),
            ("GET", f"/s/{m_space}/agenda/{meeting}"),
            ("GET", f"/s/{m_space}/agenda/{meeting}.ics"),
            ("POST", f"/s/{m_space}/agenda/{meeting}/rsvp"),
            ("GET", f"/s/{d_space}/documents/files/{document}"),
            ("GET", f"/s/{d_space}/documents/files/{document}/versions/{version}/download"),
            ("GET", f"/s/{r_space}/keys/rooms/{room}"),
        ]

    def test_every_id_beyond_2_63_answers_404(self, client, seeded):
        auth = {"Authorization": f"Bearer {seeded['token']}"}
        # The 404 is the range's: the same reads with ids that exist are found, and the
        # largest id the database holds is a plain "not found".
        for method, url in self.urls(seeded):
            if method == "GET":
                assert client.get(url, headers=auth).status_code == 200, url
        for method, url in self.urls(seeded, str(placette.MAX_ID)):
            if method == "GET":
                assert client.get(url, headers=auth).status_code == 404, url
        for value in BEYOND:
            for method, url in self.urls(seeded, value):
                response = client.open(url, method=method, headers=auth, json={})
                assert response.status_code == 404, (method, url[:120],
                                                      response.status_code)
                if url.startswith("/api/"):
                    assert response.get_json()["error"]["code"] == "not_found"

    def test_ids_in_query_strings_and_bodies_are_refused_clearly(self, client, seeded):
        auth = {"Authorization": f"Bearer {seeded['token']}"}
        d_space, document = seeded["document"]
        files = f"/api/v1/spaces/{d_space}/documents/files"
        for value in BEYOND + ["²", "-1", "0"]:
            response = client.get(f"{files}?folder_id={value}", headers=auth)
            assert response.status_code in (400, 404), value
        for value in BEYOND[:2]:
            response = client.get(f"{files}?folder_id={value}", headers=auth)
            assert response.get_json()["error"]["code"] == "invalid_parameter"
            for url, body in ((f"{files}/{document}", {"folder_id": int(value)}),
                              (f"/api/v1/spaces/{d_space}/documents/folders",
                               {"name": "x", "parent_id": int(value)}),
                              ("/api/v1/notifications/read", {"ids": [int(value)]})):
                method = "PATCH" if url.endswith(str(document)) else "POST"
                response = client.open(url, method=method, headers=auth, json=body)
                assert response.status_code == 422, (url, response.get_data(as_text=True))
                assert response.get_json()["error"]["code"] == "invalid_body"


class TestPageNumbersTypedByHand:
    """``?page=`` on an HTML list is read by ``placette.page_number``: a mangled value (``²``
    passes ``str.isdigit`` but not ``int``) shows the first page, never a 500."""

    @pytest.mark.parametrize("value", ["²", "-3", "0", "1" * 400, "١"])
    def test_a_mangled_page_number_shows_the_first_page(self, app, client, sign_in, make_user,
                                                         value):
        admin = make_user("pages-admin@example.org", admin=True)
        sign_in(admin)
        for path in ("/spaces", "/search?q=budget", "/admin/users", "/notifications",
                     "/moderation"):
            separator = "&" if "?" in path else "?"
            answer = client.get(f"{path}{separator}page={value}")
            assert answer.status_code in (200, 302), (path, answer.status_code)

    def test_page_number_reads_plain_numbers_only(self):
        from placette import page_number
        assert page_number("3") == 3
        assert page_number(None) == page_number("") == page_number("²") == 1
        assert page_number("100000") == 1
