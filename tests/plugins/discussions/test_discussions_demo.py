"""The demo city has conversations in public, members-only and private spaces, on meetings,
documents and pages, with mentions and a topic shared by ten councils."""
from __future__ import annotations

import pytest


@pytest.fixture
def placette_plugins():
    return ["agenda", "discussions", "documents", "pages"]


def test_the_demo_city_talks(demo_city, client, sign_in):
    import placette
    from placette_plugins.discussions.models import Comment, Topic, TopicSpace
    rows = list(Comment.select(Comment, placette.Resource, placette.Space)
                .join(placette.Resource, on=(Comment.resource == placette.Resource.id))
                .join(placette.Space, on=(placette.Resource.space == placette.Space.id)))
    assert {c.resource.plugin for c in rows} >= {"agenda", "documents", "pages"}, \
        {c.resource.plugin for c in rows}
    topic_spaces = {t.space.visibility for t in TopicSpace.select(TopicSpace, placette.Space)
                    .join(placette.Space, on=(TopicSpace.space == placette.Space.id))}
    assert {c.resource.space.visibility for c in rows} >= {"public", "members"}
    assert "private" in topic_spaces                    # the budget group talks among itself
    assert any(c.depth == 2 and c.parent_id != c.thread_id for c in rows)   # flattened
    assert any("@Martine Membre" in c.body for c in rows)
    shared = Topic.get(Topic.title.startswith("Plan vélo"))
    assert TopicSpace.select().where(TopicSpace.topic == shared.id).count() == 10
    # the demo member reads it in her council, sees the mention on her council's meeting
    sign_in(demo_city.accounts["member"])
    html = client.get("/s/quartier-bellevue/discussions/").get_data(as_text=True)
    assert "Plan vélo" in html
    mentioned = next(c for c in rows if "@Martine Membre" in c.body
                     and c.resource.space.slug == "quartier-bellevue")
    page = client.get(mentioned.resource.url)
    assert page.status_code == 200 and f'id="comment-{mentioned.id}"' in page.get_data(as_text=True)


def test_the_private_drafting_group_comments_its_meetings_documents_and_page(demo_city):
    """The private budget group (``avis-budget``) talks about its own meetings, documents and
    page, and mentions someone who may see them (so the mention is resolved, not refused)."""
    import placette
    from placette_plugins.discussions import service
    from placette_plugins.discussions.models import Comment
    space = demo_city.spaces["avis-budget"]
    rows = list(Comment.select(Comment, placette.Resource)
                .join(placette.Resource, on=(Comment.resource == placette.Resource.id))
                .where(placette.Resource.space == space.id))
    assert {c.resource.plugin for c in rows} >= {"agenda", "documents", "pages"}, \
        {c.resource.plugin for c in rows}
    mentioning = [c for c in rows if "@" in c.body]
    assert {c.resource.plugin for c in mentioning} >= {"agenda", "documents", "pages"}
    for c in mentioning:
        told = service.mentions_in(c.body, c.resource)
        assert told.told and not told.unseen, c.body
        assert all(service.may_see(u, c.resource) for u in told.told)
