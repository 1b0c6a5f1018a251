"""The digest of a busy day for one recurring meeting: six dates' minutes are one line."""
import datetime as dt

import placette
from placette.testing import mail_html, mail_text

NBSP = "\u00a0"


def tomorrow_at_8():
    """Naive UTC for tomorrow at 8:00 in the city (after the digest hour)."""
    from zoneinfo import ZoneInfo
    paris = ZoneInfo("Europe/Paris")
    day = dt.datetime.now(paris).date() + dt.timedelta(days=1)
    return dt.datetime.combine(day, dt.time(8), tzinfo=paris).astimezone(dt.UTC) \
        .replace(tzinfo=None)


def test_six_minutes_of_one_series_are_one_digest_line(app, council, animator, make_user,
                                                       make_meeting, outbox):
    from placette.notifications.digests import run_digests
    from placette_plugins.agenda import service
    from placette_plugins.agenda.models import MeetingOccurrence

    member = make_user(member_of=council, language="fr")
    english = make_user(member_of=council, language="en")
    series = make_meeting(council, animator, days=-7 * 6 - 1, title="Réunion mensuelle",
                          rrule="FREQ=WEEKLY;COUNT=8")
    past = [key for key, starts_at in MeetingOccurrence
            .select(MeetingOccurrence.key, MeetingOccurrence.starts_at)
            .where(MeetingOccurrence.meeting == series.id)
            .order_by(MeetingOccurrence.starts_at).tuples()
            if starts_at < dt.datetime.utcnow()]
    assert len(past) >= 6
    for key in past[:6]:
        service.save_minutes(series, key, animator, f"Compte rendu du {key}")
    run_digests(tomorrow_at_8())  # the day's news, the announcement of the series included
    [mail] = [m for m in outbox(member.email) if m["Subject"].startswith("Votre journée")]
    text, html = mail_text(mail), mail_html(mail)
    lines = [line for line in text.splitlines() if "Réunion mensuelle" in line]
    assert lines[-1] == (f"- 6 comptes rendus publiés pour «{NBSP}Réunion mensuelle{NBSP}»"
                         " (Karim Animateur)")
    assert len(lines) == 2  # that line, and the announcement of the series
    url = "http://localhost" + placette.Resource.get_by_id(series.resource_id).url
    assert text.count(url) == 2  # not once per date
    assert html.count(f'href="{url}"') == 2
    assert len(text.splitlines()) <= 20
    [en] = [m for m in outbox(english.email) if m["Subject"].startswith("Your day")]
    assert "- 6 minutes published for “Réunion mensuelle” (Karim Animateur)" in mail_text(en)
