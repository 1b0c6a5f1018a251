"""What the agenda offers the public window: meetings, and their minutes once written; only to
those who may see the meeting; never an online meeting's link."""
from __future__ import annotations

import placette


def test_meeting_then_minutes_offer(app, council, animator, make_meeting, make_user):
    from placette_plugins.agenda import plugin, service
    meeting = make_meeting(council, animator, days=-1, title="Conseil de printemps",
                           description="Ordre du **jour**", room="Salle Jaurès",
                           online_url="https://visio.example/salle-privee")
    resource = placette.lookup_resource("agenda", "meeting", meeting.id)
    offer = plugin.showcase_item(resource, animator)
    assert offer.category == "meeting" and offer.dataset == "meetings"
    assert "<strong>jour</strong>" in offer.body_html and offer.decided_at.tzinfo
    assert offer.data["place"] == "Salle Jaurès"
    assert "visio.example" not in repr(offer)
    service.save_minutes(meeting, "", animator, "Le parc **rouvre** en mai.")
    offers = plugin.showcase_items(council, animator)
    assert [(o.resource.object_id, o.category) for o in offers] == [(str(meeting.id),
                                                                     "minutes")]
    assert "<strong>rouvre</strong>" in offers[0].body_html and offers[0].data["has_minutes"]


def test_a_private_group_offers_nothing_to_outsiders(app, make_space, make_meeting, make_user):
    from placette_plugins.agenda import plugin
    group = make_space("groupe", visibility="private", plugins=["agenda"])
    animator = make_user(member_of=group, role="animator")
    meeting = make_meeting(group, animator, title="Réunion du groupe")
    resource = placette.lookup_resource("agenda", "meeting", meeting.id)
    stranger = make_user(name="Sam Stranger")
    assert plugin.showcase_item(resource, stranger) is None
    assert plugin.showcase_items(group, stranger) == []
    assert plugin.showcase_item(resource, animator) is not None


def test_a_narrower_meeting_is_not_offered_to_a_member(app, council, animator, make_meeting,
                                                      make_user):
    from placette_plugins.agenda import plugin
    member = make_user(member_of=council, name="Martine Membre")
    meeting = make_meeting(council, animator, title="Réunion des animateurs",
                           visibility="animators")
    resource = placette.lookup_resource("agenda", "meeting", meeting.id)
    assert plugin.showcase_item(resource, member) is None
    assert plugin.showcase_items(council, member) == []
    assert plugin.showcase_item(resource, animator).title == "Réunion des animateurs"
