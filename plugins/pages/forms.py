"""The plugin's forms (Flask-WTF: CSRF, a label on every field, errors next to their field).

The rules themselves (address, sizes, visibility) are in :mod:`.service`, shared with the API and
the demo; the form only carries what was typed, and shows the service's refusals on the fields.
"""
from __future__ import annotations

import placette
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, NumberRange, Optional

from .service import POSITION_MAX

_l = placette.lazy_gettext


class PageForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(_l("Give the page a title.")),
                                                 placette.OneLine()],
                        render_kw={"autocomplete": "off"})
    slug = StringField(
        _l("Address of the page (optional)"), render_kw={"autocomplete": "off",
                                                         "spellcheck": "false"},
        description=_l("The end of the page's link: lower-case letters without accents, digits "
                       "and hyphens, for example notre-fonctionnement. Left empty, it is made "
                       "from the title."))
    body = TextAreaField(
        _l("Text"), render_kw={"rows": 18},
        description=_l("Markdown is accepted: **bold**, *italics*, # a heading, ## a "
                       "sub-heading, - a list, [a link](https://example.org)."))
    position = IntegerField(
        _l("Position (optional)"), validators=[Optional(), NumberRange(
            min=0, max=POSITION_MAX,
            message=_l("The position is a whole number from 0 to %(max)s."))],
        render_kw={"inputmode": "numeric"},
        description=_l("Pages are listed by this number, then by title (0 first)."))
    visibility = SelectField(_l("Who can see it"), choices=[], validate_choice=False)
    notify = BooleanField(
        _l("Tell the space's members about this change"),
        description=_l("For a change that matters to them -- not for a typo."))


class ConfirmForm(FlaskForm):
    """A button that only needs its CSRF token (deleting a page)."""
