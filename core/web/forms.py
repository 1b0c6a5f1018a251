"""Forms of the kernel's pages (Flask-WTF: validation, CSRF, labels for accessibility)."""
from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (BooleanField, DateField, EmailField, HiddenField, PasswordField,
                     RadioField, SelectField, SelectMultipleField, StringField, TelField,
                     TextAreaField)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length, Optional, Regexp, ValidationError

from ..i18n import lazy_gettext as _l
from ..identity.accounts import has_control_characters
from ..oneline import OneLine


class NoControlCharacters:
    """Refuse invisible control characters (NUL, escape...), which no keyboard types.

    ``multiline`` allows line breaks and tabs (text areas).  Without it a pasted NUL byte would
    reach the database, which PostgreSQL refuses -- a 500 instead of a form error.
    """

    def __init__(self, multiline: bool = False):
        self.multiline = multiline

    def __call__(self, form, field):
        if isinstance(field.data, str) and has_control_characters(field.data, self.multiline):
            raise ValidationError(_l("Remove the invisible control characters."))

ROLE_CHOICES = [SelectChoice("member", _l("Member")), SelectChoice("animator", _l("Animator")),
                SelectChoice("guest", _l("Guest")), SelectChoice("admin", _l("Administrator"))]
VISIBILITY_CHOICES = [
    SelectChoice("public", _l("Public: anyone, even without an account")),
    SelectChoice("network", _l("Network: anyone signed in to the city's site")),
    SelectChoice("members", _l("Members: listed, but read by its members only")),
    SelectChoice("private", _l("Private: unlisted, members only")),
]


class EmailForm(FlaskForm):
    email = EmailField(_l("E-mail address"), validators=[DataRequired(), Email(), Length(max=254)],
                       render_kw={"autocomplete": "email"})
    next = HiddenField()


class PasswordSignInForm(FlaskForm):
    email = EmailField(_l("E-mail address"), validators=[DataRequired(), Email(), Length(max=254)],
                       render_kw={"autocomplete": "username"})
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)],
                             render_kw={"autocomplete": "current-password"})
    next = HiddenField()


class ConfirmForm(FlaskForm):
    """A form with only its CSRF token: confirmation buttons."""


class NewPasswordForm(FlaskForm):
    password = PasswordField(_l("New password"), validators=[DataRequired(), Length(min=10,
                                                                                    max=200)],
                             description=_l("At least 10 characters."),
                             render_kw={"autocomplete": "new-password"})


class ChangePasswordForm(NewPasswordForm):
    """A signed-in person's new password: the current one is asked first, so a stolen session
    does not become a stolen account."""

    current_password = PasswordField(_l("Current password"),
                                     validators=[DataRequired(), Length(max=200)],
                                     render_kw={"autocomplete": "current-password"})


class AcceptInvitationForm(FlaskForm):
    display_name = StringField(_l("Your name, as others will see it"),
                               validators=[Optional(), Length(max=120), NoControlCharacters()],
                               render_kw={"autocomplete": "name"})
    password = PasswordField(_l("A password (optional)"),
                             validators=[Optional(), Length(min=10, max=200)],
                             description=_l("You can always sign in with a link sent by e-mail "
                                            "instead."),
                             render_kw={"autocomplete": "new-password"})


class ProfileForm(FlaskForm):
    display_name = StringField(_l("Name shown to others"), validators=[DataRequired(),
                                                                        Length(max=120),
                                                                        NoControlCharacters()],
                               render_kw={"autocomplete": "name"})
    language = SelectField(_l("Language"),
                           choices=[SelectChoice("fr", "Français"), SelectChoice("en", "English")])
    phone = TelField(_l("Mobile phone (optional)"),
                     validators=[Optional(), Regexp(r"^\+?[0-9 .\-()]{6,20}$",
                                                    message=_l("Enter a phone number, "
                                                               "e.g. +33 6 12 34 56 78."))],
                     description=_l("Used only for meeting reminders by text message, "
                                    "if you opt in."),
                     render_kw={"autocomplete": "tel"})


class SpaceForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=150), OneLine()])
    slug = StringField(_l("Address"), validators=[DataRequired(), Length(max=63),
                                                  Regexp(r"^[a-z0-9][a-z0-9-]*$",
                                                         message=_l("Lower-case letters, "
                                                                    "digits and dashes."))],
                       description=_l("The space's address: /s/<address>."))
    kind = SelectField(_l("Kind"))
    visibility = RadioField(_l("Who can see it"), choices=VISIBILITY_CHOICES, default="network")
    parents = SelectMultipleField(_l("Inside (councils this group belongs to)"), coerce=int)
    description = TextAreaField(_l("Description"), validators=[Length(max=20000)],
                                description=_l("Markdown is accepted."))
    allow_join_requests = BooleanField(_l("People may ask to join"), default=True)


ARTICLE_CHOICES = [
    SelectChoice("auto", _l("Guessed from the name")),
    SelectChoice("le", "le (du …, au …)"), SelectChoice("la", "la (de la …, à la …)"),
    SelectChoice("l'", "l’ (de l’…, à l’…)"), SelectChoice("les", "les (des …, aux …)"),
    SelectChoice("none", _l("None: a place name (de …, à …)")),
]


class SpaceEditForm(SpaceForm):
    slug = None
    article = SelectField(_l("Article before the name, in French"), choices=ARTICLE_CHOICES,
                          default="auto",
                          description=_l("How the name reads in a French sentence: \"Agenda du "
                                         "Conseil des personnes handicapées\", \"Agenda de "
                                         "Villeneuve\"."))


def _guest_needs_end_date(form, date_field, valid: bool) -> bool:
    """A guest always has an end date.  (Checked on the whole form: an empty date field stops at
    its ``Optional()`` validator, so a field-level check would never run.)"""
    if form.role.data == "guest" and not date_field.data and not date_field.errors:
        date_field.errors = list(date_field.errors) + [_l("A guest always has an end date.")]
        return False
    return valid


class InviteForm(FlaskForm):
    emails = TextAreaField(_l("E-mail addresses"), validators=[DataRequired(),
                                                                Length(max=20000)],
                           description=_l("One per line (or separated by commas)."))
    role = SelectField(_l("Role"), choices=ROLE_CHOICES[:3], default="member")
    guest_until = DateField(_l("Guests' access ends on"), validators=[Optional()],
                            description=_l("Required for guests."))
    message = TextAreaField(_l("Personal message (optional)"),
                            validators=[Length(max=2000), NoControlCharacters(multiline=True)])

    def validate(self, extra_validators=None):
        return _guest_needs_end_date(self, self.guest_until,
                                     super().validate(extra_validators))


class MemberRoleForm(FlaskForm):
    role = SelectField(_l("Role"), choices=ROLE_CHOICES, default="member")
    expires_at = DateField(_l("Access ends on"), validators=[Optional()])

    def validate(self, extra_validators=None):
        return _guest_needs_end_date(self, self.expires_at,
                                     super().validate(extra_validators))


class JoinForm(FlaskForm):
    message = TextAreaField(_l("A word for the animators (optional)"),
                            validators=[Length(max=2000)])


class ImportForm(FlaskForm):
    file = FileField(_l("Spreadsheet (CSV)"), validators=[FileRequired(),
                                                          FileAllowed(["csv", "txt"],
                                                                      _l("A .csv file, please."))],
                     description=_l("Columns: name, email, and optionally phone, role, "
                                    "expires_at."))
    dry_run = BooleanField(_l("Only check, write nothing"), default=True)


class DeleteAccountForm(FlaskForm):
    confirm = StringField(_l("Type your e-mail address to confirm"),
                          validators=[DataRequired(), Length(max=254)],
                          render_kw={"autocomplete": "off"})


class SuspendForm(FlaskForm):
    reason = TextAreaField(_l("Reason (shown to the person)"), validators=[DataRequired(),
                                                                          Length(max=2000)])


REPORT_CATEGORY_CHOICES = [
    SelectChoice("abuse", _l("Insulting, hateful or threatening")),
    SelectChoice("spam", _l("Advertising or spam")),
    SelectChoice("personal_data", _l("Reveals someone's personal information")),
    SelectChoice("off_topic", _l("Off topic for this space")),
    SelectChoice("other", _l("Something else (say what)")),
]


class ReportForm(FlaskForm):
    category = RadioField(_l("What is wrong?"), choices=REPORT_CATEGORY_CHOICES,
                          validators=[DataRequired(message=_l("Choose what is wrong."))])
    reason = TextAreaField(_l("Tell the animators more"), validators=[Length(max=2000)],
                           description=_l("Only the animators of the space read it. "
                                          "Required for \"Something else\"."))

    def validate_reason(self, field):
        if self.category.data == "other" and not (field.data or "").strip():
            raise ValidationError(_l("Say what is wrong."))


class HideForm(FlaskForm):
    reason = TextAreaField(_l("Reason shown to the author"),
                           validators=[DataRequired(message=_l("Give the author a reason.")),
                                       Length(max=2000)],
                           description=_l("Be factual and polite: the author reads it."))
