"""The agenda's forms (Flask-WTF: CSRF, labels, help texts; every input has a label)."""
from __future__ import annotations

import placette
from flask_wtf import FlaskForm
from wtforms import (DateField, DateTimeLocalField, HiddenField, IntegerField,
                     SelectField, SelectMultipleField, StringField, TextAreaField)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional

_l = placette.lazy_gettext
DT_FORMAT = "%Y-%m-%dT%H:%M"
ONE_LINE = placette.OneLine()  # titles, places, links: what mail subjects and calendars show


def visibility_choices():
    return [SelectChoice("space", _l("Like the space")),
            SelectChoice("public", _l("Public: anyone")),
            SelectChoice("network", _l("Anyone signed in")),
            SelectChoice("members", _l("Members of the space")),
            SelectChoice("animators", _l("Animators only"))]


class MeetingForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200), ONE_LINE])
    starts_at = DateTimeLocalField(_l("Starts"), format=DT_FORMAT,
                                   validators=[DataRequired()])
    ends_at = DateTimeLocalField(_l("Ends"), format=DT_FORMAT, validators=[DataRequired()])
    repeat = SelectField(_l("Repeats"), choices=[
        SelectChoice("none", _l("Does not repeat")),
        SelectChoice("weekly", _l("Every week, same day")),
        SelectChoice("biweekly", _l("Every two weeks, same day")),
        SelectChoice("monthly_weekday", _l("Every month, same weekday (e.g. first Tuesday)")),
        SelectChoice("monthly_day", _l("Every month, same date")),
        SelectChoice("custom", _l("Custom rule (below)"))], default="none")
    repeat_until = DateField(_l("Repeats until (optional)"), validators=[Optional()])
    rrule = StringField(_l("Custom recurrence rule (iCalendar RRULE)"),
                        validators=[Optional(), Length(max=500), ONE_LINE],
                        description=_l("For example FREQ=MONTHLY;BYDAY=1TU for the first "
                                       "Tuesday of each month."))
    description = TextAreaField(_l("Description"), validators=[Length(max=20000)],
                                description=_l("Agenda of the meeting. Markdown is accepted."))
    address = StringField(_l("Address"), validators=[Length(max=300), ONE_LINE],
                          render_kw={"autocomplete": "street-address"})
    room = StringField(_l("Room"), validators=[Length(max=150), ONE_LINE])
    map_url = StringField(_l("Map link (optional)"), validators=[Length(max=500), ONE_LINE])
    online_url = StringField(_l("Online meeting link (optional)"),
                             validators=[Length(max=500), ONE_LINE])
    capacity = IntegerField(_l("Number of seats (optional)"),
                            validators=[Optional(), NumberRange(min=1, max=100000)],
                            description=_l("Leave empty for no limit. Beyond it, people join "
                                           "a waiting list."))
    visibility = SelectField(_l("Who can see it"), choices=visibility_choices())
    reminder_hours = StringField(_l("Reminders (hours before)"),
                                 description=_l("Comma-separated, e.g. 48, 2."))
    spaces = SelectMultipleField(_l("Also show it in (joint meeting)"), choices=[],
                                 validators=[Optional()])


class OccurrenceForm(FlaskForm):
    starts_at = DateTimeLocalField(_l("New start"), format=DT_FORMAT,
                                   validators=[DataRequired()])
    ends_at = DateTimeLocalField(_l("New end"), format=DT_FORMAT, validators=[DataRequired()])


class MinutesForm(FlaskForm):
    text = TextAreaField(_l("Minutes"), validators=[Length(max=100000)],
                         description=_l("What was said and decided. Markdown is accepted."))


class RsvpForm(FlaskForm):
    answer = HiddenField()
    occurrence = HiddenField()
    waiting_list = HiddenField()
