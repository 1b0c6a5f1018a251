"""Moderation: reports, automatic hiding, pre-moderation, the animators' queue, decisions.

Whoever may not see a thing gets a 404; hidden and pending contributions vanish for everyone
but their author and the space's animators -- on pages, in search and in plugins' own lists.
"""
from __future__ import annotations

import pytest

from placette.db import query_counter
from placette.models import AuditEntry, Event, ModerationCase, Report, Resource, User
from placette.notes import publish_note
from placette.space_settings import set_space_settings, space_settings

from search_helpers import Book, BooksPlugin, titles


@pytest.fixture
def placette_extra_plugins():
    return {"books": BooksPlugin()}


@pytest.fixture
def council(make_space):
    return make_space("centre", visibility="network", plugins=["books"])


@pytest.fixture
def people(council, make_user):
    class People:
        animator = make_user(name="Karim", member_of=council, role="animator")
        author = make_user(name="Autrice", member_of=council)
        members = [make_user(member_of=council) for _ in range(4)]
    return People


def note_page(resource) -> str:
    return resource.url


def post_report(client, resource, reason="C'est insultant.", category="abuse"):
    return client.post("/report", query_string={"resource": resource.key},
                       data={"category": category, "reason": reason})


def test_anyone_signed_in_reports_from_the_resource_footer(client, council, people, sign_in):
    note = publish_note(council, people.author, "Propos déplacés", "…")
    sign_in(people.members[0])
    page = client.get(note.url).get_data(as_text=True)
    assert f'href="/report?resource={note.key}"' in page
    form = client.get("/report", query_string={"resource": note.key})
    assert form.status_code == 200 and "Propos déplacés" in form.get_data(as_text=True)
    response = post_report(client, note)
    assert response.status_code == 302 and response.headers["Location"] == note.url
    report = Report.get()
    assert (report.reporter_id, report.category, report.reason) == \
        (people.members[0].id, "abuse", "C'est insultant.")
    case = ModerationCase.get(ModerationCase.resource == note.id)
    assert case.open and case.report_count == 1
    review = Event.get(Event.name == "placette.moderation.review_needed")
    assert review.recipients == [people.animator.id]


def test_the_report_form_keeps_what_was_typed_when_incomplete(client, council, people, sign_in):
    note = publish_note(council, people.author, "Message", "")
    sign_in(people.members[0])
    response = post_report(client, note, reason="", category="other")
    assert response.status_code == 422
    assert "Say what is wrong." in response.get_data(as_text=True)
    long = post_report(client, note, reason="trop long " * 300, category="spam")
    assert long.status_code == 422 and "trop long trop long" in long.get_data(as_text=True)
    assert Report.select().count() == 0


def test_reporting_what_one_may_not_see_is_404(client, make_space, make_user, sign_in,
                                                sign_out):
    private = make_space("prive", visibility="private")
    author = make_user(member_of=private)
    note = publish_note(private, author, "Secret", "")
    stranger = make_user()
    sign_in(stranger)
    assert client.get("/report", query_string={"resource": note.key}).status_code == 404
    assert post_report(client, note).status_code == 404
    for key in ("placette.note:nope", "garbage", "", "a.b:" + "x" * 500):
        assert client.get("/report", query_string={"resource": key}).status_code == 404
    api = client.post("/api/v1/reports", json={"resource": note.key, "reason": "x"})
    assert api.status_code == 404 and api.get_json()["error"]["code"] == "not_found"
    sign_out()
    assert client.get("/report", query_string={"resource": note.key}).status_code == 302
    assert client.post("/api/v1/reports", json={"resource": note.key,
                                                "reason": "x"}).status_code == 401
    assert Report.select().count() == 0


def test_three_different_people_hide_it_until_review(client, council, people, sign_in):
    note = publish_note(council, people.author, "Insultes", "Texte insultant")
    for person in people.members[:2]:
        sign_in(person)
        post_report(client, note)
        post_report(client, note)               # the same person twice counts once
    assert Resource.get_by_id(note.id).state == "visible"
    sign_in(people.members[2])
    post_report(client, note)
    assert Resource.get_by_id(note.id).state == "hidden"
    audit = AuditEntry.get(AuditEntry.action == "moderation.auto_hide")
    assert audit.target == note.key and audit.after["reports"] == 3

    sign_in(people.members[3])                  # any other member: gone everywhere
    assert client.get(note.url).status_code == 404
    assert titles(client, "insultes") == []
    assert client.get("/report", query_string={"resource": note.key}).status_code == 404
    sign_in(people.author)                       # the author still sees it, and why
    page = client.get(note.url).get_data(as_text=True)
    assert "Hidden by the moderators" in page
    assert titles(client, "insultes") == ["Insultes"]
    sign_in(people.animator)
    assert client.get(note.url).status_code == 200
    assert titles(client, "insultes") == ["Insultes"]
    # Two notices for the animator, the second saying what changed rather than repeating the first.
    inbox = client.get("/api/v1/notifications").get_json()
    assert sorted(n["label"] for n in inbox) == [
        "A contribution awaits review", "Hidden after several reports, awaits your review"]


def test_the_threshold_is_a_space_setting(client, council, people, sign_in):
    assert space_settings(council).report_threshold == 3
    sign_in(people.members[0])
    assert client.get("/s/centre/moderation/settings").status_code == 404
    sign_in(people.animator)
    bad = client.post("/s/centre/moderation/settings",
                      data={"report_threshold": "0", "premoderation_count": "0"})
    assert bad.status_code == 422 and 'value="0"' in bad.get_data(as_text=True)
    ok = client.post("/s/centre/moderation/settings",
                     data={"report_threshold": "1", "premoderation_count": "0"})
    assert ok.status_code == 302
    assert space_settings(council).report_threshold == 1
    assert AuditEntry.get(AuditEntry.action == "space.settings").after["report_threshold"] == 1
    note = publish_note(council, people.author, "Spam", "")
    sign_in(people.members[0])
    post_report(client, note, category="spam", reason="")
    assert Resource.get_by_id(note.id).state == "hidden"


def test_newcomers_first_contributions_wait_for_review(client, council, people, sign_in):
    set_space_settings(council, {"premoderation_count": 2})
    first = publish_note(council, people.author, "Première idée", "")
    assert first.state == "pending"
    own = publish_note(council, people.animator, "Note de l'animateur", "")
    assert own.state == "visible"
    sign_in(people.members[0])
    assert client.get(first.url).status_code == 404
    assert titles(client, "premiere") == []
    sign_in(people.author)
    assert "Awaiting an animator" in client.get(first.url).get_data(as_text=True)

    sign_in(people.animator)
    queue = client.get("/s/centre/moderation").get_data(as_text=True)
    assert "Première idée" in queue and "First contributions of a newcomer" in queue
    case = ModerationCase.get(ModerationCase.resource == first.id)
    assert case.trigger == "premoderation"
    assert client.post(f"/moderation/cases/{case.id}",
                       data={"decision": "approve"}).status_code == 302
    assert Resource.get_by_id(first.id).state == "visible"
    second = publish_note(council, people.author, "Deuxième idée", "")
    assert second.state == "pending"
    client.post(f"/moderation/cases/{ModerationCase.get(resource=second.id).id}",
                data={"decision": "approve"})
    third = publish_note(council, people.author, "Troisième idée", "")
    assert third.state == "visible"
    edited = publish_note(council, people.author, "Première idée, modifiée", "",
                          object_id=first.object_id)
    assert edited.state == "visible"


def test_animators_see_only_their_spaces(client, make_space, make_user, council, people,
                                         sign_in):
    other = make_space("ailleurs")
    other_author = make_user(member_of=other)
    reporter = make_user(member_of=[council, other])
    here = publish_note(council, people.author, "Ici", "")
    there = publish_note(other, other_author, "Là-bas", "")
    sign_in(reporter)
    post_report(client, here)
    post_report(client, there)
    there_case = ModerationCase.get(resource=there.id)

    sign_in(people.animator)
    city = client.get("/moderation").get_data(as_text=True)
    assert "Ici" in city and "Là-bas" not in city
    assert client.get("/s/ailleurs/moderation").status_code == 404
    assert client.get(f"/moderation/cases/{there_case.id}").status_code == 404
    assert client.post(f"/moderation/cases/{there_case.id}",
                       data={"decision": "approve"}).status_code == 404
    sign_in(people.members[0])
    assert client.get("/moderation").status_code == 404
    assert client.get("/s/centre/moderation").status_code == 404
    admin = make_user(admin=True)
    sign_in(admin)
    city = client.get("/moderation").get_data(as_text=True)
    assert "Ici" in city and "Là-bas" in city


def test_decisions_are_audited_and_the_author_is_told(client, council, people, sign_in):
    note = publish_note(council, people.author, "Hors sujet", "")
    sign_in(people.members[0])
    post_report(client, note, category="off_topic", reason="Rien à voir")
    case = ModerationCase.get(resource=note.id)
    sign_in(people.animator)
    page = client.get(f"/moderation/cases/{case.id}").get_data(as_text=True)
    assert "Rien à voir" in page

    missing = client.post(f"/moderation/cases/{case.id}",
                          data={"decision": "hide", "hide-reason": ""})
    assert missing.status_code == 422 and "Give the author a reason." in \
        missing.get_data(as_text=True)
    assert Resource.get_by_id(note.id).state == "visible"

    client.post(f"/moderation/cases/{case.id}",
                data={"decision": "hide", "hide-reason": "Merci de rester sur le sujet."})
    assert Resource.get_by_id(note.id).state == "hidden"
    entry = AuditEntry.get(AuditEntry.action == "moderation.hide")
    assert entry.actor_id == people.animator.id and entry.target == note.key
    assert entry.before["state"] == "visible" and entry.after["reason"] == \
        "Merci de rester sur le sujet."
    told = Event.get(Event.name == "placette.moderation.decided")
    assert told.recipients == [people.author.id] and told.data["decision"] == "hide"
    assert Report.get().closed_at is not None
    sign_in(people.author)
    assert "Merci de rester sur le sujet." in client.get(note.url).get_data(as_text=True)

    sign_in(people.animator)
    hidden_tab = client.get("/s/centre/moderation?show=hidden").get_data(as_text=True)
    assert "Hors sujet" in hidden_tab
    client.post(f"/moderation/cases/{case.id}", data={"decision": "restore"})
    assert Resource.get_by_id(note.id).state == "visible"
    assert AuditEntry.get(AuditEntry.action == "moderation.restore").after["state"] == "visible"
    assert Event.select().where(Event.name == "placette.moderation.decided").count() == 2
    again = client.post(f"/moderation/cases/{case.id}", data={"decision": "restore"})
    assert again.status_code == 409


def test_admins_suspend_an_author_from_the_review_page(client, council, people, make_user,
                                                        sign_in):
    note = publish_note(council, people.author, "Harcèlement", "")
    sign_in(people.members[0])
    post_report(client, note)
    admin = make_user(admin=True)
    sign_in(admin)
    case = ModerationCase.get(resource=note.id)
    page = client.get(f"/moderation/cases/{case.id}").get_data(as_text=True)
    assert "Suspend the account" in page
    client.post(f"/admin/users/{people.author.id}/suspend", data={"reason": "Harcèlement"})
    assert User.get_by_id(people.author.id).is_suspended
    assert AuditEntry.get(AuditEntry.action == "user.suspend").target.endswith(
        people.author.email)
    sign_in(people.animator)
    assert "Suspend the account" not in client.get(f"/moderation/cases/{case.id}").get_data(
        as_text=True)


@pytest.fixture
def placette_settings():
    return {"report_rate_limit": "3 per minute"}


def test_a_report_flood_is_rate_limited(client, council, people, sign_in):
    notes = [publish_note(council, people.author, f"Note {n}", "") for n in range(5)]
    sign_in(people.members[0])
    for note in notes[:3]:
        assert post_report(client, note).status_code == 302
    flood = post_report(client, notes[3], reason="Encore un abus", category="abuse")
    assert flood.status_code == 429
    html = flood.get_data(as_text=True)
    assert "many reports in a short time" in html and "Encore un abus" in html
    api = client.post("/api/v1/reports", json={"resource": notes[4].key, "reason": "x"})
    assert api.status_code == 429 and api.get_json()["error"]["code"] == "rate_limited"
    assert Report.select().count() == 3
    sign_in(people.members[1])                  # the limit is per account
    assert post_report(client, notes[3]).status_code == 302


def test_api_reports(client, council, people, sign_in):
    note = publish_note(council, people.author, "Annonce", "")
    sign_in(people.members[0])
    created = client.post("/api/v1/reports", json={"resource": note.key, "reason": "Spam",
                                                   "category": "spam"})
    assert created.status_code == 201
    body = created.get_json()
    assert body["resource"] == note.key and body["created"] is True
    again = client.post("/api/v1/reports", json={"plugin": "placette", "kind": "note",
                                                 "object_id": note.object_id,
                                                 "reason": "Vraiment du spam"})
    assert again.status_code == 200 and again.get_json()["created"] is False
    assert Report.get().reason == "Vraiment du spam"
    both = client.post("/api/v1/reports", json={"resource": note.key, "plugin": "placette",
                                                "reason": "x"})
    assert both.status_code == 422
    wrong = client.post("/api/v1/reports", json={"resource": note.key, "category": "meh"})
    assert wrong.status_code == 422 and wrong.get_json()["error"]["code"] == "invalid_body"
    assert client.post("/api/v1/reports", data="{oops",
                       content_type="application/json").status_code == 400
    sign_in(people.author)
    own = client.post("/api/v1/reports", json={"resource": note.key, "reason": "x"})
    assert own.status_code == 409 and own.get_json()["error"]["code"] == "own_resource"


def test_plugins_hide_moderated_items_from_their_own_lists(app, council, people, sign_in):
    import placette
    from placette.db import database
    database.create_tables([Book])
    try:
        books = [Book.create(title=t) for t in ("Visible", "Masqué", "En attente")]
        for book in books:
            placette.publish_resource("books", "book", book.id, space=council, title=book.title,
                                      url=f"/b/{book.id}", author=people.author)
        Resource.update(state="hidden").where(Resource.object_id == str(books[1].id)).execute()
        Resource.update(state="pending").where(Resource.object_id == str(books[2].id)).execute()

        def listed(actor):
            query = placette.exclude_moderated(Book.select().order_by(Book.id), actor,
                                               "books", "book")
            return [b.title for b in query]

        assert listed(people.members[0]) == ["Visible"]
        assert listed(people.author) == ["Visible", "Masqué", "En attente"]
        assert listed(people.animator) == ["Visible", "Masqué", "En attente"]
        state = placette.moderation_state("books", "book", books[1].id)
        assert state.hidden and not state.visible_to(people.members[0])
        assert state.visible_to(people.author) and state.visible_to(people.animator)
        assert placette.moderation_state("books", "book", 999).visible
        clause = placette.moderation_clause(people.members[0])
        assert Resource.select().where(clause).count() == 1
    finally:
        database.drop_tables([Book])


def test_the_space_menu_shows_moderation_with_a_count(client, council, people, sign_in):
    note = publish_note(council, people.author, "À revoir", "")
    sign_in(people.members[0])
    post_report(client, note)
    menu = client.get("/s/centre").get_data(as_text=True)
    assert "/s/centre/moderation" not in menu
    sign_in(people.animator)
    menu = client.get("/s/centre").get_data(as_text=True)
    assert '/s/centre/moderation" >Moderation <span class="badge">1</span>' in menu


def test_who_moderates_follows_the_spaces_grant(client, council, people, make_user, sign_in):
    """The menu's moderation entry and the queue follow ``space.moderate`` as the space's
    administrator sets it: members may be made moderators, animators may lose it."""
    admin = make_user(name="Admin du centre", member_of=council, role="admin")
    note = publish_note(council, people.author, "À revoir", "")
    sign_in(people.members[0])
    post_report(client, note)
    assert 'href="/moderation"' not in client.get("/").get_data(as_text=True)
    sign_in(people.animator)  # by default, animators moderate
    assert 'href="/moderation"' in client.get("/").get_data(as_text=True)
    sign_in(admin)
    client.post("/s/centre/manage/grants", data={"space.moderate": "member"})
    sign_in(people.members[1])
    menu = client.get("/s/centre").get_data(as_text=True)
    assert '/s/centre/moderation" >Moderation <span class="badge">1</span>' in menu
    assert 'href="/moderation"' in client.get("/").get_data(as_text=True)
    assert client.get("/moderation").status_code == 200

    sign_in(admin)
    client.post("/s/centre/manage/grants", data={"space.moderate": "admin"})
    sign_in(people.animator)
    assert "/moderation" not in client.get("/s/centre").get_data(as_text=True)
    assert client.get("/moderation").status_code == 404
    assert client.get("/s/centre/moderation").status_code == 404
    sign_in(admin)
    assert "/s/centre/moderation" in client.get("/s/centre").get_data(as_text=True)


def test_the_menu_badge_stops_at_99_the_queue_counts_them_all(client, council, people,
                                                              sign_in):
    from placette.moderation.service import report
    for i in range(100):
        report(people.members[0], publish_note(council, people.author, f"Note {i}", ""),
               "raison", "abuse")
    sign_in(people.animator)
    home = client.get("/s/centre").get_data(as_text=True)
    assert '/s/centre/moderation" >Moderation <span class="badge">99+</span>' in home
    queue = client.get("/s/centre/moderation").get_data(as_text=True)
    assert 'To review <span class="badge">100</span>' in queue
    assert 'aria-current="page">Moderation <span class="badge">99+</span>' in queue
    from placette.models import ModerationCase
    ModerationCase.update(open=False).where(ModerationCase.id.in_(
        ModerationCase.select(ModerationCase.id).limit(2))).execute()
    home = client.get("/s/centre").get_data(as_text=True)
    assert '/s/centre/moderation" >Moderation <span class="badge">98</span>' in home


def _queries_for(client, path: str) -> int:
    client.get(path)
    query_counter.reset()
    assert client.get(path).status_code == 200
    return query_counter.count


def test_queue_query_count_does_not_grow(client, council, people, make_user, sign_in):
    reporters = [make_user(member_of=council) for _ in range(3)]

    def report_some(n):
        for i in range(n):
            note = publish_note(council, people.author, f"Note {i}", "")
            for person in reporters[: 1 + i % 3]:
                from placette.moderation.service import report
                report(person, note, "raison", "abuse")

    report_some(2)
    sign_in(people.animator)
    small = (_queries_for(client, "/s/centre/moderation"), _queries_for(client, "/moderation"))
    report_some(20)
    large = (_queries_for(client, "/s/centre/moderation"), _queries_for(client, "/moderation"))
    assert large == small, (small, large)


def test_the_quick_approve_button_only_returns_to_this_site(client, council, people, sign_in):
    note = publish_note(council, people.author, "Annonce", "")
    sign_in(people.members[0])
    post_report(client, note)
    case = ModerationCase.get(resource=note.id)
    sign_in(people.animator)
    response = client.post(f"/moderation/cases/{case.id}",
                           data={"decision": "approve", "next": "/\\evil.example"})
    assert response.status_code == 302 and "evil" not in response.headers["Location"]
    assert not ModerationCase.get_by_id(case.id).open


def test_a_hidden_items_page_says_why_once_near_its_title(client, council, people, sign_in):
    """``moderation_notice(state)`` near the title; the footer then does not repeat it."""
    note = publish_note(council, people.author, "Titre signalé", "Texte")
    from moderation_helpers import hide
    hide(client, sign_in, people.members[0], people.animator, note, reason="Hors sujet ici.")
    for person in (people.author, people.animator):
        sign_in(person)
        page = client.get(note.url).get_data(as_text=True)
        assert page.count("Hidden by the moderators") == 1
        assert page.index("<h1>") < page.index("Hidden by the moderators") < page.index("Texte")
        assert "Hors sujet ici." in page
    sign_in(people.members[1])
    assert client.get(note.url).status_code == 404


def test_the_queue_shows_hidden_first_then_oldest_and_follows_a_moved_item(
        client, council, people, make_space, make_user, sign_in):
    import placette
    from placette.moderation.service import report
    other = make_space("ailleurs", plugins=["books"])
    older = publish_note(council, people.author, "Plus ancienne", "")
    newer = publish_note(council, people.author, "Plus récente", "")
    book = placette.publish_resource("books", "book", 1, space=council, title="Livre signalé",
                                     url="/b/1", author=people.author)
    for resource in (older, newer, book):
        report(people.members[0], resource, "raison", "abuse")

    def queue(path):
        page = client.get(path).get_data(as_text=True)
        shown = [t for t in ("Plus ancienne", "Plus récente", "Livre signalé") if t in page]
        return sorted(shown, key=page.index)

    sign_in(people.animator)
    assert queue("/s/centre/moderation") == ["Plus ancienne", "Plus récente", "Livre signalé"]
    for person in people.members[1:3]:           # the threshold: hidden, so reviewed first
        report(person, newer, "raison", "abuse")
    assert Resource.get_by_id(newer.id).state == "hidden"
    assert queue("/s/centre/moderation") == ["Plus récente", "Plus ancienne", "Livre signalé"]
    assert queue("/moderation") == ["Plus récente", "Plus ancienne", "Livre signalé"]
    case = ModerationCase.get(ModerationCase.resource == newer.id)
    assert client.post(f"/moderation/cases/{case.id}",
                       data={"decision": "approve"}).status_code == 302
    assert queue("/s/centre/moderation") == ["Plus ancienne", "Livre signalé"]

    # The book moves to another space: its case goes to that space's queue.
    placette.publish_resource("books", "book", 1, space=other, title="Livre signalé",
                              url="/b/1", author=people.author)
    assert queue("/s/centre/moderation") == ["Plus ancienne"]
    assert queue("/moderation") == ["Plus ancienne"]
    assert 'To review <span class="badge">1</span>' in client.get("/moderation").get_data(
        as_text=True)
    sign_in(make_user(admin=True))
    assert queue("/s/ailleurs/moderation") == ["Livre signalé"]
    assert queue("/moderation") == ["Plus ancienne", "Livre signalé"]


def test_moderation_conditions_keep_the_registry_state_out_of_the_bound_values(
        app, council, people):
    """The registry's partial index on held-back rows (``state <> 'visible'``) may serve any
    comparison of ``state``: given as a bound value, SQLite plans the whole statement again at
    every run (a gated list's 4 KB of SQL, on each page).  The states are written in the SQL."""
    import placette
    member = people.author
    queries = {
        "exclude_moderated": placette.exclude_moderated(
            Resource.select(Resource.id), member, "notes", "note"),
        "moderation_clause": Resource.select().where(placette.moderation_clause(member)),
        "held_back": Resource.select().where(placette.held_back()),
    }
    for name, query in queries.items():
        sql, params = query.sql()
        assert "'visible'" in sql, name
        assert not {"visible", "pending", "hidden"} & {p for p in params if isinstance(p, str)}, \
            (name, params)
