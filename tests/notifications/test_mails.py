"""E-mails: urgent at once, the rest as people chose; in their language, both parts, links back,
one-click mute and unsubscribe that need no sign-in."""
import re

from placette.models import Delivery, Mute, User
from placette.testing import mail_html, mail_text


def set_mode(user, **modes):
    user.notification_prefs = dict(user.notification_prefs or {}, **modes)
    user.save()


def links_in(text):
    return re.findall(r"https?://[^\s\"<>]+", text)


def test_urgent_event_is_mailed_at_once_normal_news_waits(app, notes_space, make_user, note,
                                                          happen, outbox):
    space = notes_space()
    reader = make_user(member_of=space)  # default: daily digest
    happen("notes.note.created", space, note(space, "Compte rendu"))
    assert outbox() == []
    happen("notes.meeting.moved", space, note(space, "Réunion du 12 mars"))
    mails = outbox(reader.email)
    assert len(mails) == 1
    assert "Réunion du 12 mars" in mails[0]["Subject"]


def test_immediate_mode_mails_everything_and_off_mails_nothing(app, notes_space, make_user,
                                                               note, happen, outbox):
    space = notes_space()
    eager, silent = make_user(member_of=space), make_user(member_of=space)
    set_mode(eager, email="immediate")
    set_mode(silent, email="off")
    happen("notes.note.created", space, note(space, "Compte rendu"))
    happen("notes.meeting.moved", space, note(space, "Réunion déplacée"))
    assert len(outbox(eager.email)) == 2
    assert outbox(silent.email) == []


def test_mail_has_both_parts_absolute_links_and_list_unsubscribe(app, notes_space, make_user,
                                                                 note, happen, outbox,
                                                                 instance_dir):
    space = notes_space("quartier-sud")
    reader = make_user(member_of=space)
    resource = note(space, "Réunion de quartier")
    happen("notes.meeting.moved", space, resource)
    mail = outbox(reader.email)[0]
    text, html = mail_text(mail), mail_html(mail)
    assert "Réunion de quartier" in text and "Réunion de quartier" in html
    assert f"http://localhost{resource.url}" in text
    assert f'href="http://localhost{resource.url}"' in html
    assert all(link.startswith("http://localhost") for link in links_in(text))
    raw = next((instance_dir / "outbox").glob("*.eml")).read_bytes().decode()
    assert re.search(r"^List-Unsubscribe: <http://localhost/unsubscribe/[\w.-]+>\r?$", raw,
                     re.MULTILINE)
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_mail_is_in_the_recipients_language(app, notes_space, make_user, note, happen, outbox):
    space = notes_space()
    french = make_user(member_of=space, language="fr")
    english = make_user(member_of=space, language="en")
    happen("notes.meeting.moved", space, note(space, "Réunion"))
    assert outbox(english.email)[0]["Subject"] == "[Urgent] Meeting moved: Réunion"
    assert "Réunion déplacée" in outbox(french.email)[0]["Subject"]
    assert "Réunion déplacée" in mail_text(outbox(french.email)[0])
    assert "Réunion déplacée" in mail_html(outbox(french.email)[0])


def test_mute_a_space_in_one_click_without_signing_in_then_undo(client, notes_space, make_user,
                                                                note, happen, outbox):
    space = notes_space("quartier-est")
    reader = make_user(member_of=space)
    happen("notes.meeting.moved", space, note(space))
    links = re.findall(r"http://localhost(/mute/[\w.-]+)", mail_text(outbox()[0]))
    space_link = links[-1]  # the item's link comes first, the space's last
    page = client.get(space_link)
    assert page.status_code == 200 and "Quartier Est" in page.get_data(as_text=True)
    assert Mute.select().count() == 0  # opening the link (a mail scanner) mutes nothing
    client.post(space_link)
    assert Mute.get().space_id == space.id
    happen("notes.meeting.moved", space, note(space))
    assert len(outbox(reader.email)) == 1  # muted: nothing more
    client.post(space_link + "/undo")
    assert Mute.select().count() == 0
    happen("notes.meeting.moved", space, note(space))
    assert len(outbox(reader.email)) == 2


def test_mute_one_item_keeps_the_rest_of_the_space(client, notes_space, make_user, note, happen,
                                                   outbox):
    space = notes_space()
    reader = make_user(member_of=space)
    meeting = note(space, "Réunion")
    happen("notes.meeting.moved", space, meeting)
    item_link = re.findall(r"http://localhost(/mute/[\w.-]+)", mail_text(outbox()[0]))[0]
    client.post(item_link)
    happen("notes.meeting.moved", space, meeting)
    happen("notes.meeting.moved", space, note(space, "Autre réunion"))
    subjects = sorted(m["Subject"] for m in outbox(reader.email))
    assert subjects == ["[Urgent] Réunion déplacée\u00a0: Autre réunion",
                        "[Urgent] Réunion déplacée\u00a0: Réunion"]


def test_forged_or_altered_links_are_404(client, notes_space, make_user, note, happen, outbox):
    space = notes_space()
    make_user(member_of=space)
    happen("notes.meeting.moved", space, note(space))
    link = re.findall(r"http://localhost(/mute/[\w.-]+)", mail_text(outbox()[0]))[-1]
    assert client.get(link[:-2] + "xx").status_code == 404
    assert client.post("/unsubscribe/not-a-token").status_code == 404


def test_mute_link_of_a_space_one_left_is_404(client, notes_space, make_user, note, happen,
                                              outbox):
    from placette.spaces import remove_member
    space = notes_space("groupe-secret", visibility="private")
    reader = make_user(member_of=space)
    happen("notes.meeting.moved", space, note(space))
    link = re.findall(r"http://localhost(/mute/[\w.-]+)", mail_text(outbox()[0]))[-1]
    remove_member(space, reader)
    response = client.get(link)
    assert response.status_code == 404 and "Groupe Secret" not in response.get_data(as_text=True)


def test_one_click_unsubscribe_from_a_mail_program(client, notes_space, make_user, note, happen,
                                                   outbox):
    space = notes_space()
    reader = make_user(member_of=space)
    happen("notes.meeting.moved", space, note(space))
    target = outbox()[0]["List-Unsubscribe"].strip("<>").replace("http://localhost", "")
    response = client.post(target, data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 204
    assert User.get_by_id(reader.id).notification_prefs["email"] == "off"
    happen("notes.meeting.moved", space, note(space))
    assert len(outbox(reader.email)) == 1


def test_unsubscribe_page_confirms_and_can_be_undone(client, csrf_app, notes_space, make_user,
                                                     note, happen, outbox):
    """With CSRF checks on: the mail programs' POST works, the page's own forms too."""
    space = notes_space()
    reader = make_user(member_of=space)
    set_mode(reader, email="weekly")
    happen("notes.meeting.moved", space, note(space))
    target = outbox()[0]["List-Unsubscribe"].strip("<>").replace("http://localhost", "")
    page = client.get(target).get_data(as_text=True)
    assert "Désactiver" in page  # "Switch off", in the city's language
    assert client.post(target, data={"List-Unsubscribe": "One-Click"}).status_code == 204
    assert User.get_by_id(reader.id).notification_prefs["email"] == "off"
    set_mode(User.get_by_id(reader.id), email="weekly")
    done = client.post(target).get_data(as_text=True)  # the page's own button
    assert " : désactivé" in done
    token = re.search(r'name="csrf_token" value="([^"]+)"', done).group(1)
    client.post(target + "/undo", data={"csrf_token": token, "mode": "weekly"})
    assert User.get_by_id(reader.id).notification_prefs["email"] == "weekly"


def test_a_retried_delivery_sends_nothing_twice(app, notes_space, make_user, note, happen,
                                                outbox):
    from placette.notifications.dispatch import deliver
    space = notes_space()
    reader = make_user(member_of=space)
    event = happen("notes.meeting.moved", space, note(space))
    assert deliver(event.id, "email", [reader.id]) == 0
    assert len(outbox(reader.email)) == 1 and Delivery.select().count() == 1


def test_removed_between_event_and_delivery_gets_no_mail(app, notes_space, make_user, note,
                                                         outbox):
    """Checked at sending time: the delivery task runs after the removal."""
    from placette.models import Event
    from placette.notifications.dispatch import deliver, dispatch
    from placette.spaces import remove_member
    space = notes_space(visibility="private")
    leaver, stayer = make_user(member_of=space), make_user(member_of=space)
    event = Event.create(name="notes.meeting.moved", plugin="notes", space=space,
                         resource=note(space))
    app.extensions["placette"].queue.huey.immediate = False  # hold the delivery tasks
    try:
        dispatch(event.id)
    finally:
        app.extensions["placette"].queue.huey.immediate = True
    remove_member(space, leaver)
    assert deliver(event.id, "email", [leaver.id, stayer.id]) == 1
    assert outbox(leaver.email) == [] and len(outbox(stayer.email)) == 1
