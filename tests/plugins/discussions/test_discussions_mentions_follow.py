"""Mentions resolved without JavaScript, following, notifications through the kernel; topics
pages; RGPD erasure ("former member")."""
from __future__ import annotations

from placette.models import Event


def test_a_mention_tells_who_may_see_once_and_warns_about_who_may_not(
        client, people, meeting, sign_in, comment_on):
    comment_on(meeting, people["youssef"], "Je suis l'ordre du jour")     # youssef follows
    sign_in(people["martine"])
    body = "Merci @Youssef Benali et @Léa Martin !"
    preview = client.post("/s/quartier-nord/discussions/comments",
                          data={"resource": meeting.key, "body": body, "preview": "1"})
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert "Léa Martin cannot see this page and will not be told." in html
    assert "2 people will be told." in html           # Youssef, and Karim (the author)
    assert Event.select().where(Event.name.startswith("discussions.comment")).count() == 1
    client.post("/s/quartier-nord/discussions/comments", data={"resource": meeting.key,
                                                                "body": body})
    mentioned = Event.select().where(Event.name == "discussions.comment.mentioned").get()
    created = Event.select().where(Event.name == "discussions.comment.created").order_by(
        Event.id.desc()).get()
    assert mentioned.recipients == [people["youssef"].id]              # told once
    assert created.recipients == [people["karim"].id]                  # not Youssef again
    assert people["lea"].id not in created.recipients + mentioned.recipients
    assert created.resource_id == meeting.id and "#comment-" in created.data["url"]


def test_unfollowing_stops_the_news(client, people, meeting, sign_in, comment_on):
    sign_in(people["karim"])                                            # the meeting's author
    assert "Unfollow this conversation" in client.get(meeting.url).get_data(as_text=True)
    client.post("/s/quartier-nord/discussions/follow",
                data={"resource": meeting.key, "follow": "0"})
    assert "Follow this conversation" in client.get(meeting.url).get_data(as_text=True)
    comment_on(meeting, people["karim"], "Je commente quand même")        # no refollow
    comment_on(meeting, people["martine"], "Bonjour")
    assert not Event.select().where(Event.name == "discussions.comment.created").exists()


def test_topics_page_pinned_first_unread_and_closed(client, council, people, sign_in):
    sign_in(people["martine"])
    for title in ("Ancien", "Récent"):
        client.post("/s/quartier-nord/discussions/topics/new",
                    data={"title": title, "body": "Texte"})
    from placette_plugins.discussions.models import Topic
    old = Topic.get(Topic.title == "Ancien")
    sign_in(people["karim"])
    html = client.get("/s/quartier-nord/discussions/").get_data(as_text=True)
    assert html.index("Récent") < html.index("Ancien") and "Unread" in html
    client.post(f"/s/quartier-nord/discussions/topics/{old.id}", data={"action": "pin"})
    client.post(f"/s/quartier-nord/discussions/topics/{old.id}", data={"action": "close"})
    html = client.get("/s/quartier-nord/discussions/").get_data(as_text=True)
    assert html.index("Ancien") < html.index("Récent") and "Pinned" in html
    sign_in(people["martine"])
    refused = client.post(f"/s/quartier-nord/discussions/topics/{old.id}",
                          data={"body": "encore"})
    assert refused.status_code == 409 and "This topic is closed." in refused.get_data(as_text=True)
    assert client.post(f"/s/quartier-nord/discussions/topics/{old.id}",
                       data={"action": "unpin"}).status_code == 403
    new = client.post("/s/quartier-nord/discussions/topics/new", data={"title": "", "body": "x"})
    assert new.status_code == 422 and "Give the topic a title." in new.get_data(as_text=True)


def test_erased_authors_become_former_member_and_the_thread_stays(
        client, people, meeting, sign_in, comment_on):
    comment_on(meeting, people["martine"], "Mon avis")
    sign_in(people["martine"])
    data = client.get("/me/data.json").get_json()
    assert data["plugins"]["discussions"]["comments"][0]["body"] == "Mon avis"
    from placette_plugins.discussions import rgpd
    import placette
    with placette.atomic():
        rgpd.erase(people["martine"])
        people["martine"].delete_instance()
    sign_in(people["youssef"])
    html = client.get(meeting.url).get_data(as_text=True)
    assert "Mon avis" in html and "Former member" in html


def test_a_comment_held_for_review_tells_followers_and_mentioned_people_once_approved(
        client, council, people, meeting, sign_in, comment_on):
    """Pre-moderation: nobody hears of a newcomer's comment while it waits; the animator's
    approval (the kernel's moderation queue) tells the followers and the mentioned people."""
    from placette.models import ModerationCase
    from placette.space_settings import set_space_settings
    from placette_plugins.discussions.models import Comment
    comment_on(meeting, people["youssef"], "Je suis l'ordre du jour")     # youssef follows
    Event.delete().execute()
    set_space_settings(council, {"premoderation_count": 1})
    sign_in(people["martine"])
    client.post("/s/quartier-nord/discussions/comments",
                data={"resource": meeting.key, "body": "Une question pour @Youssef Benali"})
    held = Comment.get(Comment.body.startswith("Une question"))
    assert held.own.state == "pending"
    assert not Event.select().where(Event.name.startswith("discussions.comment")).exists()
    sign_in(people["karim"])
    case = ModerationCase.get(ModerationCase.resource == held.own_id)
    assert client.post(f"/moderation/cases/{case.id}",
                       data={"decision": "approve"}).status_code == 302
    mentioned = Event.get(Event.name == "discussions.comment.mentioned")
    created = Event.get(Event.name == "discussions.comment.created")
    assert mentioned.recipients == [people["youssef"].id]                 # told once
    assert created.recipients == [people["karim"].id]                     # the meeting's author
    assert mentioned.actor_id == people["martine"].id
    assert f"#comment-{held.id}" in created.data["url"]


def test_every_mail_about_a_followed_item_has_a_one_click_stop_link(
        client, people, meeting, sign_in, comment_on, outbox):
    """The kernel's mail carries "Stop news of this item" (a signed link to the item the comments
    are about): GET only asks, POST stops the news of that conversation, nothing else."""
    import re
    from placette.testing import mail_text
    karim = people["karim"]                                    # follows his meeting
    karim.notification_prefs = dict(karim.notification_prefs or {}, email="immediate")
    karim.save()
    comment_on(meeting, people["martine"], "Premier avis")
    mails = [m for m in outbox(karim.email) if "Premier avis" in mail_text(m)
             or "Conseil de quartier" in mail_text(m)]
    assert len(mails) == 1
    text = mail_text(mails[0])
    assert "Stop news of this item" in text
    link = re.search(r"Stop news of this item: *(\S+)", text).group(1)
    path = link.split("://", 1)[1].split("/", 1)[1]
    client.get("/logout")
    page = client.get("/" + path)
    assert page.status_code == 200 and "<form" in page.get_data(as_text=True)
    comment_on(meeting, people["youssef"], "Deuxième avis")   # a GET wrote nothing
    assert len([m for m in outbox(karim.email) if "Conseil de quartier" in mail_text(m)]) == 2
    assert client.post("/" + path).status_code == 200
    comment_on(meeting, people["martine"], "Troisième avis")
    assert len([m for m in outbox(karim.email) if "Conseil de quartier" in mail_text(m)]) == 2


def test_topic_replies_tell_followers_and_mentioned_people_through_a_space_they_read(
        client, council, people, sign_in, make_space, make_user):
    """The topic's author and everyone who replied follow it; each reply tells them (a mention
    once, not again as a follower); a mention of someone who may read none of the topic's
    spaces tells nobody; a reader of another council listing the topic gets its address there."""
    from placette_plugins.discussions import topics
    from placette_plugins.discussions.models import Topic
    south = make_space("quartier-sud", visibility="members", plugins=["discussions"])
    sam = make_user(name="Sam Sudiste", member_of=south)                # reads only the south
    for person in (people["martine"], people["karim"]):
        from placette.models import Membership
        Membership.create(user=person.id, space=south.id, role="member")
    topic = topics.create_topic(people["martine"], council, "Mobilité", "Vos idées ?",
                                ["quartier-sud"])
    Event.delete().execute()
    sign_in(people["youssef"])
    client.post(f"/s/quartier-nord/discussions/topics/{topic.id}",
                data={"body": "Une piste cyclable, @Sam Sudiste ?"})
    mentioned = Event.get(Event.name == "discussions.topic.mentioned")
    replied = Event.get(Event.name == "discussions.topic.replied")
    assert mentioned.recipients == [sam.id] and mentioned.space_id == south.id
    post_id = mentioned.data["post"]
    assert mentioned.data["url"] == f"/s/quartier-sud/discussions/topics/{topic.id}/posts/{post_id}"
    assert replied.recipients == [people["martine"].id]                 # the topic's author
    assert replied.space_id == council.id and replied.resource_id is not None
    Event.delete().execute()
    sign_in(sam)                                                         # now Sam follows too
    landed = client.get(mentioned.data["url"])                          # the reply's own address
    assert landed.status_code == 302
    assert landed.headers["Location"].endswith(
        f"/s/quartier-sud/discussions/topics/{topic.id}#post-{post_id}")
    client.post(f"/s/quartier-sud/discussions/topics/{topic.id}",
                data={"body": "Oui ! @Léa Martin, qu'en pensez-vous ?"})
    told = {e.space_id: e.recipients for e in
            Event.select().where(Event.name == "discussions.topic.replied")}
    assert told == {council.id: [people["martine"].id, people["youssef"].id]}
    assert not Event.select().where(Event.name == "discussions.topic.mentioned").exists()
    Event.delete().execute()
    sign_in(people["martine"])
    client.post(f"/s/quartier-nord/discussions/topics/{topic.id}", data={"body": "Merci"})
    told = {e.space_id: e.recipients for e in
            Event.select().where(Event.name == "discussions.topic.replied")}
    assert told == {council.id: [people["youssef"].id], south.id: [sam.id]}
    assert Topic.get_by_id(topic.id).post_count == 3
