"""Comments survive edits: a reorder and a light edit keep them on their passage, a rewritten
passage makes them "outdated" with the original quote, and a look-alike passage elsewhere never
catches them.  Paragraph ids stay with their text."""
from __future__ import annotations

from drafting_helpers import TEXT, ids_of


def comment_state(client, draft_id, comment_id):
    from drafting_helpers import BASE
    found = {c["id"]: c for c in client.get(f"{BASE}/drafts/{draft_id}/comments").get_json()}
    return found[comment_id]["state"], found[comment_id]["paragraph"], found[comment_id]["quote"]


def paragraphs_of(text):
    return text.split("\n\n")


def test_comments_survive_a_reorder_and_an_edit(client, sign_in, animator, members, make_draft):
    from placette_plugins.drafting import service
    draft = make_draft(state="consultation")
    ids = ids_of(draft)
    on_lilas = service.comment(draft, members[0], ids[2], "Et les fauteuils ?",
                               quote="trop étroits")
    on_garage = service.comment(draft, members[1], ids[3], "Oui !", quote="garage à vélos")
    whole = service.comment(draft, members[1], ids[4], "D’accord.")
    parts = paragraphs_of(TEXT)
    # The drafting group moves the garage paragraph first and rewrites around the quotes.
    parts = [parts[0], parts[3].replace("Un garage", "Un grand garage"), parts[1],
             parts[2].replace("rue des Lilas", "rue des Lilas et rue Victor-Hugo"), parts[4]]
    service.save(draft, animator, "\n\n".join(parts), 1, "réorganisation")
    assert ids_of(draft) == [ids[0], ids[3], ids[1], ids[2], ids[4]]  # ids moved with the text
    sign_in(members[0])
    assert comment_state(client, draft.id, on_lilas.id) == ("anchored", ids[2], "trop étroits")
    assert comment_state(client, draft.id, on_garage.id) == ("anchored", ids[3],
                                                             "garage à vélos")
    assert comment_state(client, draft.id, whole.id)[0] == "anchored"
    # A light change inside the quoted passage: still there, "text changed".
    parts[3] = parts[3].replace("trop étroits", "trop étroit")
    parts[4] = parts[4].replace("associé", "associé étroitement")
    service.save(draft, animator, "\n\n".join(parts), draft.version)
    assert comment_state(client, draft.id, on_lilas.id)[:2] == ("changed", ids[2])
    assert comment_state(client, draft.id, whole.id)[0] == "changed"


def test_a_quote_that_goes_away_is_outdated_and_never_moves_to_a_look_alike(
        client, sign_in, animator, members, make_draft):
    from placette_plugins.drafting import service
    body = TEXT + "\n\nLes trottoirs de la place sont larges."
    draft = make_draft(body=body, state="consultation")
    ids = ids_of(draft)
    short = service.comment(draft, members[0], ids[2], "Lesquels ?", quote="Les trottoirs")
    long = service.comment(draft, members[0], ids[2], "Vrai.",
                           quote="trop étroits pour les poussettes")
    parts = paragraphs_of(body)
    parts[2] = "La rue des Lilas deviendra piétonne le samedi."   # rewritten entirely
    service.save(draft, animator, "\n\n".join(parts), 1)
    sign_in(members[0])
    # "Les trottoirs" still exists in the last paragraph: a look-alike, not the passage.
    assert comment_state(client, draft.id, short.id) == ("outdated", ids[2], "Les trottoirs")
    state, _pid, quote = comment_state(client, draft.id, long.id)
    assert (state, quote) == ("outdated", "trop étroits pour les poussettes")
    page = client.get(f"/s/quartier-nord/drafting/{draft.id}")
    assert "Outdated comments" in page.text and "See the 2 outdated comments" in page.text
    outdated = client.get(f"/s/quartier-nord/drafting/{draft.id}/comments/outdated")
    assert "trop étroits pour les poussettes" in outdated.text and "Lesquels ?" in outdated.text
    # Its own address leads there.
    found = client.get(f"/s/quartier-nord/drafting/{draft.id}/comments/{long.id}")
    assert found.headers["Location"].endswith(f"/comments/outdated#comment-{long.id}")
    # The passage comes back word for word in another paragraph: the comment follows it.
    parts.append("Nous le répétons : ils sont trop étroits pour les poussettes, hélas.")
    service.save(draft, animator, "\n\n".join(parts), draft.version)
    state, pid, _quote = comment_state(client, draft.id, long.id)
    assert state == "moved" and pid == ids_of(draft)[-1]
    assert comment_state(client, draft.id, short.id)[0] == "outdated"


def test_paragraph_ids_and_merge_without_the_database():
    from placette_plugins.drafting import text as T
    base = T.assign_ids([], ["Un.", "Deux paragraphes ici.", "Trois.", "Quatre."])
    edited = T.assign_ids(base, ["Un.", "Deux paragraphes ici, modifiés.", "Trois.",
                                 "Quatre."])
    assert [p.id for p in edited] == [p.id for p in base]
    other = T.assign_ids(base, ["Un.", "Deux paragraphes ici.", "Trois, ailleurs.", "Quatre.",
                                "Cinq, nouveau."])
    merged = T.merge(base, edited, other)
    assert not merged.conflicts     # adjacent paragraphs changed on each side: no conflict
    assert [p.text for p in merged.paragraphs] == [
        "Un.", "Deux paragraphes ici, modifiés.", "Trois, ailleurs.", "Quatre.",
        "Cinq, nouveau."]
    unrelated = T.assign_ids(base, ["Un.", "Tout autre chose, sans rapport aucun.", "Trois.",
                                    "Quatre."])
    assert unrelated[1].id != base[1].id    # not recognisably the same: a new paragraph
