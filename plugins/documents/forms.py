"""The library's forms (Flask-WTF: CSRF, labels, errors next to their field)."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (BooleanField, HiddenField, MultipleFileField, SelectField, StringField,
                     TextAreaField)
from wtforms.validators import DataRequired, Length, Optional

from placette import OneLine, lazy_gettext as _l


class UploadForm(FlaskForm):
    files = MultipleFileField(
        _l("Files"), description=_l("You can choose several files at once (on a phone too)."))
    folder = SelectField(_l("Folder"), choices=[], validate_choice=False)
    title = StringField(_l("Title (optional)"), validators=[Optional(), Length(max=300), OneLine()],
                        description=_l("Used when you send one file; otherwise each document is "
                                       "titled after its file name."))
    description = TextAreaField(_l("Description or caption (optional)"),
                                validators=[Optional(), Length(max=5000)])
    alt_text = StringField(_l("Text alternative of the image"),
                           validators=[Optional(), Length(max=500), OneLine()],
                           description=_l("For a photo: describe what it shows, for people who "
                                          "cannot see it. Required before a photo appears in a "
                                          "gallery."))
    tags = StringField(_l("Tags (optional)"), validators=[Optional(), Length(max=500), OneLine()],
                       description=_l("Separated by commas, e.g. minutes, budget."))
    visibility = SelectField(_l("Who can see it"), choices=[], validate_choice=False)


class VersionForm(FlaskForm):
    file = MultipleFileField(_l("New version of the file"))


class EditForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=300), OneLine()])
    description = TextAreaField(_l("Description or caption"),
                                validators=[Optional(), Length(max=5000)])
    alt_text = StringField(_l("Text alternative of the image"),
                           validators=[Optional(), Length(max=500), OneLine()],
                           description=_l("Describe what the image shows, for people who cannot "
                                          "see it."))
    tags = StringField(_l("Tags"), validators=[Optional(), Length(max=500), OneLine()],
                       description=_l("Separated by commas."))
    folder = SelectField(_l("Folder"), choices=[], validate_choice=False)
    visibility = SelectField(_l("Who can see it"), choices=[], validate_choice=False)


class FolderForm(FlaskForm):
    name = StringField(_l("Folder name"), validators=[DataRequired(), Length(max=150),
                                                            OneLine()])
    visibility = SelectField(_l("Who can see it"), choices=[], validate_choice=False)
    parent = HiddenField()


class ConfirmForm(FlaskForm):
    """Buttons that only need their CSRF token."""


class ValidateForm(FlaskForm):
    validated = BooleanField(_l("Validated by the city"))


class AttachForm(FlaskForm):
    resource_id = HiddenField(validators=[DataRequired()])
    document = SelectField(_l("Document of the library"), choices=[], validate_choice=False)
    files = MultipleFileField(_l("Or a new file"))
    next = HiddenField()
