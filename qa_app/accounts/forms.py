"""Sign-in and password forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, PasswordField, SelectChoice, SelectField, SubmitField
from wtforms.validators import (
    DataRequired,
    EqualTo,
    InputRequired,
    Length,
    StopValidation,
    ValidationError,
)

from ..i18n import LANGUAGES
from ..textinput import BaseForm
from .passwords import BLANK_PASSWORD, MAX_LENGTH, password_problems


def refuse_blank(form: BaseForm, field: PasswordField) -> None:
    """WTForms validator: a password of whitespace only is named as such, not as missing."""
    if field.data and not field.data.strip():
        raise StopValidation(str(BLANK_PASSWORD))


class LoginForm(BaseForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(
        _l("Password"), validators=[InputRequired(), refuse_blank, Length(max=MAX_LENGTH)]
    )
    submit = SubmitField(_l("Sign in"))


def check_password_policy(form: BaseForm, field: PasswordField) -> None:
    """WTForms validator for the password policy; skipped when the field is empty."""
    if field.data:
        words = [
            getattr(form, name).data or ""
            for name in ("email", "display_name")
            if hasattr(form, name)
        ]
        problems = password_problems(field.data, *words)
        if problems:
            raise ValidationError(problems[0])


class ChangePasswordForm(BaseForm):
    current_password = PasswordField(
        _l("Current password"), validators=[InputRequired(), refuse_blank]
    )
    new_password = PasswordField(
        _l("New password"), validators=[InputRequired(), check_password_policy]
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[
            InputRequired(),
            EqualTo("new_password", message=_l("The two passwords differ.")),
        ],
    )
    submit = SubmitField(_l("Change password"))


class PreferencesForm(BaseForm):
    language = SelectField(
        _l("Language"),
        description=_l("The language of every page, report and chart you see."),
    )
    submit = SubmitField(_l("Save preferences"))

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.language.choices = [
            SelectChoice("", _l("The browser's language")),
            *(SelectChoice(code, name) for code, name in LANGUAGES.items()),
        ]
