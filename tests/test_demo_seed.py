"""Seeding the demo city: every plugin's seed runs and is reported, a broken one stops the demo
with its name instead of leaving a city that silently lacks its content; and with the plugins
shipped with placette, every space -- public, members-only, private -- shows content of every
module enabled there, with activity and notifications (issue 17, point 8)."""
from __future__ import annotations

import pytest

from placette import PluginManifest, hookimpl
from placette.errors import PluginError


class QuietSeeder:
    """A plugin whose seed returns nothing, as most do."""
    seeded = 0

    @hookimpl
    def register_manifest(self):
        return PluginManifest(name="quiet", title="Quiet")

    @hookimpl
    def seed_demo(self, city):
        QuietSeeder.seeded += 1
        assert "ville" in city.spaces


class BrokenSeeder:
    @hookimpl
    def register_manifest(self):
        return PluginManifest(name="broken", title="Broken")

    @hookimpl
    def seed_demo(self, city):
        raise RuntimeError("the sample file is missing")


def _whole_city(request) -> bool:
    return "whole_city" in request.node.name


@pytest.fixture
def placette_plugins(request):
    """The whole-city tests run every installed plugin, as ``placette demo`` does."""
    if not _whole_city(request):
        return []
    from placette.plugin_manager import installed_plugins
    return sorted(installed_plugins())


@pytest.fixture
def placette_extra_plugins(request):
    if _whole_city(request):
        return {}
    plugins = {"quiet": QuietSeeder()}
    if "broken" in request.node.name:
        plugins["broken"] = BrokenSeeder()
    return plugins


def test_every_seeding_plugin_is_called_once_and_reported(app):
    from placette.demo.city import seed
    QuietSeeder.seeded = 0
    lines = []
    seed("demo-password", log=lines.append)
    assert QuietSeeder.seeded == 1
    assert "  seeded quiet" in lines


def test_a_broken_seed_stops_the_demo_and_names_the_plugin(app):
    from placette.demo.city import seed
    with pytest.raises(PluginError, match="plugin 'broken'.*the sample file is missing"):
        seed("demo-password", log=lambda *_: None)


# -- the whole city: something behind every door ----------------------------------------------

def _content_checks():
    """Per module: what a space with it enabled must hold, as ``{what: query}`` (each query
    counts rows of that space).  A module not listed here must have published resources."""
    from peewee import fn

    checks = {}

    def agenda(space, now):
        from placette_plugins.agenda.models import Meeting, MeetingOccurrence, Minutes
        mine = Meeting.select(Meeting.id).where(Meeting.space == space.id)
        return {
            "a past meeting with minutes": Minutes.select().join(
                Meeting, on=(Minutes.meeting == Meeting.id)).where(Meeting.space == space.id)
            .where(Minutes.text != "").count(),
            "an upcoming meeting": MeetingOccurrence.select().where(
                MeetingOccurrence.meeting.in_(mine) & (MeetingOccurrence.starts_at > now)
                & (MeetingOccurrence.status != "cancelled")).count()}

    def documents(space, now):
        from placette_plugins.documents.models import Document, Folder, Version
        versioned = (Version.select(Version.document).join(
            Document, on=(Version.document == Document.id)).where(Document.space == space.id)
            .group_by(Version.document).having(fn.COUNT(Version.id) > 1))
        return {"a folder": Folder.select().where(Folder.space == space.id).count(),
                "a document in a folder": Document.select().where(
                    (Document.space == space.id) & Document.folder.is_null(False)).count(),
                "a document with versions": versioned.count()}

    def pages(space, now):
        from placette_plugins.pages.models import Page
        return {"a page": Page.select().where(Page.space == space.id).count()}

    def showcase(space, now):
        # The window is off by default: where the demo switches it on, it shows something.
        from placette_plugins.showcase.models import Item
        return {"a shown item": Item.select().where(
            (Item.space == space.id) & (Item.state == "shown")).count()}

    def sms(space, now):
        # Texts are not registry resources: the animators' log of the space must list some.
        from placette_plugins.sms.models import Message
        return {"a text in the log": Message.select().where(Message.space == space.id).count()}

    checks.update(agenda=agenda, documents=documents, pages=pages, showcase=showcase, sms=sms)
    return checks


def _seed_whole_city(app):
    """Seed as ``placette demo`` does: tasks queued, not run inline (the seed dispatches the
    events itself at the end; mails and file processing would only slow the test down)."""
    from placette.demo.city import seed
    app.extensions["placette"].queue.huey.immediate = False
    try:
        return seed("demo-password", log=lambda _m: None)
    finally:
        app.extensions["placette"].queue.huey.immediate = True


def test_whole_city_every_space_shows_content_of_every_enabled_module(app):
    from placette import utcnow
    from placette.models import Event, Module, Notification, Resource, Space
    from placette.plugin_manager import KERNEL
    _seed_whole_city(app)
    now = utcnow()
    checks = _content_checks()
    missing = []
    spaces = list(Space.select().order_by(Space.id))
    assert {s.visibility for s in spaces} >= {"public", "network", "members", "private"}
    for space in spaces:
        modules = [m.plugin for m in Module.select().where(
            (Module.space == space.id) & Module.enabled & (Module.plugin != KERNEL))]
        assert modules, space.slug
        for plugin in modules:
            if plugin in checks:
                found = checks[plugin](space, now)
            else:
                found = {"published items": Resource.select().where(
                    (Resource.space == space.id) & (Resource.plugin == plugin)).count()}
            missing += [f"{space.slug} ({space.visibility}): {plugin}: {what}"
                        for what, count in found.items() if not count]
        events = Event.select(Event.id).where(Event.space == space.id)
        if not events.count():
            missing.append(f"{space.slug}: activity")
        if not Notification.select().where(Notification.event.in_(events)).count():
            missing.append(f"{space.slug}: notifications")
    assert not missing, "\n".join(missing)
    from placette_plugins.showcase.models import File, Item
    galleries = Item.select().where((Item.category == "gallery") & (Item.state == "shown"))
    assert galleries.exists(), "the demo window shows a photo gallery"
    assert File.select().where(File.item.in_(galleries) & (File.alt != "")).count() >= 2


def test_whole_city_members_and_guests_see_their_spaces_from_inside(app, client, sign_in):
    """Martine (membre@) reads minutes in her members-only council and not the private group;
    Paul (invite@, a guest) reads the private drafting group's working documents, meetings,
    minutes, and his notifications about them."""
    from placette.models import Space, User
    from placette_plugins.agenda.models import Meeting, Minutes
    from placette_plugins.documents.models import Document, Folder
    _seed_whole_city(app)

    def minutes_page(slug: str) -> str:
        row = (Minutes.select(Minutes, Meeting).join(Meeting)
               .where(Meeting.space == Space.get(Space.slug == slug).id).first())
        query = f"?occurrence={row.occurrence}" if row.occurrence else ""
        return f"/s/{slug}/agenda/{row.meeting.id}{query}"

    sign_in(User.get(User.email == "membre@example.org"))
    page = client.get(minutes_page("personnes-handicapees"))
    assert page.status_code == 200 and "Points abordés" in page.get_data(as_text=True)
    library = client.get("/s/personnes-handicapees/documents/").get_data(as_text=True)
    assert "Comptes rendus" in library
    assert client.get("/s/avis-budget/documents/").status_code == 404
    assert client.get(minutes_page("avis-budget")).status_code == 404

    sign_in(User.get(User.email == "invite@example.org"))
    group = Space.get(Space.slug == "avis-budget")
    folder = Folder.get((Folder.space == group.id) & (Folder.name == "Documents de travail"))
    listing = client.get(f"/s/avis-budget/documents/folders/{folder.id}").get_data(as_text=True)
    assert "Projet d" in listing and "Synthèse des contributions" in listing
    draft = Document.get((Document.space == group.id) & Document.title.startswith("Projet d"))
    assert client.get(f"/s/avis-budget/documents/files/{draft.id}/versions/3/download"
                      ).status_code == 200
    agenda = client.get("/s/avis-budget/agenda/").get_data(as_text=True)
    assert "Séance de relecture" in agenda
    page = client.get(minutes_page("avis-budget"))
    assert page.status_code == 200 and "Points abordés" in page.get_data(as_text=True)
    inbox = client.get("/notifications").get_data(as_text=True)
    assert "Rédaction de l" in inbox


def test_whole_city_a_crawl_of_the_private_group_gives_a_non_member_nothing(app, client,
                                                                            sign_in):
    """Every page and API answer the animator reaches inside the private drafting group -- every
    module: agenda, documents, pages, discussions, voting, drafting, sms, showcase, keys -- answers 404 to a member of
    another council and to an anonymous visitor, and none of them is named in what they get."""
    import re
    from urllib.parse import urljoin, urlsplit

    from placette.models import Space, User
    _seed_whole_city(app)
    group = Space.get(Space.slug == "avis-budget")
    inside = f"/s/{group.slug}"

    sign_in(User.get(User.email == "animatrice@example.org"))
    seen, queue, reached = set(), [inside, f"/api/v1/spaces/{group.slug}"], []
    while queue and len(reached) < 400:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        answer = client.get(url)
        if answer.status_code != 200:
            continue
        reached.append(url)
        if "html" not in (answer.content_type or ""):
            continue
        for href in re.findall(r'href="([^"#]+)', answer.get_data(as_text=True)):
            parts = urlsplit(urljoin(url, href.replace("&amp;", "&")))
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if parts.path.startswith(inside + "/") and "sign-out" not in target:
                queue.append(target)
    modules = {path.split("/")[3] for path in reached if path.startswith(inside + "/")
               and len(path.split("/")) > 3}
    assert {"agenda", "documents", "discussions", "voting", "pages", "keys", "drafting", "sms",
            "showcase"} <= modules, modules
    assert len(reached) > 30, reached
    # the drafting group's newer pages are in the crawl too: a paragraph's own page
    assert any("/drafting/" in path and "/paragraphs/" in path for path in reached), reached

    def nothing_for(who: str, browser) -> None:
        """404, or exactly what the same address in a space that does not exist answers (a
        page that needs signing in first sends anyone to sign in, existing space or not)."""
        for url in reached:
            answer = browser.get(url)
            assert group.name not in answer.get_data(as_text=True), (who, url)
            if answer.status_code == 404:
                continue
            twin = browser.get(url.replace(group.slug, "nulle-part-xyz"))
            assert (answer.status_code, answer.headers.get("Location", "").replace(
                group.slug, "nulle-part-xyz")) == (twin.status_code, twin.headers.get(
                    "Location", "")), (who, url, answer.status_code, twin.status_code)
            assert answer.status_code in (302, 401), (who, url, answer.status_code)

    sign_in(User.get(User.email == "membre@example.org"))
    nothing_for("member of another council", client)
    nothing_for("anonymous visitor", app.test_client())
