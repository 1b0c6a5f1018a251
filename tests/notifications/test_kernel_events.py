"""The kernel's own events: requests to join reach the animators, the answer the requester,
a new presentation the members."""
from placette.models import Notification
from placette.spaces import decide_join_request, request_to_join, update_space


def inbox_titles(client):
    return client.get("/notifications").get_data(as_text=True)


def test_request_to_join_notifies_the_animators_only(client, make_space, make_user, sign_in):
    space = make_space("conseil-membres", visibility="members")
    animator = make_user(member_of=space, role="animator", language="en")
    member = make_user(member_of=space)
    newcomer = make_user(name="Nadia Newcomer")
    request_to_join(space, newcomer, "Bonjour")
    assert [n.user_id for n in Notification.select()] == [animator.id]
    sign_in(animator)
    page = inbox_titles(client)
    assert "New request to join" in page and "Nadia Newcomer" in page
    opened = client.get(f"/notifications/{Notification.get().id}/open")
    assert opened.headers["Location"].endswith("/s/conseil-membres/manage/requests")
    assert member.id not in [n.user_id for n in Notification.select()]
    sign_in(member)  # not shown as news of the space either
    assert "Nadia" not in client.get("/s/conseil-membres/activity").get_data(as_text=True)


def test_accepted_request_tells_the_requester(client, make_space, make_user, sign_in):
    space = make_space("conseil", visibility="members")
    animator = make_user(member_of=space, role="animator")
    newcomer = make_user()
    decide_join_request(request_to_join(space, newcomer), True, actor=animator)
    mine = [n for n in Notification.select() if n.user_id == newcomer.id]
    assert len(mine) == 1
    sign_in(newcomer)
    assert "Votre demande d’adhésion a été acceptée" in inbox_titles(client)


def test_new_presentation_is_news_for_members(client, make_space, make_user, sign_in):
    space = make_space("quartier")
    animator = make_user(member_of=space, role="animator")
    member = make_user(member_of=space)
    update_space(space, actor=animator, allow_join_requests=False)  # not news
    assert Notification.select().count() == 0
    update_space(space, actor=animator, description="Nouvelle présentation")
    assert [n.user_id for n in Notification.select()] == [member.id]
    sign_in(member)
    assert "La présentation de l’espace a changé" in client.get(
        "/s/quartier/activity").get_data(as_text=True)
