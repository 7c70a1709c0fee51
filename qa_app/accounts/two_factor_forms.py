"""Forms of two-factor sign-in (docs/two-factor.md)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, InputRequired, Length

from ..textinput import BaseForm
from .forms import refuse_blank
from .passwords import MAX_LENGTH
from .two_factor import CODE_MAX_LENGTH


def code_field(description: str | None = None) -> StringField:
    """A code is never shown back (like a password): a refused one is typed again."""
    return StringField(
        _l("Code"),
        description=description,
        validators=[DataRequired(), Length(max=CODE_MAX_LENGTH)],
        render_kw={"value": "", "autocomplete": "one-time-code", "spellcheck": "false"},
    )


class SecondStepForm(BaseForm):
    code = code_field(
        _l("The six-digit code your authenticator app shows now, or one of your recovery codes.")
    )
    submit = SubmitField(_l("Sign in"))


class TurnOnForm(BaseForm):
    code = code_field(_l("The six-digit code your authenticator app shows now."))
    submit = SubmitField(_l("Turn on two-factor sign-in"))


class RecoveryCodesForm(BaseForm):
    code = code_field(_l("The six-digit code your authenticator app shows now."))
    submit = SubmitField(_l("Make new recovery codes"))


class TurnOffForm(BaseForm):
    password = PasswordField(
        _l("Password"), validators=[InputRequired(), refuse_blank, Length(max=MAX_LENGTH)]
    )
    code = code_field(
        _l("The six-digit code your authenticator app shows now, or one of your recovery codes.")
    )
    submit = SubmitField(_l("Turn off two-factor sign-in"))
