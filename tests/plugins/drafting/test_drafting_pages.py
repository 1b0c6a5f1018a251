"""The drafting pages without JavaScript: start a draft, edit it (and settle a conflict), the
margin, comment on a paragraph or a typed passage, rate, amend, decide, versions, diff, restore,
the workflow's buttons -- and what outsiders and members outside the drafting group get."""
from __future__ import annotations

import re

from drafting_helpers import TEXT, ids_of

PAGES = "/s/quartier-nord/drafting"


def test_the_drafting_group_starts_and_edits_a_draft(client, sign_in, animator):
    sign_in(animator)
    page = client.get(f"{PAGES}/")
    assert "Start a draft opinion" in page.text
    made = client.post(f"{PAGES}/", data={"title": "Avis vélo", "body": TEXT})
    assert made.status_code == 302
    url = made.headers["Location"]
    draft_id = int(url.rstrip("/").rsplit("/", 1)[1])
    form = client.get(f"{PAGES}/{draft_id}/edit")
    assert 'name="base_version" value="1"' in form.text
    saved = client.post(f"{PAGES}/{draft_id}/edit", data={
        "body": TEXT.replace("marché", "marché couvert"), "base_version": "1", "note": "préc."})
    assert saved.status_code == 302
    diff = client.get(f"{PAGES}/{draft_id}/diff?from=1&to=2")
    assert re.search(r"marché <ins>.*couvert .*</ins>encouragerait", diff.text)
    versions = client.get(f"{PAGES}/{draft_id}/versions")
    assert "préc." in versions.text and "Restore" in versions.text
    restored = client.post(f"{PAGES}/{draft_id}/versions/1/restore")
    assert restored.status_code == 302
    assert "couvert" not in client.get(f"{PAGES}/{draft_id}").text


def test_a_conflicting_save_shows_both_texts_side_by_side_and_keeps_mine(client, sign_in,
                                                                         animator, make_draft):
    from placette_plugins.drafting import service
    draft = make_draft()
    service.save(draft, animator, TEXT.replace("avenue Jaurès", "avenue A"), 1)
    sign_in(animator)
    mine = TEXT.replace("avenue Jaurès", "avenue B").replace("marché", "marché couvert")
    answer = client.post(f"{PAGES}/{draft.id}/edit", data={"body": mine, "base_version": "1"})
    assert answer.status_code == 409
    assert "Settle the conflicts" in answer.text
    assert "avenue A" in answer.text and "avenue B" in answer.text
    assert 'name="base_version" value="2"' in answer.text     # now starts from the newest
    assert "marché couvert" in answer.text                     # nothing typed is lost
    again = client.post(f"{PAGES}/{draft.id}/edit", data={"body": mine, "base_version": "2"})
    assert again.status_code == 302
    assert "marché couvert" in service.version_of(service.Draft.get_by_id(draft.id)).body


def test_members_comment_rate_and_amend_without_javascript(client, sign_in, members, animator,
                                                           make_draft):
    draft = make_draft(state="consultation")
    ids = ids_of(draft)
    sign_in(members[0])
    page = client.get(f"{PAGES}/{draft.id}")
    assert f'id="paragraph-{ids[2]}"' in page.text and "Margin of paragraph 3" in page.text
    assert f'href="{PAGES}/{draft.id}/paragraphs/{ids[2]}">Discuss paragraph 3</a>' in page.text
    paragraph = client.get(f"{PAGES}/{draft.id}/paragraphs/{ids[2]}")
    assert "Passage you comment on (optional)" in paragraph.text
    assert "Your agreement with paragraph 3" in paragraph.text
    sent = client.post(f"{PAGES}/{draft.id}/comments", data={
        "paragraph": ids[2], "quote": "trop étroits", "body": "Et les fauteuils ?"})
    # Back on the paragraph's page, at the comment.
    assert re.search(rf"/paragraphs/{ids[2]}#comment-\d+$", sent.headers["Location"])
    rated = client.post(f"{PAGES}/{draft.id}/paragraphs/{ids[2]}/rating",
                        data={"agreement": "5"})
    assert rated.headers["Location"].endswith(f"/paragraphs/{ids[2]}#rating")
    client.post(f"{PAGES}/{draft.id}/amendments", data={
        "paragraph": ids[3], "text": "Un garage à vélos gratuit.", "reason": "Pour les jeunes."})
    page = client.get(f"{PAGES}/{draft.id}")
    margin = page.text[page.text.index(f'id="paragraph-{ids[2]}"'):]
    margin = margin[:margin.index("</section>")]
    assert "1 comment" in margin and "Agreement 5.0 out of 5 (1 rating)" in margin
    assert "Your rating: Strongly agree" in margin
    assert "Et les fauteuils ?" not in page.text          # on the paragraph's page
    assert "1 amendment, 1 awaiting a decision" in page.text
    paragraph = client.get(f"{PAGES}/{draft.id}/paragraphs/{ids[2]}")
    assert "Et les fauteuils ?" in paragraph.text and "trop étroits" in paragraph.text
    assert 'value="5" aria-pressed="true"' in paragraph.text
    amended = client.get(f"{PAGES}/{draft.id}/paragraphs/{ids[3]}").text
    assert "Amendment proposed" in amended and "Un garage à vélos gratuit." in amended
    bad = client.post(f"{PAGES}/{draft.id}/comments", data={
        "paragraph": ids[2], "quote": "absent du texte", "body": "x"}, follow_redirects=True)
    assert "The quoted passage is not in this paragraph." in bad.text
    sign_in(animator)
    amendment = re.search(r'id="amendment-(\d+)"', amended).group(1)
    decided = client.post(f"{PAGES}/{draft.id}/amendments/{amendment}/decision",
                          data={"accept": "0", "reason": "Coût à discuter."})
    assert decided.headers["Location"].endswith(f"/paragraphs/{ids[3]}#amendment-{amendment}")
    assert "Amendment rejected" in client.get(f"{PAGES}/{draft.id}/paragraphs/{ids[3]}").text
    assert "1 amendment" in client.get(f"{PAGES}/{draft.id}").text
    adopted = client.post(f"{PAGES}/{draft.id}/state", data={"state": "adopted",
                                                              "decision": "Unanimité"})
    assert adopted.status_code == 302
    page = client.get(f"{PAGES}/{draft.id}")
    assert "Adopted" in page.text and "Unanimité" in page.text and "Edit the text" not in page.text
    record = page.text[page.text.index("Amendments and their fate"):]
    assert "Amendment rejected" in record and "Coût à discuter." in record


def test_writing_drafts_are_hidden_and_outsiders_get_404(client, sign_in, sign_out, members,
                                                        outsider, make_draft):
    writing = make_draft(title="Brouillon à l’abri")
    open_one = make_draft(state="consultation")
    sign_in(members[0])
    assert client.get(f"{PAGES}/{writing.id}").status_code == 404
    assert "Brouillon à l’abri" not in client.get(f"{PAGES}/").text
    assert client.get(f"{PAGES}/{writing.id}/edit").status_code == 404
    for who in (outsider, None):
        sign_out() if who is None else sign_in(who)
        for path in ("/", f"/{open_one.id}", f"/{open_one.id}/versions",
                     f"/{open_one.id}/export.pdf",
                     f"/{open_one.id}/paragraphs/{ids_of(open_one)[1]}"):
            assert client.get(f"{PAGES}{path}").status_code == 404, (who, path)


def test_the_draft_page_costs_the_same_queries_with_a_big_margin(client, sign_in, members,
                                                                 make_user, council, animator,
                                                                 make_draft, count_queries):
    """A 60-paragraph draft: with 3 comments and a few ratings, then with 300 comments and
    2,000 ratings, the page sends the same number of queries."""
    from placette_plugins.drafting import service
    from placette_plugins.drafting.models import Rating
    body = "\n\n".join(f"Paragraphe {i} : la rue {i} doit être apaisée et plantée d’arbres."
                       for i in range(60))
    draft = make_draft(body=body, state="consultation")
    ids = ids_of(draft)
    people = members + [make_user(member_of=council) for _ in range(37)]
    sign_in(members[0])
    url = f"{PAGES}/{draft.id}"

    def grow(comments: int, ratings: int) -> int:
        have = service.Comment.select().count()
        roots: list[int] = []
        for n in range(have, comments):
            parent = roots[-1] if n % 5 == 4 and roots else None    # a fifth are replies
            row = service.comment(draft, people[n % len(people)], ids[n % 60], f"Remarque {n}",
                                  quote="apaisée" if n % 2 else None, parent=parent,
                                  notify=False)
            if parent is None:
                roots.append(row.id)
        rows = [{"draft": draft.id, "paragraph": ids[i % 60], "user": people[i // 60].id,
                 "agreement": 1 + i % 5} for i in range(ratings)]
        Rating.insert_many(rows).on_conflict_ignore().execute()
        client.get(url)
        return count_queries(lambda: client.get(url))

    small = grow(3, 60)
    big = grow(300, 2000)
    assert Rating.select().count() == 2000
    assert small == big, (small, big)


def test_a_private_drafting_group_is_never_named_outside(client, sign_in, make_space, make_user,
                                                         members, animator):
    """Karim's private group drafting an opinion with a guest expert: the group's members and
    the guest work in it; a member of the council outside the group gets 404 everywhere, and
    search never names the draft."""
    from placette.search.query import search
    from placette.spaces import add_member
    from placette_plugins.drafting import service
    group = make_space("avis-velo", visibility="private", kind="group", plugins=["drafting"])
    add_member(group, animator, "animator")
    expert = make_user(member_of=group, role="guest", name="Experte invitée")
    draft = service.create_draft(group, animator, "Avis confidentiel vélo", TEXT)
    service.change_state(draft, animator, "consultation")
    sign_in(expert)
    assert client.get(f"/s/avis-velo/drafting/{draft.id}").status_code == 200
    sign_in(members[0])
    for path in (f"/s/avis-velo/drafting/{draft.id}", "/s/avis-velo/drafting/",
                 f"/api/v1/spaces/avis-velo/drafting/drafts/{draft.id}",
                 f"/api/v1/spaces/avis-velo/drafting/drafts/{draft.id}/export.odt"):
        assert client.get(path).status_code == 404, path
    assert search(members[0], "confidentiel").hits == []
    assert "Avis confidentiel" not in client.get("/search?q=confidentiel").text


def test_ratings_can_be_switched_off_per_space(client, sign_in, make_space, make_user,
                                               animator):
    from placette.spaces import add_member
    from placette_plugins.drafting import service
    quiet = make_space("sans-notes", visibility="members", plugins=["drafting"],
                       settings={"drafting": {"ratings": False}})
    add_member(quiet, animator, "animator")
    member = make_user(member_of=quiet)
    draft = service.create_draft(quiet, animator, "Avis", TEXT)
    service.change_state(draft, animator, "consultation")
    sign_in(member)
    pid = ids_of(draft)[1]
    answer = client.put(f"/api/v1/spaces/sans-notes/drafting/drafts/{draft.id}/paragraphs/"
                        f"{pid}/rating", json={"agreement": 3})
    assert answer.status_code == 409 and answer.get_json()["error"]["code"] == "ratings_off"
    assert "Your agreement with paragraph" not in client.get(
        f"/s/sans-notes/drafting/{draft.id}").text


def test_the_drafting_group_resolves_comments_members_may_not(client, sign_in, members,
                                                               animator, make_draft):
    from placette_plugins.drafting import service
    draft = make_draft(state="consultation")
    pid = ids_of(draft)[1]
    row = service.comment(draft, members[0], pid, "À revoir")
    paragraph = f"{PAGES}/{draft.id}/paragraphs/{pid}"
    sign_in(members[0])
    assert "Resolve" not in client.get(paragraph).text
    refused = client.post(f"{PAGES}/{draft.id}/comments/{row.id}/resolve", data={},
                          follow_redirects=True)
    assert "You may not do this here." in refused.text
    sign_in(animator)
    assert "Resolve" in client.get(paragraph).text
    client.post(f"{PAGES}/{draft.id}/comments/{row.id}/resolve", data={"resolved": "1"})
    assert "Resolved" in client.get(paragraph).text
    sign_in(members[0])
    api = client.get(f"/api/v1/spaces/quartier-nord/drafting/drafts/{draft.id}/comments")
    assert api.get_json()[0]["resolved"] is True


def test_the_menu_offers_opinions_only_to_who_may_read_them(client, sign_in, sign_out,
                                                            make_space, members):
    make_space("ouvert", visibility="public", plugins=["drafting"])
    sign_out()
    page = client.get("/s/ouvert")
    assert page.status_code == 200 and "/s/ouvert/drafting/" not in page.text
    assert client.get("/s/ouvert/drafting/").status_code == 404
    sign_in(members[0])
    assert "/s/quartier-nord/drafting/" in client.get("/s/quartier-nord").text


def test_a_refused_save_keeps_the_text_typed(client, sign_in, animator, make_draft):
    draft = make_draft()
    sign_in(animator)
    mine = TEXT + "\n\nUn paragraphe que je ne veux pas perdre."
    for base, message in (("abc", "Name the version your text started from."),
                          ("7", "Version 7 of this draft does not exist.")):
        answer = client.post(f"{PAGES}/{draft.id}/edit", data={"body": mine,
                                                               "base_version": base})
        assert answer.status_code == 422
        assert message in answer.text and "je ne veux pas perdre" in answer.text
    too_long = client.post(f"{PAGES}/{draft.id}/edit", data={"body": "x" * 200_001,
                                                             "base_version": "1"})
    assert too_long.status_code == 422 and "at most 200,000 characters" in too_long.text
