"""``agenda_meeting.last_end`` bounds every date of a series, moved ones included.

Lists skip the meetings that are over by ``last_end``; before this release a date moved past
the end of its series did not push ``last_end``, so it could vanish from the agenda once the
series' original end had passed.  Data only: no column changes.
"""


def up(migrator, db):
    db.execute_sql(
        "UPDATE agenda_meeting SET last_end = ("
        "  SELECT MAX(o.ends_at) FROM agenda_occurrence AS o"
        "  WHERE o.meeting_id = agenda_meeting.id) "
        "WHERE materialized_until IS NULL AND EXISTS ("
        "  SELECT 1 FROM agenda_occurrence AS o"
        "  WHERE o.meeting_id = agenda_meeting.id AND o.ends_at > agenda_meeting.last_end)")


def down(migrator, db):
    """Nothing to undo: the wider bound is right for the previous release too."""
