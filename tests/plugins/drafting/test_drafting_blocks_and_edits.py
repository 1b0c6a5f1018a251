"""Two things a reader notices: a Markdown block with blank lines inside (a fenced code block, a
list whose items are apart, a block quote, a table) is one paragraph -- one summary, one link,
rendered whole -- and a comment's author can correct it (no script needed), marked "edited",
while nobody else can change their words."""
from __future__ import annotations

import re

from drafting_helpers import BASE, TEXT, code, ids_of

PAGES = "/s/quartier-nord/drafting"

FENCED = ("Le conseil propose ce script.\n\n"
          "```\n"
          "def trajets():\n"
          "\n"
          "    return 12\n"
          "```\n\n"
          "- premier point\n\n"
          "- second point\n\n"
          "- troisième point\n\n"
          "| Rue | Vélos |\n|---|---|\n| Lilas | 40 |\n\n"
          "> Une citation\n>\n> sur deux paragraphes\n\n"
          "Fin du texte.")


def test_split_keeps_markdown_blocks_whole():
    from placette_plugins.drafting import text as T
    paragraphs = T.split(FENCED)
    assert len(paragraphs) == 6
    assert paragraphs[1] == "```\ndef trajets():\n\n    return 12\n```"
    assert paragraphs[2] == "- premier point\n\n- second point\n\n- troisième point"
    assert paragraphs[4].startswith("> Une citation\n>\n")
    # Plain paragraphs are cut as before, and nothing of the text is lost on the way back.
    assert T.split(TEXT) == TEXT.split("\n\n")
    assert T.split(T.join(paragraphs)) == paragraphs
    assert T.split("[lien]: https://example.org\n\nTexte [lien].") == [
        "[lien]: https://example.org", "Texte [lien]."]


def test_a_fenced_block_and_a_spaced_list_are_one_paragraph_on_the_page(
        client, sign_in, members, make_draft):
    draft = make_draft(body=FENCED, state="consultation")
    ids = ids_of(draft)
    assert len(ids) == 6
    sign_in(members[0])
    page = client.get(f"{PAGES}/{draft.id}").text
    assert page.count('class="drafting-paragraph"') == 6
    assert page.count("Discuss paragraph") == 6
    code_section = page[page.index(f'id="paragraph-{ids[1]}"'):]
    code_section = code_section[:code_section.index("</section>")]
    assert code_section.count("<pre>") == 1 and "return 12" in code_section
    assert "def trajets():\n\n    return 12" in code_section
    list_section = page[page.index(f'id="paragraph-{ids[2]}"'):]
    list_section = list_section[:list_section.index("</section>")]
    assert list_section.count("<ul>") == 1 and list_section.count("<li>") >= 3
    assert "troisième point" in list_section
    paragraph = client.get(f"{PAGES}/{draft.id}/paragraphs/{ids[1]}").text
    assert paragraph.count("<pre>") == 1 and "Paragraph 2" in paragraph


def test_an_amendment_may_rewrite_a_code_block_but_not_two_paragraphs(members, make_draft):
    import pytest
    from placette_plugins.drafting import service
    draft = make_draft(body=FENCED, state="consultation")
    ids = ids_of(draft)
    service.amend(draft, members[0], ids[1], "```\ndef trajets():\n\n    return 14\n```",
                  "Chiffre à jour")
    with pytest.raises(service.DraftingError) as refused:
        service.amend(draft, members[0], ids[0], "Un.\n\nDeux.", "Deux paragraphes")
    assert refused.value.code == "one_paragraph"


def test_old_versions_keep_their_paragraphs_and_the_margin_follows_a_joined_block(
        animator, members, make_draft):
    """A draft saved before the splitting knew Markdown blocks: its versions keep their
    paragraphs; at its next save the pieces of a cut code block become one paragraph, which
    keeps the first piece's id, and the comments on the other pieces follow it."""
    from placette_plugins.drafting import service
    from placette_plugins.drafting.models import Version
    from placette_plugins.drafting import text as T
    draft = make_draft(body=TEXT, state="consultation")
    old_cut = ["Intro.", "```\nligne 1", "ligne 2\n```", "Fin."]
    old = T.assign_ids([], old_cut)
    # As the former splitting stored it (cut at the blank line inside the fence).
    Version.update(body=T.join(old), paragraphs=[p.as_dict() for p in old]).where(
        (Version.draft == draft.id) & (Version.number == 1)).execute()
    first = service.comment(draft, members[0], old[1].id, "Sur la ligne 1")
    whole = service.comment(draft, members[1], old[2].id, "Sur tout le morceau")
    quoted = service.comment(draft, members[1], old[2].id, "Ce mot", quote="ligne 2")
    service.rate(draft, members[0], old[1].id, 4)
    version_one = [p["id"] for p in service.version_of(draft, 1).paragraphs]
    body = service.version_of(draft).body + "\n\nUn ajout."
    service.save(draft, animator, body, 1)
    assert [p["id"] for p in service.version_of(draft, 1).paragraphs] == version_one
    now = service.paragraphs(service.version_of(draft))
    assert [p.text for p in now] == ["Intro.", "```\nligne 1\n\nligne 2\n```", "Fin.",
                                     "Un ajout."]
    assert now[1].id == old[1].id                   # the first piece's id: its margin stays
    assert service.distributions(draft)[old[1].id] == [0, 0, 0, 1, 0]
    rows = {c.id: c for c in service.Comment.select().where(service.Comment.draft == draft.id)}
    assert rows[first.id].at_paragraph == old[1].id
    assert rows[first.id].anchor_state in ("anchored", "changed")
    for cid in (whole.id, quoted.id):
        assert rows[cid].at_paragraph == old[1].id and rows[cid].anchor_state == "moved"
    counts, outdated = service.comment_counts(draft, members[0])
    assert counts == {old[1].id: 3} and outdated == 0


# --- a comment's author corrects it --------------------------------------------------------

def test_the_author_corrects_a_comment_without_javascript(client, sign_in, members, make_draft):
    from placette.search.query import search
    draft = make_draft(state="consultation")
    pid = ids_of(draft)[1]
    sign_in(members[0])
    sent = client.post(f"{PAGES}/{draft.id}/comments", data={
        "paragraph": pid, "body": "Les pistes cyclabes sont étroites."})
    cid = int(re.search(r"#comment-(\d+)$", sent.headers["Location"]).group(1))
    paragraph = client.get(f"{PAGES}/{draft.id}/paragraphs/{pid}").text
    edit_url = f"{PAGES}/{draft.id}/comments/{cid}/edit"
    assert f'href="{edit_url}">Edit<span class="visually-hidden"> your comment' in paragraph
    assert "drafting-edited" not in paragraph
    form = client.get(edit_url)
    assert form.status_code == 200
    assert "Les pistes cyclabes sont étroites.</textarea>" in form.text
    assert '<label for="comment-body">' in form.text
    empty = client.post(edit_url, data={"body": "  "})
    assert empty.status_code == 422 and 'role="alert"' in empty.text
    saved = client.post(edit_url, data={"body": "Les pistes **cyclables** sont étroites."})
    assert saved.status_code == 302
    assert saved.headers["Location"].endswith(f"/paragraphs/{pid}#comment-{cid}")
    page = client.get(f"{PAGES}/{draft.id}/paragraphs/{pid}").text
    assert "<strong>cyclables</strong>" in page and "cyclabes" not in page
    assert re.search(r'edited <time datetime="\d{4}-\d\d-\d\dT[\d:.]+Z">', page)
    sign_in(members[1])
    seen = client.get(f"{PAGES}/{draft.id}/paragraphs/{pid}").text
    assert "<strong>cyclables</strong>" in seen and 'class="drafting-edited"' in seen
    assert edit_url not in seen                        # not theirs to correct
    hits = search(members[1], "cyclables")
    assert [h.resource.object_id for h in hits.hits if h.resource.kind == "comment"] == [str(cid)]
    assert search(members[1], "cyclabes").hits == []


def test_nobody_else_changes_a_comment(client, sign_in, sign_out, animator, members, outsider,
                                       make_draft):
    from placette_plugins.drafting import service
    draft = make_draft(state="consultation")
    row = service.comment(draft, members[0], ids_of(draft)[1], "Mon avis")
    edit_url = f"{PAGES}/{draft.id}/comments/{row.id}/edit"
    sign_in(members[1])
    assert client.get(edit_url).status_code == 403       # sees it, is not its author
    assert client.post(edit_url, data={"body": "Piraté"}).status_code == 403
    sign_in(animator)                                    # animators moderate, never rewrite
    assert client.get(edit_url).status_code == 403
    sign_in(outsider)
    assert client.get(edit_url).status_code == 404       # may not see the council
    sign_out()
    assert client.get(edit_url).status_code == 404
    assert client.get(f"{PAGES}/{draft.id}/comments/999999/edit").status_code == 404
    assert service.Comment.get_by_id(row.id).body == "Mon avis"
    # After the consultation, the author may no longer change it either.
    service.change_state(draft, animator, "adopted", "Unanimité")
    sign_in(members[0])
    closed = client.get(edit_url, follow_redirects=True)
    assert "taken during the consultation" in closed.text
    assert service.Comment.get_by_id(row.id).body == "Mon avis"


def test_a_hidden_comment_corrected_stays_hidden(client, sign_in, animator, members,
                                                 make_draft):
    import placette
    from placette.models.moderation import ModerationCase
    from placette.moderation.service import decide, report
    from placette_plugins.drafting import service
    draft = make_draft(state="consultation")
    pid = ids_of(draft)[1]
    rude = service.comment(draft, members[0], pid, "Propos injurieux")
    own = placette.lookup_resource("drafting", "comment", rude.id)
    report(members[1], own, "insulte", "other")
    decide(animator, ModerationCase.get(ModerationCase.resource == own.id), "hide", "Charte")
    sign_in(members[0])
    edit_url = f"{PAGES}/{draft.id}/comments/{rude.id}/edit"
    assert client.post(edit_url, data={"body": "Propos corrigé"}).status_code == 302
    assert placette.lookup_resource("drafting", "comment", rude.id).state == "hidden"
    sign_in(members[1])
    assert client.get(edit_url).status_code == 404        # it is hidden from them
    assert "Propos corrigé" not in client.get(f"{PAGES}/{draft.id}/paragraphs/{pid}").text


def test_a_pending_comment_corrected_still_awaits_review(sign_in, council, members, make_draft):
    import placette
    from placette.space_settings import set_space_settings
    from placette_plugins.drafting import service
    set_space_settings(council, {"premoderation_count": 1})
    draft = make_draft(state="consultation")
    row = service.comment(draft, members[2], ids_of(draft)[1], "Premier message")
    assert placette.lookup_resource("drafting", "comment", row.id).state == "pending"
    service.edit_comment(draft, members[2], row.id, "Premier message corrigé")
    own = placette.lookup_resource("drafting", "comment", row.id)
    assert own.state == "pending" and own.summary == "Premier message corrigé"


def test_the_api_patches_one_s_own_comment(client, sign_in, members, make_draft):
    draft = make_draft(state="consultation")
    pid = ids_of(draft)[1]
    sign_in(members[0])
    made = client.post(f"{BASE}/drafts/{draft.id}/comments",
                       json={"paragraph": pid, "body": "Typo ici"}).get_json()
    assert made["edited_at"] is None
    url = f"{BASE}/drafts/{draft.id}/comments/{made['id']}"
    patched = client.patch(url, json={"body": "Pas de typo ici"})
    assert patched.status_code == 200
    out = patched.get_json()
    assert out["body"] == "Pas de typo ici" and out["edited_at"] is not None
    assert out["id"] == made["id"] and out["author"] == "Member 0"
    listed = client.get(f"{BASE}/drafts/{draft.id}/comments").get_json()
    assert listed[0]["body"] == "Pas de typo ici" and listed[0]["edited_at"] is not None
    empty = client.patch(url, json={"body": ""})
    assert empty.status_code == 422 and code(empty) == "empty_body"
    assert set(empty.get_json()["error"]) >= {"code", "message"}
    sign_in(members[1])
    refused = client.patch(url, json={"body": "Piraté"})
    assert refused.status_code == 403 and code(refused) == "not_author"
    missing = client.patch(f"{BASE}/drafts/{draft.id}/comments/999999", json={"body": "x"})
    assert missing.status_code == 404 and code(missing) == "not_found"


def test_the_openapi_document_declares_the_patch(client):
    spec = client.get("/api/openapi.json").get_json()
    path = next(p for p in spec["paths"]
                if p.endswith("/drafting/drafts/{draft_id}/comments/{comment_id}"))
    patch = spec["paths"][path]["patch"]
    assert {"200", "403", "404", "422"} <= set(patch["responses"])


def test_the_correction_form_refuses_a_forged_post(csrf_app, client, sign_in, members,
                                                   make_draft):
    from placette_plugins.drafting import service
    draft = make_draft(state="consultation")
    row = service.comment(draft, members[0], ids_of(draft)[1], "Mon avis")
    edit_url = f"{PAGES}/{draft.id}/comments/{row.id}/edit"
    sign_in(members[0])
    assert client.post(edit_url, data={"body": "Forgé"}).status_code == 400
    form = client.get(edit_url).text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form).group(1)
    assert client.post(edit_url, data={"body": "Corrigé", "csrf_token": token}
                       ).status_code == 302
    assert service.Comment.get_by_id(row.id).body == "Corrigé"
