"""A long topic reads fifty replies a page, oldest first; every reply and every comment has its
own address, which lands on the page showing it -- what notifications, mentions, search and the
moderation queue link to.  All of it without JavaScript."""
from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest


@pytest.fixture
def long_topic(council, people):
    """Martine's topic with 120 replies by Youssef, "Réponse 0" to "Réponse 119"."""
    from placette_plugins.discussions import topics
    topic = topics.create_topic(people["martine"], council, "Plan vélo", "Vos idées ?")
    posts = [topics.reply(people["youssef"], topic, f"Réponse {n}", notify=False)
             for n in range(120)]
    return topic, posts


def _url(topic):
    return f"/s/quartier-nord/discussions/topics/{topic.id}"


def _shown(html):
    return [int(n) for n in re.findall(r"Réponse (\d+)</p>", html)]


def test_a_long_topic_reads_fifty_replies_a_page_with_links_between_pages(
        client, people, long_topic, sign_in):
    topic, _posts = long_topic
    sign_in(people["karim"])
    first = client.get(_url(topic)).get_data(as_text=True)
    assert _shown(first) == list(range(50))                     # oldest first
    assert "120 replies" in first and "Page 1 of 3" in first
    assert f'href="{_url(topic)}?page=2"' in first              # a plain link: no script
    assert f'href="{_url(topic)}?page=3#posts-title"' in first  # "Latest replies"
    last = client.get(f"{_url(topic)}?page=3").get_data(as_text=True)
    assert _shown(last) == list(range(100, 120))
    assert '<ol class="discussions-thread" start="101">' in last
    assert "Latest replies" not in last
    assert _shown(client.get(f"{_url(topic)}?page=99").get_data(as_text=True)) == \
        list(range(100, 120))                                   # past the last: the last
    assert _shown(client.get(f"{_url(topic)}?page=abc").get_data(as_text=True)) == \
        list(range(50))


def test_a_replys_own_address_lands_on_its_page_and_a_new_reply_on_the_last(
        client, people, long_topic, sign_in):
    from placette_plugins.discussions.models import TopicPost
    topic, posts = long_topic
    sign_in(people["martine"])
    landed = client.get(f"{_url(topic)}/posts/{posts[75].id}")
    assert landed.status_code == 302
    assert landed.headers["Location"].endswith(f"{_url(topic)}?page=2#post-{posts[75].id}")
    page = client.get(landed.headers["Location"]).get_data(as_text=True)
    assert f'id="post-{posts[75].id}"' in page
    early = client.get(f"{_url(topic)}/posts/{posts[3].id}")
    assert early.headers["Location"].endswith(f"{_url(topic)}#post-{posts[3].id}")
    sent = client.post(_url(topic), data={"body": "Ma réponse"})
    new = TopicPost.get(TopicPost.body == "Ma réponse")
    assert sent.headers["Location"].endswith(f"{_url(topic)}?page=3#post-{new.id}")
    assert client.get(f"{_url(topic)}/posts/999999").status_code == 404
    sign_in(people["lea"])                                      # may not read the council
    assert client.get(f"{_url(topic)}/posts/{posts[75].id}").status_code == 404


def test_a_reply_awaiting_review_counts_for_nobody_else_and_its_address_is_a_404(
        client, council, people, long_topic, sign_in):
    from placette.space_settings import set_space_settings
    from placette_plugins.discussions import topics
    topic, _posts = long_topic
    from placette.models import Membership
    from placette_plugins.discussions.models import TopicPost
    set_space_settings(council, {"premoderation_count": 1})
    Membership.create(user=people["lea"].id, space=council.id, role="member")  # a newcomer
    sign_in(people["lea"])
    client.post(_url(topic), data={"body": "Première fois ici"})
    newcomer_post = TopicPost.get(TopicPost.body == "Première fois ici")
    assert topics.post_resource(newcomer_post).state == "pending"
    mine = client.get(f"{_url(topic)}?page=3").get_data(as_text=True)
    assert "Première fois ici" in mine and "121 replies" in mine   # its author sees it
    assert client.get(f"{_url(topic)}/posts/{newcomer_post.id}").status_code == 302
    sign_in(people["youssef"])
    other = client.get(f"{_url(topic)}?page=3").get_data(as_text=True)
    assert "Première fois ici" not in other and "120 replies" in other
    assert client.get(f"{_url(topic)}/posts/{newcomer_post.id}").status_code == 404
    sign_in(people["karim"])                                    # the animator sees it
    assert "Première fois ici" in client.get(f"{_url(topic)}?page=3").get_data(as_text=True)


def test_the_api_reads_a_topic_a_page_of_posts_at_a_time(client, people, long_topic, sign_in):
    topic, posts = long_topic
    sign_in(people["youssef"])
    api = f"/api/v1/spaces/quartier-nord/discussions/topics/{topic.id}"
    first = client.get(api).get_json()
    assert [p["id"] for p in first["posts"]] == [p.id for p in posts[:50]]
    assert (first["page"], first["pages"]) == (1, 3)
    last = client.get(api, query_string={"page": 3}).get_json()
    assert [p["id"] for p in last["posts"]] == [p.id for p in posts[100:]]
    assert last["page"] == 3
    assert client.get(api, query_string={"page": "x"}).status_code == 400
    assert client.get(api, query_string={"page": 0}).status_code == 400


def test_reading_a_topic_again_writes_nothing_and_a_new_reply_makes_it_unread(
        client, people, long_topic, sign_in):
    from placette_plugins.discussions import topics
    from placette_plugins.discussions.models import TopicRead
    topic, _posts = long_topic
    sign_in(people["karim"])
    client.get(_url(topic))
    read_at = TopicRead.get((TopicRead.user == people["karim"].id)
                            & (TopicRead.topic == topic.id)).read_at
    client.get(_url(topic))
    assert TopicRead.get((TopicRead.user == people["karim"].id)
                         & (TopicRead.topic == topic.id)).read_at == read_at
    topics.reply(people["youssef"], topic, "Encore une", notify=False)
    listed = client.get("/s/quartier-nord/discussions/").get_data(as_text=True)
    assert "Unread" in listed
    client.get(_url(topic))
    listed = client.get("/s/quartier-nord/discussions/").get_data(as_text=True)
    assert "Unread" not in listed


def test_a_comments_own_address_lands_on_its_page_of_the_thread(
        client, people, meeting, comment_on, sign_in):
    comments = [comment_on(meeting, people["martine"], f"Avis {n}") for n in range(12)]
    own = comments[11].own
    assert own.url == f"/s/quartier-nord/discussions/comments/{comments[11].id}"
    sign_in(people["youssef"])
    landed = client.get(own.url)
    assert landed.status_code == 302
    assert landed.headers["Location"].endswith(
        f"{meeting.url}?comments=2#comment-{comments[11].id}")
    page = client.get(landed.headers["Location"]).get_data(as_text=True)
    assert f'id="comment-{comments[11].id}"' in page
    sign_in(people["lea"])                                      # may not see the meeting
    assert client.get(own.url).status_code == 404


def test_older_addresses_of_replies_and_comments_are_moved_to_their_own(
        app, council, people, meeting, comment_on):
    """The registry rows written before replies were paginated get the reply's own address."""
    import placette
    from placette.db import database
    from placette_plugins.discussions import topics
    topic = topics.create_topic(people["martine"], council, "Ancien", "Texte")
    post = topics.reply(people["youssef"], topic, "Vieille réponse", notify=False)
    comment = comment_on(meeting, people["martine"], "Vieil avis")
    R = placette.Resource
    R.update(url=f"/s/quartier-nord/discussions/topics/{topic.id}#post-{post.id}").where(
        (R.kind == "post") & (R.object_id == str(post.id))).execute()
    R.update(url=f"{meeting.url}#comment-{comment.id}").where(
        (R.kind == "comment") & (R.object_id == str(comment.id))).execute()
    path = Path(topics.__file__).parent / "migrations" / "0002_own_addresses.py"
    spec = importlib.util.spec_from_file_location("own_addresses", path)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    migration.up(None, database.obj)
    assert topics.post_resource(post).url == topics.post_path("quartier-nord", topic.id, post.id)
    assert R.get((R.kind == "comment") & (R.object_id == str(comment.id))).url == \
        f"/s/quartier-nord/discussions/comments/{comment.id}"


def test_a_page_of_comments_holds_whole_conversations_up_to_thirty_comments(
        client, people, meeting, comment_on, sign_in):
    """Busy conversations are not shown ten a page: a page stops before the conversation
    that would take it past thirty comments (a longer one still shows whole, on its own)."""
    heads = []
    for n in range(3):
        head = comment_on(meeting, people["martine"], f"Sujet {n}")
        heads.append(head)
        for r in range(19 if n < 2 else 39):
            comment_on(meeting, people["youssef"], f"Réponse {n}.{r}", parent=head.id)
    sign_in(people["karim"])
    pages = [client.get(f"{meeting.url}?comments={p}").get_data(as_text=True)
             for p in (1, 2, 3)]
    for number, html in enumerate(pages):
        assert "80 comments" in html
        assert [int(n) for n in re.findall(r"Sujet (\d+)</p>", html)] == [number]
    assert pages[2].count("Réponse 2.") == 39                   # a long one: whole
    last = heads[2]
    landed = client.get(f"/s/quartier-nord/discussions/comments/{last.id}")
    assert landed.headers["Location"].endswith(f"{meeting.url}?comments=3#comment-{last.id}")


def test_bodies_are_stored_rendered_and_older_rows_are_rendered_by_the_migration(
        client, app, people, meeting, comment_on, sign_in):
    """A comment's Markdown is rendered once, when written (and again when edited); a row
    written before that (no stored rendering) still shows rendered, and the migration fills
    it."""
    from placette.db import database
    from placette_plugins.discussions import service
    from placette_plugins.discussions.models import Comment
    comment = comment_on(meeting, people["martine"], "Un **avis** <script>x</script>")
    stored = Comment.get_by_id(comment.id).body_html
    assert "<strong>avis</strong>" in stored and "<script>" not in stored
    service.edit_comment(people["martine"], comment, "Un *autre* avis")
    assert "<em>autre</em>" in Comment.get_by_id(comment.id).body_html
    Comment.update(body_html=None).where(Comment.id == comment.id).execute()
    sign_in(people["youssef"])
    assert "<em>autre</em>" in client.get(meeting.url).get_data(as_text=True)
    path = Path(service.__file__).parent / "migrations" / "0003_rendered_bodies.py"
    spec = importlib.util.spec_from_file_location("rendered_bodies", path)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    migration.backfill(database.obj)
    assert "<em>autre</em>" in Comment.get_by_id(comment.id).body_html
    assert "<em>autre</em>" in client.get(meeting.url).get_data(as_text=True)
