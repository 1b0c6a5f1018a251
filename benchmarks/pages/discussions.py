"""Discussions pages: a meeting with a 500-comment thread, a council's topics list, and a busy
topic's page.

The thread page shows whole conversations (top-level comments with everything under them), up
to 30 comments a page; the benchmark measures its first page, the one everybody lands on; the
topic's page shows its first 50 replies.

Volume: the thread is 500 comments at every scale (a busy consultation: a fifth top-level, the
rest replies up to the third level and beyond, flattened), by 40 different members; the council
has 100 topics per small-scale year (1,000 at medium), each listed in one or two spaces, with
read markers for the viewer on a third of them; the busiest topic has 100 replies per
small-scale year (500 at medium), one in 25 awaiting review or hidden (each reply is a
``discussions.post`` resource: the page reads the few non-visible ones).  The meeting goes through the agenda's service
(one call); comments and topics are bulk-inserted, their bodies stored rendered as the plugin
writes them.
"""
from __future__ import annotations

import datetime as dt

REQUIRES = ["agenda", "discussions"]
TOPICS = {"small": 100, "medium": 1000}
REPLIES = {"small": 100, "medium": 500}
THREAD = 500


def _council(city):
    from placette.models import Membership
    mine = {m.space_id for m in Membership.select(Membership.space)
            .where(Membership.user == city.viewer.id)}
    return next((c for c in city.councils if c.id in mine), city.councils[0])


def seed(city) -> None:
    import placette
    from placette.models import Membership
    from placette_plugins.agenda import service as agenda
    from placette_plugins.discussions.models import (Comment, Topic, TopicRead, TopicSpace,
                                                      rendered)
    rng, now = city.rng, city.now
    council = _council(city)
    start = (now + dt.timedelta(days=10)).replace(microsecond=0, second=0, minute=0)
    meeting = agenda.create_meeting(council, city.admin, {
        "title": "Consultation : plan vélo", "starts_at": start,
        "ends_at": start + dt.timedelta(hours=2)})
    resource = placette.lookup_resource("agenda", "meeting", meeting.id)
    members = [m.user_id for m in Membership.select(Membership.user)
               .where(Membership.space == council.id).limit(40)]
    base = (Comment.select(Comment.id).order_by(Comment.id.desc()).scalar() or 0)
    rows, depth_of, thread_of, root_of = [], {}, {}, {}
    for n in range(THREAD):
        cid = base + n + 1
        parent = None if n % 5 == 0 or not rows else rng.choice(rows[-20:])["id"]
        depth = 0 if parent is None else min(depth_of[parent] + 1, 2)
        thread = None if parent is None else (parent if depth_of[parent] < 2 else thread_of[parent])
        root = None if parent is None else (root_of[parent] or parent)
        depth_of[cid], thread_of[cid], root_of[cid] = depth, thread, root
        author = rng.choice(members)      # drawn before the text, as always (same city)
        body = (f"Avis n° {n} : **d'accord** sur le principe, mais la rue "
                f"{rng.randint(1, 90)} mérite un *vrai* débat.")
        rows.append({"id": cid, "resource": resource.id, "space": council.id, "own": None,
                     "parent": parent, "thread": thread, "root": root, "depth": depth,
                     "author": author, "stance": None,
                     "body": body, "body_html": rendered(body),
                     "created_at": now - dt.timedelta(minutes=THREAD - n), "edited_at": None,
                     "removed_at": None, "removed_by": None})
    city.bulk_insert(Comment, rows)
    count = TOPICS.get(city.scale, 100)
    tbase = (Topic.select(Topic.id).order_by(Topic.id.desc()).scalar() or 0)
    topics, links, reads = [], [], []
    others = [s for s in city.councils if s.id != council.id]
    for n in range(count):
        tid = tbase + n + 1
        at = now - dt.timedelta(hours=n * 7)
        topics.append({"id": tid, "space": council.id, "author": rng.choice(members),
                       "title": f"Sujet {n} : stationnement et pistes cyclables",
                       "body": "Premier message.", "body_html": rendered("Premier message."),
                       "pinned": n in (3, 40), "closed": n % 17 == 0,
                       "created_at": at, "last_activity_at": at, "post_count": n % 12})
        links.append({"topic": tid, "space": council.id})
        if others and n % 4 == 0:
            links.append({"topic": tid, "space": rng.choice(others).id})
        if n % 3 == 0:
            reads.append({"user": city.viewer.id, "topic": tid, "read_at": at})
    city.bulk_insert(Topic, topics)
    city.bulk_insert(TopicSpace, links)
    city.bulk_insert(TopicRead, reads)
    city.discussions_meeting_url = resource.url
    city.discussions_council = council.slug
    _busy_topic(city, council, topics[0], members)


def _busy_topic(city, council, topic: dict, members: list[int]) -> None:
    """The first topic gets its registry row (what its followers follow) and many replies."""
    import placette
    from placette_plugins.discussions.models import TopicPost, rendered
    rng, now = city.rng, city.now
    url = f"/s/{council.slug}/discussions/topics/{topic['id']}"
    placette.publish_resource("discussions", "topic", topic["id"], space=council,
                              title=topic["title"], url=url, author=topic["author"])
    count = REPLIES.get(city.scale, 100)
    base = (TopicPost.select(TopicPost.id).order_by(TopicPost.id.desc()).scalar() or 0)
    posts, held = [], []
    for n in range(count):
        pid = base + n + 1
        author = rng.choice(members)
        body = f"Réponse n° {n} : et la rue {rng.randint(1, 90)} ?"
        posts.append({"id": pid, "topic": topic["id"], "author": author,
                      "body": body, "body_html": rendered(body),
                      "created_at": now - dt.timedelta(minutes=count - n), "edited_at": None,
                      "removed_at": None})
        if n % 25 == 7:
            held.append({"plugin": "discussions", "kind": "post", "object_id": str(pid),
                         "space": council.id, "visibility": None, "author": author,
                         "title": f"💬 {topic['title']}", "summary": "", "url": url,
                         "state": "pending" if n % 2 else "hidden", "created_at": now,
                         "updated_at": now})
    city.bulk_insert(TopicPost, posts)
    city.bulk_insert(placette.Resource, held)
    city.discussions_topic_url = url


def pages(city) -> dict:
    return {
        "discussions_thread": (city.viewer, city.discussions_meeting_url),
        "discussions_topics": (city.viewer, f"/s/{city.discussions_council}/discussions/"),
        "discussions_topic": (city.viewer, city.discussions_topic_url),
    }
