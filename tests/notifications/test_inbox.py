"""The bell, the notification list, marking read -- and nobody hears of what they may not see."""
import placette
from placette.models import Notification
from placette.modules import set_module


def bell(client, path="/"):
    """The bell's link, as the page at ``path`` shows it."""
    html = client.get(path).get_data(as_text=True)
    start = html.index('class="bell"')
    return html[start:html.index("</a>", start)]


def test_members_see_news_in_their_bell_and_list(client, notes_space, make_user, note, happen,
                                                 sign_in):
    space = notes_space("quartier-nord")
    author, reader = make_user(member_of=space), make_user(member_of=space)
    happen("notes.note.created", space, note(space, "Compte rendu de mars"), actor=author)
    sign_in(reader)
    assert ">1<" in bell(client).replace(" ", "").replace('<spanclass="visually-hidden">', "<")
    page = client.get("/notifications").get_data(as_text=True)
    assert "Compte rendu de mars" in page and "Nouvelle note" in page  # in French
    assert author.display_name in page and "Quartier Nord" in page


def test_the_author_and_strangers_hear_nothing(client, notes_space, make_user, note, happen):
    space = notes_space()
    author = make_user(member_of=space)
    make_user()  # signed-in stranger: not a member
    happen("notes.note.created", space, note(space), actor=author)
    assert Notification.select().count() == 0


def test_items_for_animators_are_not_told_to_members(app, notes_space, make_user, note, happen):
    space = notes_space()
    member = make_user(member_of=space)
    animator = make_user(member_of=space, role="animator")
    happen("notes.note.created", space, note(space, visibility="animators"))
    assert [n.user_id for n in Notification.select()] == [animator.id]
    assert member.id not in [n.user_id for n in Notification.select()]


def test_explicit_recipients_are_still_checked(app, notes_space, make_user, note, happen):
    """A plugin names who to tell; the kernel still drops whoever may not see the thing."""
    space = notes_space(visibility="private")
    member, outsider = make_user(member_of=space), make_user()
    happen("notes.meeting.moved", space, note(space), recipients=[member.id, outsider.id])
    assert [n.user_id for n in Notification.select()] == [member.id]


def test_removed_member_no_longer_sees_old_notifications(client, notes_space, make_user, note,
                                                          happen, sign_in):
    from placette.spaces import remove_member
    space = notes_space("groupe-prive", visibility="private")
    member = make_user(member_of=space)
    make_user(member_of=space)
    happen("notes.note.created", space, note(space, "Projet d'avis confidentiel"))
    remove_member(space, member)
    sign_in(member)
    assert "confidentiel" not in client.get("/notifications").get_data(as_text=True)
    assert 'class="badge"' not in bell(client)
    mine = Notification.get(Notification.user == member.id)
    assert client.get(f"/notifications/{mine.id}/open").status_code == 404


def test_disabled_module_means_no_notification_and_none_shown(client, notes_space, make_user,
                                                              note, happen, sign_in):
    space = notes_space()
    reader = make_user(member_of=space)
    happen("notes.note.created", space, note(space, "Avant"))
    set_module(space, "notes", False)
    happen("notes.note.created", space, note(space, "Pendant"))
    assert Notification.select().count() == 1
    sign_in(reader)
    assert "Avant" not in client.get("/notifications").get_data(as_text=True)
    set_module(space, "notes", True)
    assert "Avant" in client.get("/notifications").get_data(as_text=True)


def test_open_marks_read_and_goes_to_the_page(client, notes_space, make_user, note, happen,
                                              sign_in):
    space = notes_space()
    reader = make_user(member_of=space)
    resource = note(space)
    happen("notes.note.created", space, resource)
    sign_in(reader)
    mine = Notification.get()
    response = client.get(f"/notifications/{mine.id}/open")
    assert response.status_code == 302 and response.headers["Location"].endswith(resource.url)
    assert Notification.get_by_id(mine.id).read_at is not None
    assert 'class="badge"' not in bell(client)


def test_someone_elses_notification_is_404(client, notes_space, make_user, note, happen,
                                           sign_in):
    space = notes_space()
    make_user(member_of=space)
    other = make_user(member_of=space)
    happen("notes.note.created", space, note(space))
    sign_in(other)
    theirs = Notification.get(Notification.user != other.id)
    assert client.get(f"/notifications/{theirs.id}/open").status_code == 404


def test_mark_one_then_all_read(client, notes_space, make_user, note, happen, sign_in):
    space = notes_space()
    reader = make_user(member_of=space)
    for title in ("Un", "Deux", "Trois"):
        happen("notes.note.created", space, note(space, title))
    sign_in(reader)
    first = Notification.select().order_by(Notification.id).first()
    client.post("/notifications/read", data={"id": str(first.id)})
    assert Notification.select().where(Notification.read_at.is_null()).count() == 2
    assert "Deux" in client.get("/notifications?unread=1").get_data(as_text=True)
    assert "Un<" not in client.get("/notifications?unread=1").get_data(as_text=True)
    client.post("/notifications/read", data={"all": "1"})
    assert Notification.select().where(Notification.read_at.is_null()).count() == 0
    assert "Rien de non lu" in client.get("/notifications?unread=1").get_data(as_text=True)


def _reader_of_101_notes(notes_space, make_user, note):
    """A member of a space where 101 notes were just published: more than the bell counts."""
    space = notes_space()
    reader = make_user(member_of=space)
    with placette.atomic():
        for n in range(101):
            placette.emit("notes.note.created", space=space, resource=note(space, f"N{n}"))
    return reader


def test_bell_caps_at_99(client, notes_space, make_user, note, sign_in):
    sign_in(_reader_of_101_notes(notes_space, make_user, note))
    assert "99+" in bell(client)


def test_inapp_off_hides_the_bell(client, notes_space, make_user, note, happen, sign_in):
    space = notes_space()
    reader = make_user(member_of=space)
    happen("notes.note.created", space, note(space, "Invisible"))
    sign_in(reader)
    client.post("/me/notifications", data={"mode-inapp": "off", "mode-email": "daily"})
    assert 'class="badge"' not in bell(client)
    page = client.get("/notifications").get_data(as_text=True)
    assert "sont désactivées" in page and "Invisible" not in page


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get("/notifications")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_an_event_cannot_point_outside_the_site(client, notes_space, make_user, happen, sign_in):
    space = notes_space("conseil")
    reader = make_user(member_of=space)
    happen("notes.note.created", space, data={"url": "https://evil.example/login"})
    happen("notes.note.created", space, data={"url": "//evil.example/login"})
    sign_in(reader)
    for notification in list(Notification.select()):
        response = client.get(f"/notifications/{notification.id}/open")
        assert response.headers["Location"].endswith("/s/conseil")


def test_the_inbox_page_gives_the_bell_the_number_it_counted(client, notes_space, make_user,
                                                             note, sign_in):
    """The inbox counts the person's readable notifications and the unread ones in one
    statement, and its bell shows that number (no count of its own): the same as on any other
    page, 99+ included, read or not, filtered or not, and a hidden item counted nowhere."""
    from placette.db import query_counter
    sign_in(_reader_of_101_notes(notes_space, make_user, note))
    assert "99+" in bell(client, "/notifications")
    assert "99+" in bell(client, "/notifications?unread=1")
    Notification.update(read_at=placette.utcnow()).where(Notification.id.not_in(
        Notification.select(Notification.id).order_by(Notification.id).limit(3))).execute()
    for path in ("/", "/notifications", "/notifications?unread=1"):
        bell_text = bell(client, path)
        assert ">3<" in bell_text.replace(" ", "").replace('<spanclass="visually-hidden">', "<"), path
    query_counter.reset()
    client.get("/notifications")
    on_inbox = query_counter.count
    query_counter.reset()
    client.get("/notifications?page=2")
    assert query_counter.count == on_inbox
    Notification.update(read_at=placette.utcnow()).execute()
    assert 'class="badge"' not in bell(client, "/notifications")
