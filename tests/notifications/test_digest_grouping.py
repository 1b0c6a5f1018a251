"""A busy day stays one short mail: one digest line per item and type of news, with a count and
one link; French typography; the reader's language in ``Content-Language``."""
import re

from placette.testing import mail_html, mail_text

from .test_digests import at, digests

NBSP, NNBSP = "\u00a0", "\u202f"  # before ":" ; before ";", "!", "?" (and inside « »)


def comment(happen, space, resource, n, actor=None):
    """A comment-like event, as the discussions plugin emits it: the commented resource is the
    event's resource, the link is the comment's anchor."""
    return happen("notes.comment.created", space, resource, actor=actor,
                  data={"url": f"{resource.url}#comment-{n}"})


def lines_mentioning(text, needle):
    return [line for line in text.splitlines() if needle in line]


def test_twelve_comments_on_one_item_are_one_line_with_a_count(app, notes_space, make_user,
                                                               note, happen, outbox):
    space = notes_space("budget")
    reader = make_user(member_of=space)
    budget = note(space, "Réunion budget")
    other = note(space, "Affiche du marché")
    for n in range(1, 13):
        comment(happen, space, budget, n)
    happen("notes.note.created", space, other)
    run_digests_today()
    [mail] = digests(outbox, reader.email)
    text, html = mail_text(mail), mail_html(mail)
    assert mail["Subject"] == f"Votre journée à Testville{NBSP}: 13 nouveautés"
    [line] = lines_mentioning(text, "Réunion budget")
    assert line == f"- 12 nouveaux commentaires sur «{NBSP}Réunion budget{NBSP}»"
    # One link for the twelve: the newest comment's anchor.
    assert text.count(f"{budget.url}#comment-") == 1
    assert f"http://localhost{budget.url}#comment-12" in text
    assert html.count(f'href="http://localhost{budget.url}#comment-') == 1
    assert f'href="http://localhost{budget.url}#comment-12"' in html
    assert lines_mentioning(text, "Affiche du marché") == [
        f"- Nouvelle note{NBSP}: Affiche du marché"]  # other news keeps its own line
    # The mute links stay: the space's, and (HTML) the busy item's.
    assert len(re.findall(r"/mute/", text)) == 1
    assert "Ne plus recevoir les nouvelles de cet élément" in html
    assert len(text.splitlines()) <= 20  # the whole mail, greeting and links included


def test_a_type_without_grouped_wording_gets_the_generic_line(app, notes_space, make_user,
                                                              note, happen, outbox):
    space = notes_space()
    french = make_user(member_of=space, language="fr")
    english = make_user(member_of=space, language="en")
    item = note(space, "Charte du conseil")
    for _ in range(3):
        happen("notes.note.updated", space, item)
    happen("notes.note.created", space, item)  # another kind of news: its own line
    run_digests_today()
    text = mail_text(digests(outbox, french.email)[0])
    assert lines_mentioning(text, "Charte du conseil") == [
        f"- Note modifiée{NBSP}: 3 mises à jour de «{NBSP}Charte du conseil{NBSP}»",
        f"- Nouvelle note{NBSP}: Charte du conseil"]
    [mail] = [m for m in outbox(english.email) if m["Subject"].startswith("Your day")]
    assert lines_mentioning(mail_text(mail), "Charte du conseil") == [
        "- Note changed: 3 updates on “Charte du conseil”", "- New note: Charte du conseil"]


def test_events_without_a_resource_group_on_the_group_their_plugin_gives(
        app, notes_space, make_user, happen, outbox):
    space = notes_space()
    reader = make_user(member_of=space)
    for n in range(4):
        happen("notes.comment.created", space, data={
            "group": "livre-d-or", "title": "Livre d’or", "url": f"/s/{space.slug}/livre#m{n}"})
    happen("notes.comment.created", space, data={"title": "Sans groupe"})  # stands alone
    run_digests_today()
    text = mail_text(digests(outbox, reader.email)[0])
    assert lines_mentioning(text, "Livre d’or") == [
        f"- 4 nouveaux commentaires sur «{NBSP}Livre d’or{NBSP}»"]
    assert f"http://localhost/s/{space.slug}/livre#m3" in text
    assert lines_mentioning(text, "Sans groupe") == [f"- Nouveau commentaire{NBSP}: Sans groupe"]


def test_digest_carries_the_readers_language_and_french_typography(app, notes_space, make_user,
                                                                   note, happen, outbox):
    space = notes_space()
    french = make_user(member_of=space, language="fr")
    english = make_user(member_of=space, language="en")
    happen("notes.note.created", space, note(space, "Compte rendu"))
    run_digests_today()
    [fr_mail] = digests(outbox, french.email)
    [en_mail] = [m for m in outbox(english.email) if m["Subject"].startswith("Your day")]
    assert fr_mail["Content-Language"] == "fr" and en_mail["Content-Language"] == "en"
    assert '<html lang="fr">' in mail_html(fr_mail) and '<html lang="en">' in mail_html(en_mail)
    for part in (mail_text(fr_mail), mail_html(fr_mail), fr_mail["Subject"]):
        # A space before ":" ";" "!" "?" is non-breaking: the sign never starts a line.
        assert not re.search(r"[ \t\n][:;!?]", part), part
    text = mail_text(fr_mail)
    assert f"Voici ce qui s’est passé aujourd’hui dans vos espaces{NBSP}:" in text
    assert f"- Nouvelle note{NBSP}: Compte rendu" in text
    assert f"Plus aucun e-mail{NBSP}: http://localhost/unsubscribe/" in text
    assert "- New note: Compte rendu" in mail_text(en_mail)


def test_immediate_mails_carry_the_readers_language_too(app, notes_space, make_user, note,
                                                        happen, outbox):
    space = notes_space()
    french = make_user(member_of=space, language="fr")
    english = make_user(member_of=space, language="en")
    happen("notes.meeting.moved", space, note(space, "Réunion du 12"))  # urgent: at once
    [fr_mail], [en_mail] = outbox(french.email), outbox(english.email)
    assert fr_mail["Content-Language"] == "fr" and en_mail["Content-Language"] == "en"
    assert fr_mail["Subject"] == f"[Urgent] Réunion déplacée{NBSP}: Réunion du 12"
    assert not re.search(r"[ \t\n][:;!?]", mail_text(fr_mail))


def run_digests_today():
    from placette.notifications.digests import run_digests
    run_digests(at(8))


def test_a_single_comment_line_also_offers_to_stop_news_of_its_item(app, notes_space, make_user,
                                                                     note, happen, outbox):
    """The issue asks for a way to stop following in every mail: a quiet day with one comment
    on one item still offers the item's own stop link (HTML), not only the space's."""
    space = notes_space("quiet")
    reader = make_user(member_of=space)
    item = note(space, "Compte rendu de mai")
    comment(happen, space, item, 1)
    run_digests_today()
    [mail] = digests(outbox, reader.email)
    html = mail_html(mail)
    assert html.count("Ne plus recevoir les nouvelles de cet élément") == 1
    assert len(re.findall(r"/mute/", html)) >= 2  # the item's and the space's
