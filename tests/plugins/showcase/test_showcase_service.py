"""Picking, freezing, republishing, withdrawing: the copy is what the public reads."""
from __future__ import annotations

import pytest




def test_pick_freezes_a_copy_until_republish(app, key_of, client, council, people, make_page, pick):
    from placette_plugins.pages import service as pages
    from placette_plugins.showcase import service
    page = make_page(council, people["animator"], "Compte rendu du parc", "Le **parc** rouvre.")
    item = pick(council, people["animator"], key_of(page), "Ce que nous avons décidé")
    body = client.get(f"/vitrine/quartier-nord/{item.id}").get_data(as_text=True)
    assert "Compte rendu du parc" in body and "<strong>parc</strong>" in body
    assert "Ce que nous avons décidé" in body
    pages.update_page(page, people["animator"], {"title": "Titre modifié", "body": "Autre"})
    body = client.get(f"/vitrine/quartier-nord/{item.id}").get_data(as_text=True)
    assert "Compte rendu du parc" in body and "Titre modifié" not in body
    service.republish(item, people["animator"])
    body = client.get(f"/vitrine/quartier-nord/{item.id}").get_data(as_text=True)
    assert "Titre modifié" in body and "Compte rendu du parc" not in body


def test_deleting_the_original_keeps_the_copy(app, key_of, client, council, people, make_page, pick):
    from placette_plugins.pages import service as pages
    from placette_plugins.showcase import service
    page = make_page(council, people["animator"], "Charte du quartier", "Texte")
    item = pick(council, people["animator"], key_of(page))
    pages.delete_page(page, people["animator"])
    assert "Charte du quartier" in client.get(f"/vitrine/quartier-nord/{item.id}").get_data(
        as_text=True)
    with pytest.raises(service.ShowcaseError) as exc:
        service.republish(item, people["animator"])
    assert exc.value.code == "original_gone"


def test_bad_picks_are_refused_and_publish_nothing(app, key_of, council, group, people, make_page,
                                                   pick, make_user):
    from placette_plugins.showcase import service
    from placette_plugins.showcase.models import Item
    secret = make_page(group, people["group_animator"], "Plan confidentiel")
    other = make_page(group, people["group_animator"], "Page du groupe")
    cases = [("nonsense", 422, "invalid_resource"),
             ("nothing.kind:1", 422, "unknown_kind"),
             ("pages.page:999999", 404, "not_found"),
             (key_of(secret), 404, "not_found")]     # the council's animator may not see it
    for key, status, code in cases:
        with pytest.raises(service.ShowcaseError) as exc:
            pick(council, people["animator"], key)
        assert (exc.value.status, exc.value.code) == (status, code), key
    # The group's animator sees the page, but picks it in the council's window: another space.
    both = make_user(name="Both Animator", member_of=[council, group], role="animator")
    with pytest.raises(service.ShowcaseError) as exc:
        pick(council, both, key_of(other))
    assert exc.value.code == "other_space"
    with pytest.raises(service.ShowcaseError) as exc:
        pick(council, people["member"], key_of(other))
    assert exc.value.status == 403
    with pytest.raises(service.ShowcaseError) as exc:
        pick(council, people["animator"], "pages.page:1", "x" * 2001)
    assert exc.value.code == "introduction_too_long"
    assert Item.select().count() == 0


def test_withdraw_removes_everywhere_at_once_and_answers_410(app, key_of, client, council, people,
                                                            make_page, pick):
    from placette_plugins.showcase import service
    page = make_page(council, people["animator"], "Résultat du budget participatif", "Texte")
    item = pick(council, people["animator"], key_of(page), "Intro publique")
    urls = ["/vitrine/", "/vitrine/quartier-nord/", "/vitrine/feed.atom",
            "/vitrine/quartier-nord/feed.atom", "/vitrine/embed/quartier-nord",
            f"/vitrine/quartier-nord/{item.id}"]
    for url in urls:
        assert "Résultat du budget participatif" in client.get(url).get_data(as_text=True), url
    service.withdraw(item, people["admin"])  # an administrator withdraws anything
    for url in urls[:3]:
        assert "Résultat du budget participatif" not in client.get(url).get_data(as_text=True)
    assert client.get("/vitrine/quartier-nord/").status_code == 404  # nothing left to show
    response = client.get(f"/vitrine/quartier-nord/{item.id}")
    assert response.status_code == 410
    assert "Résultat du budget participatif" not in response.get_data(as_text=True)
    assert client.get(f"/oembed?url=http://localhost/vitrine/quartier-nord/{item.id}"
                      ).status_code == 404


def test_reorder(app, key_of, client, council, people, make_page, pick):
    from placette_plugins.showcase import service
    items = [pick(council, people["animator"], key_of(
        make_page(council, people["animator"], f"Page numéro {n}"))) for n in range(3)]
    service.update(items[2], people["animator"], position=1)
    body = client.get("/vitrine/quartier-nord/").get_data(as_text=True)
    assert body.index("Page numéro 2") < body.index("Page numéro 0") < body.index(
        "Page numéro 1")


def test_a_space_switched_off_or_archived_leaves_the_window(app, client, council, people,
                                                           make_page, pick, key_of):
    import placette
    page = make_page(council, people["animator"], "Page du conseil montrée")
    item = pick(council, people["animator"], key_of(page))
    assert client.get(f"/vitrine/quartier-nord/{item.id}").status_code == 200
    placette.set_module(council, "showcase", False)
    for path in ("/vitrine/", "/vitrine/feed.atom", "/vitrine/quartier-nord/",
                 "/vitrine/embed/quartier-nord"):
        assert "Page du conseil montrée" not in client.get(path).get_data(as_text=True), path
    assert client.get(f"/vitrine/quartier-nord/{item.id}").status_code == 404
    placette.set_module(council, "showcase", True)
    assert client.get(f"/vitrine/quartier-nord/{item.id}").status_code == 200
    placette.Space.update(archived_at=placette.utcnow()).where(
        placette.Space.id == council.id).execute()
    assert client.get(f"/vitrine/quartier-nord/{item.id}").status_code == 404


def test_what_is_next_lists_shown_meetings_to_come(app, client, council, people, pick,
                                                   make_user):
    import datetime as dt

    import placette
    from placette_plugins.agenda import service as agenda
    placette.set_module(council, "agenda", True)
    start = dt.datetime.now() + dt.timedelta(days=5)
    meeting = agenda.create_meeting(council, people["animator"], {
        "title": "Réunion publique sur le parc", "starts_at": start.replace(minute=0),
        "ends_at": start.replace(minute=0) + dt.timedelta(hours=2)})
    pick(council, people["animator"], f"agenda.meeting:{meeting.id}")
    body = client.get("/vitrine/").get_data(as_text=True)
    upcoming = body[body.index('id="next"'):body.index('id="decisions"')]
    assert "Réunion publique sur le parc" in upcoming
    meetings = client.get("/vitrine/data/meetings.json").get_json()["records"]
    assert [m["title"] for m in meetings] == ["Réunion publique sur le parc"]
    assert meetings[0]["category"] == "meeting" and meetings[0]["data"]["starts_at"]


def test_an_item_is_shown_once(app, council, people, make_page, pick, key_of):
    from placette_plugins.showcase import service
    page = make_page(council, people["animator"], "Page unique")
    item = pick(council, people["animator"], key_of(page))
    with pytest.raises(service.ShowcaseError) as exc:
        pick(council, people["animator"], key_of(page))
    assert (exc.value.status, exc.value.code) == (409, "already_shown")
    service.withdraw(item, people["animator"])
    assert pick(council, people["animator"], key_of(page)).id != item.id  # shown again

