"""The form that makes a personal API token."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from wtforms import SelectChoice, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length

from ..database import utcnow
from ..textinput import BaseForm

NEVER = "never"


class TokenForm(BaseForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=80)])
    access = SelectField(
        _l("Access"),
        choices=[
            SelectChoice("read", _l("Read only")),
            SelectChoice("write", _l("Read and write")),
        ],
        default="read",
    )
    expires = SelectField(
        _l("Expires"),
        choices=[
            SelectChoice("30", _l("In 30 days")),
            SelectChoice("90", _l("In 90 days")),
            SelectChoice("365", _l("In a year")),
            SelectChoice(NEVER, _l("Never")),
        ],
        default="90",
    )
    submit = SubmitField(_l("Make token"))

    def expires_at(self) -> datetime | None:
        if self.expires.data == NEVER:
            return None
        return utcnow() + timedelta(days=int(self.expires.data))
