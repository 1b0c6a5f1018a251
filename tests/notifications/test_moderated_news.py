"""News of a hidden or pending item reach only its author and the space's animators: activity
(page, space home, dashboard, Atom feed, API) and notifications (bell list, API, immediate mails,
digests) are filtered for each reader -- when read, and for mails when they are sent -- and the
news come back for everyone once an animator restores the item."""
import xml.etree.ElementTree as ET

import pytest

from placette.models import FeedToken
from placette.testing import mail_text

from moderation_helpers import hide, restore
from .test_digests import at, digests, set_mode

TITLE = "Propos douteux"
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def council(notes_space):
    return notes_space("conseil")


@pytest.fixture
def people(council, make_user):
    class People:
        animator = make_user(member_of=council, role="animator", name="Karim")
        author = make_user(member_of=council, name="Autrice")
        other = make_user(member_of=council, name="Voisin")
        reporter = make_user(member_of=council, name="Signaleur")
    return People


def activity_of(client, sign_in, person) -> dict[str, bool]:
    """Where ``person`` reads of the item, surface by surface."""
    sign_in(person)
    client.post("/me/feed-key")
    key = FeedToken.get(FeedToken.user == person.id).token
    feed = ET.fromstring(client.get(f"/s/conseil/activity.atom?key={key}").data)
    return {
        "activity page": TITLE in client.get("/s/conseil/activity").get_data(as_text=True),
        "space home": TITLE in client.get("/s/conseil").get_data(as_text=True),
        "dashboard": TITLE in client.get("/").get_data(as_text=True),
        "atom feed": any(TITLE in e.find(f"{ATOM}title").text
                         for e in feed.iter(f"{ATOM}entry")),
        "api": any(a["title"] == TITLE
                   for a in client.get("/api/v1/spaces/conseil/activity").get_json()),
    }


SEEN = {"activity page": True, "space home": True, "dashboard": True, "atom feed": True,
        "api": True}
GONE = dict.fromkeys(SEEN, False)


def test_activity_of_a_hidden_item_is_for_its_author_and_the_animators(
        client, sign_in, council, people, note, happen):
    item = note(council, TITLE, author=people.author)
    happen("notes.note.created", council, item, actor=people.author)
    assert activity_of(client, sign_in, people.other) == SEEN

    hide(client, sign_in, people.reporter, people.animator, item)
    assert activity_of(client, sign_in, people.other) == GONE
    assert activity_of(client, sign_in, people.author) == SEEN
    assert activity_of(client, sign_in, people.animator) == SEEN
    sign_in(people.other)
    client.get("/")
    with client.session_transaction() as session:
        session.clear()                                   # an anonymous visitor
    assert TITLE not in client.get("/s/conseil/activity").get_data(as_text=True)

    restore(client, sign_in, people.animator, item)
    assert activity_of(client, sign_in, people.other) == SEEN


def inbox_of(client, sign_in, person) -> dict[str, object]:
    sign_in(person)
    api = client.get("/api/v1/notifications").get_json()
    return {"page": TITLE in client.get("/notifications").get_data(as_text=True),
            "api": sorted(n["event"] for n in api if n["title"] == TITLE),
            "unread": client.post("/api/v1/notifications/read",
                                  json={"ids": []}).get_json()["unread"]}


def test_the_inbox_keeps_a_hidden_items_news_for_author_and_animators_only(
        client, sign_in, council, people, note, happen):
    item = note(council, TITLE, author=people.author)
    happen("notes.note.created", council, item, actor=people.reporter)
    assert inbox_of(client, sign_in, people.other) == {
        "page": True, "api": ["notes.note.created"], "unread": 1}

    hide(client, sign_in, people.reporter, people.animator, item)
    assert inbox_of(client, sign_in, people.other) == {"page": False, "api": [], "unread": 0}
    sign_in(people.other)
    assert client.get("/").status_code == 200            # the bell counts nothing either
    author = inbox_of(client, sign_in, people.author)     # "your contribution was hidden"
    assert author["api"] == ["notes.note.created", "placette.moderation.decided"]
    animator = inbox_of(client, sign_in, people.animator)  # "a contribution awaits review"
    assert "placette.moderation.review_needed" in animator["api"]

    restore(client, sign_in, people.animator, item)
    assert inbox_of(client, sign_in, people.other)["api"] == ["notes.note.created"]


def test_immediate_mails_about_a_hidden_item_reach_only_author_and_animators(
        client, sign_in, council, people, note, happen, outbox):
    for person in (people.author, people.other, people.animator):
        set_mode(person, email="immediate")
    item = note(council, TITLE, author=people.author)
    hide(client, sign_in, people.reporter, people.animator, item)
    told = [m for m in outbox(people.author.email) if TITLE in mail_text(m)]
    assert len(told) == 1                                  # the decision reaches the author
    assert "Un modérateur a statué sur votre contribution" in mail_text(told[0])

    happen("notes.meeting.moved", council, item, actor=people.reporter)  # urgent news
    assert [m for m in outbox(people.other.email) if TITLE in mail_text(m)] == []
    assert len([m for m in outbox(people.author.email) if TITLE in mail_text(m)]) == 2
    assert any(TITLE in mail_text(m) for m in outbox(people.animator.email))

    restore(client, sign_in, people.animator, item)
    happen("notes.meeting.moved", council, item, actor=people.reporter)
    assert len([m for m in outbox(people.other.email) if TITLE in mail_text(m)]) == 1


def test_a_digest_built_before_the_item_was_hidden_leaves_it_out_when_sent(
        app, client, sign_in, council, people, note, happen, outbox):
    """Built at 8:00 with the item, sent after an animator hid it: checked at sending time."""
    from placette.notifications.digests import run_digests
    item = note(council, TITLE, author=people.author)
    happen("notes.note.created", council, item, actor=people.animator)
    happen("notes.note.created", council, note(council, "Ordre du jour"),
           actor=people.animator)
    huey = app.extensions["placette"].queue.huey
    huey.immediate = False                                 # a real queue, drained by "a worker"
    run_digests(at(8))
    hide(client, sign_in, people.reporter, people.animator, item)
    while (task := huey.dequeue()) is not None:
        huey.execute(task)

    [other] = digests(outbox, people.other.email)
    assert "Ordre du jour" in mail_text(other) and TITLE not in mail_text(other)
    [author] = digests(outbox, people.author.email)
    assert TITLE in mail_text(author)
