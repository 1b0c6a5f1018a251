"""Comments under any item, through the ``resource.footer`` slot: post, reply, edit, remove,
stances; the gate; bad input.  Without JavaScript: plain forms and redirects."""
from __future__ import annotations

import re

from placette_plugins.discussions.models import Comment, CommentVersion


def _page(client, resource):
    return client.get(resource.url).get_data(as_text=True)


def test_a_member_comments_under_a_meeting_and_comes_back_to_the_comment(
        client, council, people, meeting, sign_in):
    sign_in(people["martine"])
    assert "0 comments" in _page(client, meeting)
    response = client.post("/s/quartier-nord/discussions/comments",
                           data={"resource": meeting.key, "body": "Je viendrai **avec** des voisins"})
    assert response.status_code == 302
    comment = Comment.get()
    assert response.headers["Location"].endswith(f"{meeting.url}#comment-{comment.id}")
    html = _page(client, meeting)
    assert "1 comment" in html and "<strong>avec</strong>" in html
    assert f'id="comment-{comment.id}"' in html and "Martine Dupont" in html


def test_replies_are_shown_three_deep_then_flattened_with_in_reply_to(
        client, council, people, meeting, sign_in, comment_on):
    a = comment_on(meeting, people["martine"], "Premier")
    b = comment_on(meeting, people["youssef"], "Deuxième", parent=a.id)
    c = comment_on(meeting, people["karim"], "Troisième", parent=b.id)
    sign_in(people["martine"])
    response = client.post("/s/quartier-nord/discussions/comments",
                           data={"resource": meeting.key, "body": "Quatrième", "parent": str(c.id)})
    assert response.status_code == 302
    d = Comment.get(Comment.body == "Quatrième")
    assert (b.depth, c.depth, d.depth) == (1, 2, 2)
    assert d.parent_id == c.id and d.thread_id == b.id   # shown beside c, not under it
    html = _page(client, meeting)
    assert html.count('class="discussions-replies"') == 2
    assert "In reply to Karim Animateur" in html


def test_markdown_is_sanitised_never_executed(client, people, meeting, sign_in):
    sign_in(people["martine"])
    client.post("/s/quartier-nord/discussions/comments",
                data={"resource": meeting.key,
                      "body": "<script>alert(1)</script> <img src=x onerror=alert(2)> ok"})
    html = _page(client, meeting)
    assert "<script>alert(1)" not in html and "<img src=x" not in html
    assert "alert(1)" not in html or "&lt;script&gt;alert(1)" in html
    assert Comment.select().count() == 1


def test_bad_bodies_are_refused_with_the_text_kept_and_nothing_written(
        client, people, meeting, sign_in):
    sign_in(people["martine"])
    for body, message in (("   \n ", "Write something before sending."),
                          ("x" * 10_001, "at most 10000 characters")):
        response = client.post("/s/quartier-nord/discussions/comments",
                               data={"resource": meeting.key, "body": body})
        assert response.status_code == 422
        html = response.get_data(as_text=True)
        assert message in html and 'role="alert"' in html
    assert Comment.select().count() == 0


def test_edit_shows_edited_and_keeps_the_previous_version_for_animators(
        client, people, meeting, sign_in, comment_on):
    comment = comment_on(meeting, people["martine"], "Version une")
    sign_in(people["youssef"])
    assert client.get(f"/s/quartier-nord/discussions/comments/{comment.id}/edit").status_code == 403
    assert client.post(f"/s/quartier-nord/discussions/comments/{comment.id}/edit",
                       data={"body": "pirate"}).status_code == 403
    sign_in(people["martine"])
    response = client.post(f"/s/quartier-nord/discussions/comments/{comment.id}/edit",
                           data={"body": "Version deux"})
    assert response.status_code == 302
    html = _page(client, meeting)
    assert "Version deux" in html and "edited" in html and "Version une" not in html
    assert [v.body for v in CommentVersion.select()] == ["Version une"]
    versions = f"/s/quartier-nord/discussions/comments/{comment.id}/versions"
    assert client.get(versions).status_code == 403
    sign_in(people["karim"])
    assert "Version une" in client.get(versions).get_data(as_text=True)


def test_removal_by_an_animator_leaves_comment_removed_and_keeps_the_replies(
        client, people, meeting, sign_in, comment_on):
    parent = comment_on(meeting, people["martine"], "Propos déplacé")
    comment_on(meeting, people["youssef"], "Une réponse", parent=parent.id)
    sign_in(people["youssef"])
    assert client.post(f"/s/quartier-nord/discussions/comments/{parent.id}/remove"
                       ).status_code == 403
    sign_in(people["karim"])
    assert client.post(f"/s/quartier-nord/discussions/comments/{parent.id}/remove"
                       ).status_code == 302
    sign_in(people["youssef"])
    html = _page(client, meeting)
    assert "Comment removed" in html and "Propos déplacé" not in html and "Une réponse" in html


def test_stances_are_counted_only_where_the_space_uses_them(
        client, council, people, meeting, sign_in, comment_on, make_user):
    sign_in(people["martine"])
    response = client.post("/s/quartier-nord/discussions/comments",
                           data={"resource": meeting.key, "body": "Pour !", "stance": "for"})
    assert response.status_code == 422
    assert "does not use stances" in response.get_data(as_text=True)
    assert Comment.select().count() == 0
    sign_in(make_user(admin=True))
    assert client.put("/api/v1/spaces/quartier-nord/modules/discussions",
                      json={"enabled": True, "settings": {"stances": True}}).status_code == 200
    sign_in(people["martine"])
    comment_on(meeting, people["martine"], "Pour", stance="for")
    comment_on(meeting, people["youssef"], "Contre", stance="against")
    comment_on(meeting, people["karim"], "Pour aussi", stance="for")
    html = _page(client, meeting)
    assert re.search(r"For : 2 · Against : 1 · Neutral : 0", html)


def test_comments_are_seen_exactly_by_who_sees_the_item(
        client, app, council, people, meeting, sign_in, comment_on, make_user):
    comment_on(meeting, people["martine"], "Réservé au conseil")
    sign_in(people["lea"])                                   # not a member of a members space
    assert client.get(meeting.url).status_code == 404
    assert client.post("/s/quartier-nord/discussions/comments",
                       data={"resource": meeting.key, "body": "intrusion"}).status_code == 404
    assert client.get(f"/api/v1/spaces/quartier-nord/discussions/comments?resource={meeting.key}"
                      ).status_code == 404
    assert Comment.select().count() == 1
    sign_in(people["youssef"])
    assert "Réservé au conseil" in _page(client, meeting)


def test_query_count_does_not_grow_with_the_thread(
        client, people, meeting, sign_in, comment_on, count_queries):
    sign_in(people["youssef"])
    for i in range(3):
        comment_on(meeting, people["martine"], f"Commentaire {i}")
    client.get(meeting.url)                  # warm: the first request reads settings once
    small = count_queries(lambda: client.get(meeting.url))
    parent = None
    for i in range(40):
        parent = comment_on(meeting, people["karim" if i % 2 else "martine"], f"Suite {i}",
                            parent=parent.id if parent and i % 3 else None)
    assert "43 comments" in _page(client, meeting)
    big = count_queries(lambda: client.get(meeting.url))
    assert big == small


def test_a_reply_awaiting_review_counts_only_for_its_author_and_the_animators(
        client, council, people, meeting, sign_in, comment_on):
    """A conversation's size (the total, and where pages are cut) counts a reply held for
    review only for those who see it; a top-level comment held for review takes its whole
    conversation out for everyone else."""
    from placette.space_settings import set_space_settings
    comment_on(meeting, people["karim"], "Premier avis")
    set_space_settings(council, {"premoderation_count": 1})
    head = Comment.get(Comment.body == "Premier avis")
    sign_in(people["martine"])
    client.post("/s/quartier-nord/discussions/comments",
                data={"resource": meeting.key, "body": "Réponse en attente",
                      "parent": str(head.id)})
    held = Comment.get(Comment.body == "Réponse en attente")
    assert held.own.state == "pending"
    assert "2 comments" in _page(client, meeting)            # its author sees it
    sign_in(people["karim"])
    assert "2 comments" in _page(client, meeting)            # so does the animator
    sign_in(people["youssef"])
    page = _page(client, meeting)
    assert "1 comment" in page and "Réponse en attente" not in page
    Comment.update(parent=None, thread=None, root=None).where(Comment.id == held.id).execute()
    Comment.update(parent=held.id, thread=held.id, root=held.id, depth=1) \
        .where(Comment.id == head.id).execute()                # the held one now leads
    page = _page(client, meeting)
    assert "Premier avis" not in page and "Réponse en attente" not in page


def test_a_long_thread_is_paged_by_conversation_and_forms_come_back_to_the_right_page(
        client, people, meeting, sign_in, comment_on):
    from placette_plugins.discussions.service import THREADS_PER_PAGE
    first = None
    for i in range(THREADS_PER_PAGE + 2):
        c = comment_on(meeting, people["martine"], f"Fil {i:02d}")
        first = first or c
    sign_in(people["youssef"])
    page1 = _page(client, meeting)
    assert "Fil 00" in page1 and f"Fil {THREADS_PER_PAGE:02d}" not in page1
    assert f"{THREADS_PER_PAGE + 2} comments" in page1
    late = Comment.get(Comment.body == f"Fil {THREADS_PER_PAGE + 1:02d}")
    response = client.post("/s/quartier-nord/discussions/comments",
                           data={"resource": meeting.key, "body": "Réponse tardive",
                                 "parent": str(late.id)})
    reply = Comment.get(Comment.body == "Réponse tardive")
    assert response.headers["Location"].endswith(f"?comments=2#comment-{reply.id}")
    page2 = client.get(f"{meeting.url}?comments=2").get_data(as_text=True)
    assert "Réponse tardive" in page2 and "Fil 00" not in page2


def test_each_comments_links_and_hidden_labels_name_its_author_escaped(
        client, council, people, meeting, sign_in, comment_on, make_user):
    # The comments are written in Python (slots.py), not by Jinja's autoescape: every person's
    # text must still come out escaped, every link and label where the template put them.
    odd = make_user(name='Zoé <b>"O\'Brien"</b>', member_of=council)
    a = comment_on(meeting, odd, "Bonjour")
    b = comment_on(meeting, people["martine"], "Réponse", parent=a.id)
    shown = "Zoé &lt;b&gt;&#34;O&#39;Brien&#34;&lt;/b&gt;"
    base = "/s/quartier-nord/discussions/comments/"
    sign_in(people["martine"])
    html = _page(client, meeting)
    thread = html.split('class="discussions-thread"')[1].split('class="discussions-form"')[0]
    assert "<b>" not in thread and shown in thread
    assert (f'<li class="discussions-comment depth-0">\n<article id="comment-{a.id}" '
            f'aria-labelledby="comment-{a.id}-by">') in html
    assert f'<strong id="comment-{a.id}-by">{shown}</strong>' in html
    assert f'<li class="discussions-comment depth-1">\n<article id="comment-{b.id}"' in html
    assert (f'<a class="discussions-reply" href="{base}{a.id}/reply">Reply'
            f'<span class="visually-hidden"> to {shown}</span></a>') in html
    # someone else's comment: reported, not edited; one's own: edited and removed, not reported
    assert (f'href="/report?resource=discussions.comment%3A{a.id}">Report'
            f'<span class="visually-hidden"> the comment by {shown}</span></a>') in html
    assert f"{base}{a.id}/edit" not in html and f"{base}{a.id}/remove" not in html
    assert (f'<a class="discussions-edit" href="{base}{b.id}/edit">Edit'
            '<span class="visually-hidden"> your comment</span></a>') in html
    assert re.search(rf'<form class="inline" method="post" action="{base}{b.id}/remove">'
                     r'<input type="hidden" name="csrf_token" value="[^"<>&]+"><button', html)
    assert f"discussions.comment%3A{b.id}" not in html
    # an animator removes anyone's comment and reports none
    sign_in(people["karim"])
    html = _page(client, meeting)
    thread = html.split('class="discussions-thread"')[1].split('class="discussions-form"')[0]
    assert f'action="{base}{a.id}/remove"' in thread and "report-link" not in thread
    assert f'<span class="visually-hidden"> the comment by {shown}</span></button>' in html
