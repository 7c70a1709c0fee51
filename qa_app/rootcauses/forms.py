"""The list editor's forms: a name to add, one item's change, and the rule."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, StringField
from wtforms.validators import AnyOf, DataRequired, Length, Optional

from ..textinput import BaseForm

NAME_LIMIT = 120
ACTIONS = ("rename", "retire", "restore", "up", "down")


class NameForm(BaseForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=NAME_LIMIT)])


class ItemForm(BaseForm):
    """One category or cause: the button pressed says what to do; the name is for renaming."""

    name = StringField(_l("Name"), validators=[Optional(), Length(max=NAME_LIMIT)])
    action = StringField(validators=[AnyOf(ACTIONS)])


class RuleForm(BaseForm):
    required = BooleanField(_l("Root causes are required for criteria scored 1, 2 or 3"))
