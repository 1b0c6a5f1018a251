"""What drafting gives the kernel: showcase offers of adopted opinions, search, moderation of
comments, RGPD export and erasure, notifications' events, the demo seed, French pages."""
from __future__ import annotations

from drafting_helpers import BASE, ids_of


def test_adopted_opinions_are_offered_to_the_showcase(app, council, animator, members,
                                                     outsider, make_draft):
    import placette
    draft = make_draft(state="consultation")
    assert placette.showcase_offers(council, animator) == []
    make_draft(title="Encore en écriture")
    adopted = make_draft(state="adopted", title="Avis adopté")
    (offer,) = placette.showcase_offers(council, members[0])
    assert offer.category == "opinion" and offer.dataset == "opinions"
    assert offer.title == "Avis adopté" and offer.decided_at.utcoffset() is not None
    assert offer.data["council"] == "Quartier Nord" and offer.data["version"] == 1
    assert offer.data["decision"] == "14 pour, 2 contre"
    assert "pistes cyclables" in offer.body_html
    assert "14 pour, 2 contre" in offer.body_html       # the decision is part of the record
    resource = placette.lookup_resource("drafting", "draft", adopted.id)
    assert placette.showcase_offer(resource, members[0]).title == "Avis adopté"
    assert placette.showcase_offer(resource, outsider) is None       # may not see it
    in_consultation = placette.lookup_resource("drafting", "draft", draft.id)
    assert placette.showcase_offer(in_consultation, animator) is None


def test_search_finds_open_drafts_never_those_being_written(app, council, members, make_draft):
    from placette.search.query import search
    make_draft(title="Brouillon caché", body="Texte sur les jardins familiaux secrets.")
    make_draft(state="consultation", title="Avis public",
               body="Texte sur les composteurs collectifs.")
    found = [h.resource.title for h in search(members[0], "composteurs").hits]
    assert found == ["Avis public"]
    assert search(members[0], "jardins familiaux").hits == []


def test_a_hidden_comment_is_gone_for_others_and_kept_for_its_author(
        client, sign_in, council, animator, members, make_draft):
    import placette
    from placette.models.moderation import ModerationCase
    from placette.moderation.service import decide, report
    from placette_plugins.drafting import service
    draft = make_draft(state="consultation")
    rude = service.comment(draft, members[0], ids_of(draft)[1], "Propos injurieux")
    own = placette.lookup_resource("drafting", "comment", rude.id)
    report(members[1], own, "insulte", "other")
    decide(animator, ModerationCase.get(ModerationCase.resource == own.id), "hide",
           "Règles de la charte")
    sign_in(members[1])
    assert client.get(f"{BASE}/drafts/{draft.id}/comments").get_json() == []
    assert "Propos injurieux" not in client.get(f"/s/quartier-nord/drafting/{draft.id}").text
    paragraph = f"/s/quartier-nord/drafting/{draft.id}/paragraphs/{ids_of(draft)[1]}"
    shown = client.get(paragraph).text
    assert "Propos injurieux" not in shown and "No comment on this paragraph yet." in shown
    assert client.get(f"/s/quartier-nord/drafting/{draft.id}/comments/{rude.id}"
                      ).status_code == 404
    sign_in(members[0])
    assert "Propos injurieux" in client.get(paragraph).text     # its author still sees it
    assert [c["body"] for c in client.get(f"{BASE}/drafts/{draft.id}/comments").get_json()] == [
        "Propos injurieux"]


def test_export_and_erase_keep_the_text_and_drop_the_person(app, animator, members,
                                                           make_draft):
    from placette.identity.rgpd import erase_user, export_user_data
    from placette_plugins.drafting import service
    draft = make_draft(state="consultation")
    ids = ids_of(draft)
    service.comment(draft, members[0], ids[1], "Mon avis", quote="pistes cyclables")
    service.rate(draft, members[0], ids[1], 2)
    amendment = service.amend(draft, members[0], ids[2], "Des trottoirs plus larges.", "Sûreté")
    service.decide(draft, animator, amendment.id, True)
    exported = export_user_data(members[0])["plugins"]["drafting"]
    assert [c["body"] for c in exported["comments"]] == ["Mon avis"]
    assert exported["ratings"] == [{"draft": draft.id, "paragraph": ids[1], "agreement": 2}]
    assert [v["number"] for v in exported["versions"]] == [2]   # the accepted amendment
    erase_user(members[0])
    assert service.distributions(draft).get(ids[1]) is None
    assert service.version_of(draft).body.count("Des trottoirs plus larges.") == 1
    assert [c.body for c in service.comments_of(draft, animator)] == [""]
    assert "Member 0" not in service.contributors(draft)


def test_demo_seed_has_a_consultation_with_an_outdated_comment_and_an_adopted_opinion(app):
    from placette.demo.city import seed
    from placette_plugins.drafting.models import Amendment, Comment, Draft, Rating
    seed("demo-password", log=lambda *_: None)
    states = [d.state for d in Draft.select()]
    assert "consultation" in states and "adopted" in states
    assert Comment.select().where(Comment.anchor_state == "outdated").count() >= 1
    assert Rating.select().count() > 0
    assert {a.status for a in Amendment.select()} == {"open", "accepted", "rejected"}


class TestFrench:
    def test_draft_page_in_french(self, client, sign_in, members, make_draft):
        draft = make_draft(state="consultation")
        members[0].language = "fr"
        members[0].save()
        sign_in(members[0])
        page = client.get(f"/s/quartier-nord/drafting/{draft.id}")
        assert "En consultation" in page.text and "Marge du paragraphe 2" in page.text


def test_notifications_reach_the_members_the_answered_and_the_amended(
        client, sign_in, animator, members, outsider, make_draft):
    from placette.models import Event, Notification
    from placette_plugins.drafting import service

    def told(user, name):
        return (Notification.select().join(Event)
                .where((Notification.user == user.id) & (Event.name == name)).count())

    draft = make_draft(state="consultation")
    assert told(members[0], "drafting.draft.consultation") == 1
    assert told(outsider, "drafting.draft.consultation") == 0
    question = service.comment(draft, members[0], ids_of(draft)[1], "Pourquoi ?")
    service.comment(draft, animator, None, "Parce que.", parent=question.id)
    assert told(members[0], "drafting.comment.answered") == 1
    assert told(members[1], "drafting.comment.answered") == 0
    amendment = service.amend(draft, members[1], ids_of(draft)[2], "Autre texte.", "Mieux.")
    service.decide(draft, animator, amendment.id, False, "Non retenu.")
    assert told(members[1], "drafting.amendment.decided") == 1
    sign_in(members[1])
    page = client.get("/notifications")
    assert page.status_code == 200 and "Your amendment was decided" in page.text


def test_accepting_an_amendment_never_undoes_a_later_edit(app, animator, members, make_draft):
    import pytest
    from placette_plugins.drafting import service
    draft = make_draft(state="consultation")
    ids = ids_of(draft)
    amendment = service.amend(draft, members[0], ids[2], "Des trottoirs plus larges.", "Sûreté")
    head = service.version_of(draft)
    edited = head.body.replace("trop étroits pour les poussettes",
                               "trop étroits pour les poussettes et les fauteuils")
    service.save(draft, animator, edited, head.number, "Précision")
    with pytest.raises(service.DraftingError) as refused:
        service.decide(draft, animator, amendment.id, True)
    assert refused.value.code == "paragraph_changed"
    body = service.version_of(draft).body
    assert "les poussettes et les fauteuils" in body and "plus larges" not in body
    assert service.amendments_of(draft)[0].status == "open"   # nothing decided, nothing lost
    assert service.decide(draft, animator, amendment.id, False, "Texte modifié depuis.").status \
        == "rejected"
