"""Topic replies as comments have them: pre-moderation of newcomers, the "who will be told"
preview and mention suggestions, a follow button, and a follow state that agrees with the
mail's "Stop news of this item" (the kernel's mute)."""
from __future__ import annotations

import re

import pytest
from placette.models import Event, ModerationCase, Mute


@pytest.fixture
def south(make_space):
    return make_space("quartier-sud", visibility="members", plugins=["discussions"],
                      name="Quartier Sud")


@pytest.fixture
def topic(council, people, south):
    """Martine's "Mobilité" topic, listed in the north and the south councils."""
    from placette.models import Membership
    from placette_plugins.discussions import topics
    Membership.create(user=people["martine"].id, space=south.id, role="member")
    row = topics.create_topic(people["martine"], council, "Mobilité", "Vos idées ?",
                              ["quartier-sud"])
    Event.delete().execute()
    return row


def _url(topic, slug="quartier-nord"):
    return f"/s/{slug}/discussions/topics/{topic.id}"


def test_a_newcomers_reply_waits_for_an_animator_then_tells_followers_and_mentioned(
        client, council, people, topic, sign_in):
    from placette.space_settings import set_space_settings
    from placette_plugins.discussions.models import Topic, TopicPost
    set_space_settings(council, {"premoderation_count": 1})
    sign_in(people["youssef"])
    sent = client.post(_url(topic), data={"body": "Une piste cyclable, @Karim Animateur ?"},
                       follow_redirects=True)
    html = sent.get_data(as_text=True)
    assert "your reply will appear once an animator has read it" in html
    assert "Une piste cyclable" in html and "Awaiting an animator" in html   # its author sees it
    held = TopicPost.get(TopicPost.body.startswith("Une piste"))
    assert not Event.select().where(Event.name.startswith("discussions.topic")).exists()
    assert Topic.get_by_id(topic.id).post_count == 0          # nothing new in the list yet
    sign_in(people["martine"])                                # the topic's author: nothing
    assert "Une piste cyclable" not in client.get(_url(topic)).get_data(as_text=True)
    posts = client.get(f"/api/v1/spaces/quartier-nord/discussions/topics/{topic.id}").get_json()
    assert posts["posts"] == []
    sign_in(people["karim"])                                  # the animator: in the queue
    case = ModerationCase.get(ModerationCase.resource == topic_post_resource(held).id)
    assert case.open and case.trigger == "premoderation"
    page = client.get(_url(topic)).get_data(as_text=True)
    assert "Une piste cyclable" in page and "Awaiting an animator" in page
    assert client.post(f"/moderation/cases/{case.id}",
                       data={"decision": "approve"}).status_code == 302
    mentioned = Event.get(Event.name == "discussions.topic.mentioned")
    replied = Event.get(Event.name == "discussions.topic.replied")
    assert mentioned.recipients == [people["karim"].id]              # told once
    assert replied.recipients == [people["martine"].id]              # the follower
    assert mentioned.actor_id == people["youssef"].id
    assert replied.data["url"].endswith(f"/posts/{held.id}")
    assert Topic.get_by_id(topic.id).post_count == 1
    sign_in(people["martine"])
    html = client.get(_url(topic)).get_data(as_text=True)
    assert "Une piste cyclable" in html and "Awaiting an animator" not in html


def topic_post_resource(post):
    import placette
    return placette.lookup_resource("discussions", "post", post.id)


def test_a_hidden_reply_stays_as_removed_and_is_not_searched(
        client, council, people, topic, sign_in):
    from placette_plugins.discussions import topics
    post = topics.reply(people["youssef"], topic, "Texte à retirer")
    from placette.moderation.service import decide, open_case
    case, _ = open_case(topic_post_resource(post), "reports")
    decide(people["karim"], case, "hide", "Hors sujet")
    sign_in(people["martine"])
    html = client.get(_url(topic)).get_data(as_text=True)
    assert "Texte à retirer" not in html and "Comment removed" in html
    detail = client.get(f"/api/v1/spaces/quartier-nord/discussions/topics/{topic.id}").get_json()
    assert detail["posts"][0]["removed"] is True and detail["posts"][0]["body"] == ""


def test_the_reply_box_previews_who_will_be_told_and_suggests_who_may_read_the_topic(
        client, people, topic, south, sign_in, make_user):
    """A topic shared between councils: someone may be mentioned if they read one of its
    spaces (Sam reads only the south); Léa reads none, so she is named as not told, and never
    suggested."""
    sam = make_user(name="Sam Sudiste", member_of=south)
    sign_in(people["youssef"])
    page = client.get(_url(topic)).get_data(as_text=True)
    assert "data-mention-url" in page and "discussions.topic%3A" in page
    preview = client.post(_url(topic), data={"body": "@Sam Sudiste et @Léa Martin, un avis ?",
                                             "preview": "1"})
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert "Léa Martin cannot see this page and will not be told." in html
    assert "2 people will be told." in html                     # Sam, and Martine (the author)
    assert "@Sam Sudiste et @Léa Martin, un avis ?" in html      # the text is kept in the box
    assert not Event.select().exists()                          # a preview writes nothing
    api = "/api/v1/spaces/quartier-nord/discussions/mentions"
    key = f"discussions.topic:{topic.id}"
    found = client.get(api, query_string={"resource": key, "q": "Sa"}).get_json()
    assert [p["name"] for p in found] == [sam.display_name]
    assert client.get(api, query_string={"resource": key, "q": "Lé"}).get_json() == []
    assert client.get(api, query_string={"resource": "discussions.topic:999999",
                                         "q": "Sa"}).status_code == 404
    sent = client.post(_url(topic), data={"body": "@Sam Sudiste et @Léa Martin, un avis ?"},
                       follow_redirects=True)
    assert "Not told (they cannot see this page): Léa Martin." in sent.get_data(as_text=True)
    assert Event.get(Event.name == "discussions.topic.mentioned").recipients == [sam.id]
    empty = client.post(_url(topic), data={"body": "  ", "preview": "1"})
    assert empty.status_code == 422 and "Write something before sending." in \
        empty.get_data(as_text=True)


def test_a_topic_elsewhere_cannot_be_used_to_find_names(client, people, make_space,
                                                         make_user, sign_in):
    """A topic only listed in a council one may not read is a 404 from any other space."""
    from placette_plugins.discussions import topics
    secret = make_space("groupe-prive", visibility="private", plugins=["discussions"])
    boss = make_user(name="Bérénice Privée", member_of=secret, role="animator")
    hidden = topics.create_topic(boss, secret, "Entre nous", "Rien")
    sign_in(people["youssef"])
    answer = client.get("/api/v1/spaces/quartier-nord/discussions/mentions",
                        query_string={"resource": f"discussions.topic:{hidden.id}", "q": "Bé"})
    assert answer.status_code == 404 and "Entre nous" not in answer.get_data(as_text=True)


def test_follow_and_unfollow_a_topic_without_javascript(client, people, topic, sign_in):
    from placette_plugins.discussions import topics
    sign_in(people["martine"])                                  # the author follows
    assert "Unfollow this topic" in client.get(_url(topic)).get_data(as_text=True)
    done = client.post(_url(topic), data={"action": "unfollow"}, follow_redirects=True)
    assert "You no longer follow this topic." in done.get_data(as_text=True)
    assert "Follow this topic" in done.get_data(as_text=True)
    topics.reply(people["youssef"], topic, "Premier avis")
    assert not Event.select().where(Event.name == "discussions.topic.replied").exists()
    sign_in(people["youssef"])                                  # replying made him follow
    assert "Unfollow this topic" in client.get(_url(topic)).get_data(as_text=True)
    sign_in(people["martine"])
    client.post(_url(topic), data={"action": "follow"})
    topics.reply(people["youssef"], topic, "Deuxième avis")
    assert Event.get(Event.name == "discussions.topic.replied").recipients == \
        [people["martine"].id]
    client.get("/logout")
    assert client.post(_url(topic), data={"action": "follow"}).status_code in (302, 401)


def test_stopping_news_from_a_mail_shows_follow_and_following_again_unmutes(
        client, people, topic, sign_in, outbox):
    """The mail's "Stop news of this item" (a kernel mute) and the topic's follow button say
    the same thing: after muting, the page offers "Follow"; following lifts the mute."""
    from placette.testing import mail_text
    from placette_plugins.discussions import topics
    martine = people["martine"]
    martine.notification_prefs = dict(martine.notification_prefs or {}, email="immediate")
    martine.save()
    topics.reply(people["youssef"], topic, "Premier avis")
    mails = [m for m in outbox(martine.email) if "Mobilité" in mail_text(m)]
    assert len(mails) == 1
    link = re.search(r"Stop news of this item: *(\S+)", mail_text(mails[0])).group(1)
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]
    assert client.post(path).status_code == 200                 # muted, signed out
    sign_in(martine)
    html = client.get(_url(topic)).get_data(as_text=True)
    assert "Follow this topic" in html and "Unfollow this topic" not in html
    topics.reply(people["youssef"], topic, "Deuxième avis")
    assert len([m for m in outbox(martine.email) if "Mobilité" in mail_text(m)]) == 1
    client.post(_url(topic), data={"action": "follow"})
    assert not Mute.select().where(Mute.user == martine.id).exists()
    assert "Unfollow this topic" in client.get(_url(topic)).get_data(as_text=True)
    topics.reply(people["youssef"], topic, "Troisième avis")
    assert len([m for m in outbox(martine.email) if "Mobilité" in mail_text(m)]) == 2


def test_muting_a_commented_item_from_a_mail_shows_follow_on_its_page(
        client, people, meeting, sign_in, comment_on):
    """The same agreement for comments: Karim muted his meeting's news from a mail."""
    import placette
    from placette.notifications.links import mute_token
    karim = people["karim"]
    assert client.post(f"/mute/{mute_token(karim.id, resource_id=meeting.id)}").status_code \
        == 200
    assert placette.is_muted(karim, meeting)
    sign_in(karim)
    assert "Follow this conversation" in client.get(meeting.url).get_data(as_text=True)
    comment_on(meeting, people["martine"], "Bonjour")
    assert not Event.select().where(Event.name == "discussions.comment.created").exists()
    client.post("/s/quartier-nord/discussions/follow",
                data={"resource": meeting.key, "follow": "1"})
    assert not placette.is_muted(karim, meeting)
    assert "Unfollow this conversation" in client.get(meeting.url).get_data(as_text=True)
    comment_on(meeting, people["youssef"], "Bonsoir")
    assert Event.get(Event.name == "discussions.comment.created").recipients == sorted(
        [karim.id, people["martine"].id])               # Karim again, and Martine who commented


def test_each_reply_names_its_author_and_date_and_an_erased_one_is_a_former_member(
        client, council, people, topic, sign_in):
    import datetime as dt

    import placette
    from placette_plugins.discussions import topics
    from placette_plugins.discussions.models import TopicPost
    topics.reply(people["martine"], topic, "Plus de bancs", space=council)
    topics.reply(people["karim"], topic, "Et des arbres", space=council)
    when = dt.datetime(2026, 3, 14, 9, 30, 5)
    TopicPost.update(created_at=when).where(TopicPost.body == "Et des arbres").execute()
    sign_in(people["martine"])
    html = client.get(_url(topic)).get_data(as_text=True)
    karims = re.search(r'<strong id="post-\d+-by">([^<]*)</strong> · '
                       r'<time datetime="([^"]*)">([^<]*)</time>[^<]*</p>\s*'
                       r'<div class="discussions-body"><p>Et des arbres', html)
    assert karims, html
    assert karims.group(1) == people["karim"].display_name
    assert karims.group(2) == "2026-03-14T09:30:05Z"
    assert karims.group(3) == placette_format(client, when)
    api = f"/api/v1/spaces/quartier-nord/discussions/topics/{topic.id}"
    by_body = {p["body"]: p for p in client.get(api).get_json()["posts"]}
    assert by_body["Et des arbres"]["author"] == {"id": people["karim"].id,
                                                  "name": people["karim"].display_name}
    assert by_body["Et des arbres"]["created_at"].startswith("2026-03-14T09:30:05")
    assert by_body["Et des arbres"]["body_html"].strip() == "<p>Et des arbres</p>"
    with placette.atomic():
        people["karim"].delete_instance()
    html = client.get(_url(topic)).get_data(as_text=True)
    assert re.search(r'<strong id="post-\d+-by">Former member</strong>', html)
    assert people["karim"].display_name not in html and "Et des arbres" in html
    assert f'>{people["martine"].display_name}</strong>' in html
    by_body = {p["body"]: p for p in client.get(api).get_json()["posts"]}
    assert by_body["Et des arbres"]["author"] == {"id": None, "name": "Former member"}
    assert by_body["Plus de bancs"]["author"]["name"] == people["martine"].display_name


def placette_format(client, when):
    """The date as the page's ``when`` filter writes it (the city's zone and language)."""
    import placette
    with client.application.test_request_context("/"):
        return placette.format_datetime(when)


def test_the_topic_list_links_each_topic_and_names_its_author_and_last_activity(
        client, council, people, topic, sign_in):
    import datetime as dt

    import placette
    from placette_plugins.discussions import topics
    from placette_plugins.discussions.models import Topic
    other = topics.create_topic(people["karim"], council, "Jardins", "Où ?", [])
    when = dt.datetime(2026, 3, 14, 9, 30, 5)
    Topic.update(last_activity_at=when).where(Topic.id == other.id).execute()
    sign_in(people["martine"])
    html = client.get("/s/quartier-nord/discussions/").get_data(as_text=True)
    row = re.search(r'<tr( class="unread")?>\s*<th scope="row"><a href="([^"]*)">Jardins</a>'
                    r'(.*?)</tr>', html, re.S)
    assert row, html
    assert row.group(1) and "Unread" in row.group(3)          # Martine never opened it
    assert row.group(2) == f"/s/quartier-nord/discussions/topics/{other.id}"
    assert f"<td>{people['karim'].display_name}</td>" in row.group(3)
    assert (f'<time datetime="2026-03-14T09:30:05Z">{placette_format(client, when)}</time>'
            in row.group(3))
    assert client.get(row.group(2)).status_code == 200
    listed = client.get("/s/quartier-nord/discussions/").get_data(as_text=True)
    assert not re.search(r'<tr class="unread">\s*<th scope="row"><a href="[^"]*">Jardins',
                         listed)
    with placette.atomic():
        people["karim"].delete_instance()
    html = client.get("/s/quartier-nord/discussions/").get_data(as_text=True)
    assert "<td>Former member</td>" in html and people["karim"].display_name not in html
