"""Each paragraph's own page: the draft page shows the text with a summary beside each
paragraph and a link to its page; that page shows its comments twenty a page (with their
replies), its agreement and rating form, its amendments; a comment's own address (what
notifications, search and activity link to) leads to the page that holds it; a person who may
not see the draft gets 404 everywhere."""
from __future__ import annotations

import importlib.util
import re
from pathlib import Path

from drafting_helpers import BASE, ids_of

PAGES = "/s/quartier-nord/drafting"


def test_a_busy_paragraph_pages_its_comments_with_their_replies(client, sign_in, members,
                                                                 animator, make_draft):
    from placette_plugins.drafting import service
    draft = make_draft(state="consultation")
    pid = ids_of(draft)[2]
    roots = [service.comment(draft, members[n % 3], pid, f"Avis numéro {n}.", notify=False)
             for n in range(25)]
    service.comment(draft, animator, None, "Réponse au dernier.", parent=roots[-1].id,
                    notify=False)
    sign_in(members[0])
    draft_page = client.get(f"{PAGES}/{draft.id}").text
    margin = draft_page[draft_page.index(f'id="paragraph-{pid}"'):]
    assert "25 comments" in margin[:margin.index("</section>")]
    assert "Avis numéro" not in draft_page                      # on the paragraph's page
    url = f"{PAGES}/{draft.id}/paragraphs/{pid}"
    first = client.get(url).text
    assert [int(n) for n in re.findall(r"Avis numéro (\d+)\.", first)] == list(range(20))
    assert "Page 1 of 2" in first and 'rel="next"' in first and "Réponse au dernier." not in first
    second = client.get(f"{url}?page=2").text
    assert [int(n) for n in re.findall(r"Avis numéro (\d+)\.", second)] == list(range(20, 25))
    assert "Réponse au dernier." in second and "Page 2 of 2" in second
    # A page past the last shows the last; nonsense shows the first.
    assert "Avis numéro 24." in client.get(f"{url}?page=9").text
    assert "Avis numéro 0." in client.get(f"{url}?page=abc").text
    # Navigation between paragraphs, and back to the whole text at this paragraph.
    ids = ids_of(draft)
    assert f'href="{PAGES}/{draft.id}/paragraphs/{ids[1]}" rel="prev"' in first
    assert f'href="{PAGES}/{draft.id}/paragraphs/{ids[3]}" rel="next"' in first
    assert f'href="{PAGES}/{draft.id}#paragraph-{pid}"' in first


def test_a_comment_address_leads_to_the_page_holding_it(client, sign_in, members, animator,
                                                         make_draft):
    """Notifications, search and activity link to a comment's own address; it redirects to
    its paragraph's page that shows it (a reply: its comment's), at the comment."""
    import placette
    from placette_plugins.drafting import service
    draft = make_draft(state="consultation")
    pid = ids_of(draft)[1]
    rows = [service.comment(draft, members[1], pid, f"Remarque {n}", notify=False)
            for n in range(22)]
    reply = service.comment(draft, members[0], None, "Je réponds.", parent=rows[21].id)
    own = placette.lookup_resource("drafting", "comment", reply.id)
    assert own.url == f"{PAGES}/{draft.id}/comments/{reply.id}"
    sign_in(members[1])
    # The answered author is told, and the link of the notification lands on the reply.
    page = client.get("/notifications").text
    opened = client.get(re.search(r'href="(/notifications/\d+/open)"', page).group(1))
    assert opened.headers["Location"].endswith(f"{PAGES}/{draft.id}/comments/{reply.id}")
    found = client.get(own.url)
    assert found.status_code == 302
    assert found.headers["Location"].endswith(
        f"/paragraphs/{pid}?page=2#comment-{reply.id}")
    landed = client.get(found.headers["Location"]).text
    assert f'id="comment-{reply.id}"' in landed and "Je réponds." in landed
    first = client.get(f"{PAGES}/{draft.id}/comments/{rows[0].id}")
    assert first.headers["Location"].endswith(f"/paragraphs/{pid}#comment-{rows[0].id}")
    assert client.get(f"{PAGES}/{draft.id}/comments/999999").status_code == 404
    # Posting a comment lands on it too.
    sent = client.post(f"{PAGES}/{draft.id}/comments", data={"paragraph": pid,
                                                              "body": "Une de plus."})
    assert re.search(rf"/paragraphs/{pid}\?page=2#comment-\d+$", sent.headers["Location"])


def test_who_may_not_see_the_draft_gets_404_on_its_paragraphs_and_comments(
        client, sign_in, sign_out, members, outsider, make_draft):
    from placette_plugins.drafting import service
    writing = make_draft(title="En rédaction")
    open_one = make_draft(state="consultation")
    row = service.comment(open_one, members[0], ids_of(open_one)[1], "Visible des membres")
    sign_in(members[0])
    assert client.get(f"{PAGES}/{writing.id}/paragraphs/{ids_of(writing)[1]}"
                      ).status_code == 404                     # not the drafting group
    assert client.get(f"{PAGES}/{open_one.id}/paragraphs/unknown").status_code == 404
    for who in (outsider, None):
        sign_out() if who is None else sign_in(who)
        for path in (f"/{open_one.id}/paragraphs/{ids_of(open_one)[1]}",
                     f"/{open_one.id}/paragraphs/{ids_of(open_one)[1]}?page=2",
                     f"/{open_one.id}/comments/outdated", f"/{open_one.id}/comments/{row.id}"):
            answer = client.get(f"{PAGES}{path}")
            assert answer.status_code == 404, (who, path)
            assert "Visible des membres" not in answer.text


def test_the_draft_page_sums_up_agreement_from_counts_kept_by_the_database(
        client, sign_in, members, animator, make_draft):
    """Ratings are counted per paragraph and level by the database (whatever writes them: the
    page, the API, a bulk insert, erasing an account); the pages and the API agree."""
    from placette.identity.rgpd import erase_user
    from placette_plugins.drafting import service
    from placette_plugins.drafting.models import Rating
    draft = make_draft(state="consultation")
    pid = ids_of(draft)[2]
    service.rate(draft, members[0], pid, 5)
    service.rate(draft, members[1], pid, 2)
    service.rate(draft, members[1], pid, 4)                  # changed their mind
    Rating.insert(draft=draft.id, paragraph=pid, user=animator.id, agreement=3).execute()
    assert service.distributions(draft)[pid] == [0, 0, 1, 1, 1]
    sign_in(members[2])
    answer = client.put(f"{BASE}/drafts/{draft.id}/paragraphs/{pid}/rating",
                        json={"agreement": 1})
    assert answer.get_json()["distribution"] == [1, 0, 1, 1, 1]
    sign_in(members[1])
    page = client.get(f"{PAGES}/{draft.id}").text
    margin = page[page.index(f'id="paragraph-{pid}"'):]
    margin = margin[:margin.index("</section>")]
    assert "Agreement 3.2 out of 5 (4 ratings)" in margin and "Your rating: Agree" in margin
    erase_user(members[0])
    assert service.distributions(draft)[pid] == [1, 0, 1, 1, 0]
    paragraph = client.get(f"{PAGES}/{draft.id}/paragraphs/{pid}").text
    assert "Agreement 2.7 out of 5 (3 ratings)" in paragraph
    assert 'value="4" aria-pressed="true"' in paragraph


def test_older_comment_addresses_are_moved_to_their_own(app, members, make_draft):
    """The registry rows written when comments were on the draft page get their own address."""
    import placette
    from placette.db import database
    from placette_plugins.drafting import service
    draft = make_draft(state="consultation")
    row = service.comment(draft, members[0], ids_of(draft)[1], "Ancien")
    R = placette.Resource
    R.update(url=f"{PAGES}/{draft.id}#comment-{row.id}").where(
        (R.plugin == "drafting") & (R.kind == "comment")
        & (R.object_id == str(row.id))).execute()
    path = Path(service.__file__).parent / "migrations" / "0003_comment_addresses.py"
    spec = importlib.util.spec_from_file_location("comment_addresses", path)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    migration.up(None, database.obj)
    assert placette.lookup_resource("drafting", "comment", row.id).url == \
        f"{PAGES}/{draft.id}/comments/{row.id}"


def test_a_paragraph_page_costs_the_same_queries_with_many_comments(
        client, sign_in, members, make_draft, count_queries):
    from placette_plugins.drafting import service
    draft = make_draft(state="consultation")
    pid = ids_of(draft)[2]
    sign_in(members[0])
    url = f"{PAGES}/{draft.id}/paragraphs/{pid}"

    def grow(comments: int) -> int:
        have = service.Comment.select().count()
        for n in range(have, comments):
            row = service.comment(draft, members[n % 3], pid, f"Avis {n}", notify=False)
            service.comment(draft, members[(n + 1) % 3], None, f"Réponse {n}", parent=row.id,
                            notify=False)
        client.get(url)
        return count_queries(lambda: client.get(url))

    assert grow(2) == grow(60)
