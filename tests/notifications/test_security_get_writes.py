"""Issue 18, item to settle: a GET that writes (opening a notification marks it read, ``?lang=``
saves the language in the profile) writes nothing when a link on another site triggered it."""
from __future__ import annotations

from placette.models import Notification, User

CROSS_SITE = {"Sec-Fetch-Site": "cross-site"}
SAME_ORIGIN = {"Sec-Fetch-Site": "same-origin"}


def test_a_cross_site_link_does_not_mark_a_notification_read(client, notes_space, make_user,
                                                            note, happen, sign_in):
    space = notes_space()
    reader = make_user(member_of=space)
    resource = note(space)
    happen("notes.note.created", space, resource)
    sign_in(reader)
    mine = Notification.get()
    response = client.get(f"/notifications/{mine.id}/open", headers=CROSS_SITE)
    assert response.status_code == 302 and response.headers["Location"].endswith(resource.url)
    assert Notification.get_by_id(mine.id).read_at is None
    evil_referer = {"Referer": "https://evil.example/page"}
    client.get(f"/notifications/{mine.id}/open", headers=evil_referer)
    assert Notification.get_by_id(mine.id).read_at is None
    client.get(f"/notifications/{mine.id}/open", headers=SAME_ORIGIN)
    assert Notification.get_by_id(mine.id).read_at is not None


def test_a_cross_site_link_does_not_change_the_profile_language(client, make_user, sign_in):
    user = sign_in(make_user(language="fr"))
    page = client.get("/me/?lang=en", headers=CROSS_SITE)
    assert page.status_code == 200
    assert User.get_by_id(user.id).language == "fr"
    assert "lang=en" not in page.headers.get("Set-Cookie", "")
    client.get("/me/?lang=en", headers=SAME_ORIGIN)  # the site's own language switcher
    assert User.get_by_id(user.id).language == "en"
