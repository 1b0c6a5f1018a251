"""The drafting API as a client sees it: drafts, saves merged or refused with their conflicts,
versions and diffs, comments, ratings, amendments, the workflow, and every bad input."""
from __future__ import annotations

import pytest

from drafting_helpers import BASE, TEXT, code, ids_of


def test_create_then_save_from_the_current_version(client, sign_in, animator):
    sign_in(animator)
    made = client.post(f"{BASE}/drafts", json={"title": "Avis", "body": TEXT})
    assert made.status_code == 201, made.get_json()
    draft = made.get_json()
    assert draft["version"] == 1 and draft["state"] == "writing"
    assert [p["text"][:10] for p in draft["paragraphs"]][1] == "Le conseil"
    ids = [p["id"] for p in draft["paragraphs"]]
    body = TEXT.replace("trop étroits", "bien trop étroits")
    saved = client.put(f"{BASE}/drafts/{draft['id']}", json={"body": body, "base_version": 1,
                                                            "note": "précision"})
    assert saved.status_code == 200, saved.get_json()
    assert saved.get_json()["version"] == 2
    assert [p["id"] for p in saved.get_json()["paragraphs"]] == ids  # ids survive an edit
    versions = client.get(f"{BASE}/drafts/{draft['id']}/versions").get_json()
    assert [(v["number"], v["note"], v["author"]) for v in versions] == [
        (2, "précision", "Karim Animateur"), (1, "", "Karim Animateur")]
    diff = client.get(f"{BASE}/drafts/{draft['id']}/diff?from=1&to=2").get_json()
    changed = [p for p in diff["paragraphs"] if p["status"] == "changed"]
    assert len(changed) == 1 and ["+", "bien "] in changed[0]["ops"]
    assert diff["from"] == 1 and diff["to"] == 2
    restored = client.post(f"{BASE}/drafts/{draft['id']}/versions/1/restore")
    assert restored.status_code == 200 and restored.get_json()["version"] == 3
    assert restored.get_json()["body"] == TEXT
    assert client.post(f"{BASE}/drafts/{draft['id']}/versions/9/restore").status_code == 404


def test_two_saves_from_one_version_are_merged_or_conflict(client, sign_in, animator,
                                                           make_draft):
    draft = make_draft()
    sign_in(animator)
    url = f"{BASE}/drafts/{draft.id}"
    first = client.put(url, json={"body": TEXT.replace("avenue Jaurès", "avenue Jean-Jaurès"),
                                  "base_version": 1})
    assert first.status_code == 200
    second = client.put(url, json={"body": TEXT.replace("du marché", "du marché couvert"),
                                   "base_version": 1})
    assert second.status_code == 200 and second.get_json()["merged"] is True
    merged = second.get_json()["body"]
    assert "avenue Jean-Jaurès" in merged and "marché couvert" in merged
    clash = client.put(url, json={"body": TEXT.replace("avenue Jaurès", "rue Jaurès"),
                                  "base_version": 1})
    assert clash.status_code == 409
    error = clash.get_json()["error"]
    assert error["code"] == "conflict"
    assert [(d["paragraph"], "rue Jaurès" in d["yours"], "Jean-Jaurès" in d["current"])
            for d in error["details"]] == [(ids_of(draft)[1], True, True)]
    assert client.get(url).get_json()["version"] == 3  # nothing written


@pytest.mark.parametrize("body, status, error", [
    ({"body": TEXT, "base_version": 99}, 422, "unknown_base_version"),
    ({"body": TEXT, "base_version": 0}, 422, "unknown_base_version"),
    ({"body": "x" * 200_001, "base_version": 1}, 413, "body_too_long"),
    ({"body": "   ", "base_version": 1}, 422, "empty_body"),
    ({"body": TEXT}, 422, "invalid_body"),
])
def test_bad_saves_write_nothing(client, sign_in, animator, make_draft, body, status, error):
    draft = make_draft()
    sign_in(animator)
    answer = client.put(f"{BASE}/drafts/{draft.id}", json=body)
    assert answer.status_code == status and code(answer) == error, answer.get_json()
    assert client.get(f"{BASE}/drafts/{draft.id}").get_json()["version"] == 1


def test_comments_ratings_and_amendments_in_consultation(client, sign_in, members, animator,
                                                         make_draft, events):
    draft = make_draft(state="consultation")
    ids = ids_of(draft)
    sign_in(members[0])
    url = f"{BASE}/drafts/{draft.id}"
    made = client.post(f"{url}/comments", json={"paragraph": ids[1], "quote": "pistes cyclables",
                                                "body": "Et l’éclairage ?"})
    assert made.status_code == 201, made.get_json()
    comment = made.get_json()
    assert comment["outdated"] is False and comment["state"] == "anchored"
    rated = client.put(f"{url}/paragraphs/{ids[2]}/rating", json={"agreement": 4})
    assert rated.get_json()["distribution"] == [0, 0, 0, 1, 0]
    sign_in(members[1])
    client.put(f"{url}/paragraphs/{ids[2]}/rating", json={"agreement": 1})
    again = client.put(f"{url}/paragraphs/{ids[2]}/rating", json={"agreement": 2})
    assert again.get_json()["distribution"] == [0, 1, 0, 1, 0]
    amended = client.post(f"{url}/amendments", json={
        "paragraph": ids[3], "text": "Un garage à vélos gratuit près du marché.",
        "reason": "La gratuité compte."})
    assert amended.status_code == 201
    sign_in(animator)
    reply = client.post(f"{url}/comments", json={"parent": comment["id"], "body": "Oui."})
    assert reply.status_code == 201
    assert [e["recipients"] for e in events("drafting.comment.answered")] == [[members[0].id]]
    decided = client.post(f"{url}/amendments/{amended.get_json()['id']}/decision",
                          json={"accept": True})
    assert decided.status_code == 200 and decided.get_json()["applied_version"] == 2
    current = client.get(url).get_json()
    assert "gratuit" in current["body"] and current["version"] == 2
    versions = client.get(f"{url}/versions").get_json()
    assert versions[0]["author"] == "Member 1" and versions[0]["amendment"]
    assert [e["recipients"] for e in events("drafting.amendment.decided")] == [[members[1].id]]
    listed = client.get(f"{url}/amendments").get_json()
    assert [a["status"] for a in listed] == ["accepted"]


@pytest.mark.parametrize("path, body, status, error", [
    ("comments", {"paragraph": "pnothere", "body": "x"}, 422, "unknown_paragraph"),
    ("comments", {"paragraph": 1, "quote": "pas dans le texte", "body": "x"}, 422,
     "quote_not_found"),
    ("comments", {"paragraph": 1, "body": "  "}, 422, "empty_body"),
    ("paragraphs/1/rating", {"agreement": 6}, 422, "agreement_out_of_range"),
    ("paragraphs/1/rating", {"agreement": 0}, 422, "agreement_out_of_range"),
    ("amendments", {"paragraph": 1, "text": "x", "reason": ""}, 422, "empty_reason"),
])
def test_bad_contributions_are_refused(client, sign_in, members, make_draft, path, body,
                                       status, error):
    draft = make_draft(state="consultation")
    ids = ids_of(draft)
    path = path.replace("/1/", f"/{ids[1]}/")
    if body.get("paragraph") == 1:
        body = {**body, "paragraph": ids[1]}
    sign_in(members[0])
    method = client.put if "rating" in path else client.post
    answer = method(f"{BASE}/drafts/{draft.id}/{path}", json=body)
    assert answer.status_code == status and code(answer) == error, answer.get_json()
    assert client.get(f"{BASE}/drafts/{draft.id}/comments").get_json() == []
    assert client.get(f"{BASE}/drafts/{draft.id}/amendments").get_json() == []


def test_a_comment_on_a_paragraph_of_another_draft_is_refused(client, sign_in, members,
                                                             make_draft):
    one, other = make_draft(state="consultation"), make_draft(state="consultation")
    sign_in(members[0])
    answer = client.post(f"{BASE}/drafts/{one.id}/comments",
                         json={"paragraph": ids_of(other)[1], "body": "Ailleurs"})
    assert answer.status_code == 422 and code(answer) == "unknown_paragraph"


def test_the_workflow_goes_one_step_at_a_time_by_whoever_may(client, sign_in, members,
                                                              animator, make_draft, events):
    draft = make_draft()
    url = f"{BASE}/drafts/{draft.id}"
    sign_in(animator)
    skip = client.post(f"{url}/state", json={"state": "adopted"})
    assert skip.status_code == 409 and code(skip) == "invalid_transition"
    assert client.post(f"{url}/state", json={"state": "consultation"}).status_code == 200
    assert len(events("drafting.draft.consultation")) == 1
    sign_in(members[0])
    refused = client.post(f"{url}/state", json={"state": "adopted"})
    assert refused.status_code == 403
    sign_in(animator)
    adopted = client.post(f"{url}/state", json={"state": "adopted",
                                                "decision": "14 pour, 2 contre"})
    assert adopted.get_json()["state"] == "adopted"
    assert adopted.get_json()["decision"] == "14 pour, 2 contre"
    frozen = client.put(url, json={"body": TEXT + "\n\nEncore.", "base_version": 1})
    assert frozen.status_code == 409 and code(frozen) == "frozen"
    sign_in(members[0])
    late = client.post(f"{url}/amendments", json={"paragraph": ids_of(draft)[1], "text": "x",
                                                  "reason": "y"})
    assert late.status_code == 409 and code(late) == "frozen"


def test_outsiders_and_members_see_nothing_they_may_not(client, sign_in, sign_out, members,
                                                        outsider, make_draft):
    writing = make_draft(title="Brouillon secret")
    open_one = make_draft(state="consultation", title="Avis ouvert")
    sign_in(members[0])  # not in the drafting group: a draft being written does not exist
    assert client.get(f"{BASE}/drafts/{writing.id}").status_code == 404
    assert [d["title"] for d in client.get(f"{BASE}/drafts").get_json()] == ["Avis ouvert"]
    for who in (outsider, None):
        sign_out() if who is None else sign_in(who)
        for path in ("", "/comments", "/versions", "/amendments", "/export.pdf", "/diff"):
            assert client.get(f"{BASE}/drafts/{open_one.id}{path}").status_code == 404, path
        assert client.get(f"{BASE}/drafts").status_code == 404
        posted = client.post(f"{BASE}/drafts/{open_one.id}/comments",
                             json={"paragraph": ids_of(open_one)[1], "body": "x"})
        assert posted.status_code in (401, 404)


def test_exports_carry_council_version_and_contributors(client, sign_in, members,
                                                         make_draft):
    draft = make_draft(state="consultation")
    sign_in(members[0])
    pdf = client.get(f"{BASE}/drafts/{draft.id}/export.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    odt = client.get(f"{BASE}/drafts/{draft.id}/export.odt?version=1")
    assert odt.status_code == 200 and odt.data.startswith(b"PK")
    import io
    import zipfile
    content = zipfile.ZipFile(io.BytesIO(odt.data)).read("content.xml").decode()
    assert "Quartier Nord" in content and "Karim Animateur" in content
    assert "Version 1" in content and "mobilités" in content
    from pypdf import PdfReader
    text = PdfReader(io.BytesIO(pdf.data)).pages[0].extract_text()
    assert "Quartier Nord" in text and "Karim Animateur" in text and "l’avenue" in text
    assert client.get(f"{BASE}/drafts/{draft.id}/export.pdf?version=9").status_code == 404


def test_a_space_lets_its_members_write_by_adjusting_the_grant(client, sign_in, make_user,
                                                               council, members, make_draft):
    """The drafting group is whoever holds ``drafting.draft.edit``: animators by default; the
    space's admin lets members write from the permissions page."""
    draft = make_draft()
    url = f"{BASE}/drafts/{draft.id}"
    sign_in(members[0])
    assert client.get(url).status_code == 404            # being written: not the group yet
    admin = make_user(member_of=council, role="admin")
    sign_in(admin)
    assert "drafting.draft.edit" in client.get("/s/quartier-nord/manage/grants").text
    client.post("/s/quartier-nord/manage/grants", data={"drafting.draft.edit": "member"})
    sign_in(members[0])
    saved = client.put(url, json={"body": TEXT + "\n\nUn ajout.", "base_version": 1})
    assert saved.status_code == 200 and saved.get_json()["version"] == 2
